"""Production static storage: a stylesheet's reference to a missing file no longer breaks
collectstatic (viewflow 2.4's roboto-fontface.css points at fonts it does not ship)."""

from django.core.files.base import ContentFile

from crdla.pagecache.storage import TolerantManifestStaticFilesStorage


def test_missing_referenced_file_keeps_its_plain_name(tmp_path):
    storage = TolerantManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.hashed_name("fonts/absente.woff2") == "fonts/absente.woff2"


def test_existing_files_still_get_a_hashed_name(tmp_path):
    storage = TolerantManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.save("css/site.css", ContentFile(b"body { color: #000; }"))
    hashed = storage.hashed_name("css/site.css")
    assert hashed.startswith("css/site.") and hashed != "css/site.css"


def test_css_referencing_a_missing_font_is_post_processed(tmp_path):
    storage = TolerantManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.save("css/fonts.css", ContentFile(b"@font-face { src: url('absente.woff2'); }"))
    processed = list(storage.post_process({"css/fonts.css": (storage, "css/fonts.css")}))
    errors = [result for _name, _hashed, result in processed if isinstance(result, Exception)]
    assert errors == []


def test_missing_files_are_reported_once_in_one_line(tmp_path, caplog):
    storage = TolerantManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.save(
        "css/fonts.css",
        ContentFile(b"@font-face { src: url('absente.woff2'), url('absente.woff'); }"),
    )
    with caplog.at_level("WARNING", logger="crdla.pagecache.storage"):
        list(storage.post_process({"css/fonts.css": (storage, "css/fonts.css")}))
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1, lines
    assert lines[0].startswith("2 fichier(s) statique(s) référencé(s) mais absent(s)")
    assert "css/absente.woff2" in lines[0]
