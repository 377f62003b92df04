"""The rebuild/check command, attachment text extraction and the demo hook."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import Page

from search.extraction import extract_text
from search.models import KnowledgeEntry
from search.results import SearchQuery


def run(*args):
    out = io.StringIO()
    call_command("rebuild_knowledge_base", *args, stdout=out)
    return out.getvalue()


def test_rebuild_with_progress(resources):
    KnowledgeEntry.objects.all().delete()
    output = run()
    assert "5\xa0ressources" in output
    assert "[##############################] 5/5" in output
    assert KnowledgeEntry.objects.count() == 5


def test_check_and_repair(resources):
    run()
    KnowledgeEntry.objects.filter(page_id=resources["festival"].pk).delete()
    # Changed behind the index's back (no signal): the hash of its document differs.
    Page.objects.filter(pk=resources["groupement"].pk).update(title="Groupement renommé")
    KnowledgeEntry.objects.create(page_id=424242, title="Fantôme", visibility="public")
    output = run("--check")
    assert f"Manquantes : 1 [{resources['festival'].pk}]" in output
    assert f"Périmées : 1 [{resources['groupement'].pk}]" in output
    assert "En trop : 1 [424242]" in output
    assert "--repair" in output
    assert KnowledgeEntry.objects.filter(page_id=424242).exists()  # check alone changes nothing
    output = run("--repair")
    assert "3 correction(s)" in output
    assert "L'index est à jour." in run("--check")


def docx_bytes(text):
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(text):
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pdf_bytes(text):
    # A minimal one-page PDF with a text stream (pypdf can read it back).
    content = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


@pytest.mark.parametrize(
    "extension,make",
    [("docx", docx_bytes), ("odt", odt_bytes), ("pdf", pdf_bytes), ("txt", str.encode)],
)
def test_extract_text(extension, make):
    assert "Bilan financier annuel" in extract_text(make("Bilan financier annuel"), extension)


def test_extraction_caps_and_broken_files(settings):
    settings.SEARCH_ATTACHMENT_MAX_CHARS = 10
    assert extract_text(b"x" * 100, "txt") == "x" * 10
    settings.SEARCH_ATTACHMENT_MAX_BYTES = 50
    assert extract_text(b"x" * 100, "txt") == ""
    settings.SEARCH_ATTACHMENT_MAX_BYTES = 10_000
    assert extract_text(b"not a real docx", "docx") == ""
    assert extract_text(b"whatever", "exe") == ""


def test_attachment_text_is_searchable(resources, anonymous):
    from crdla.resources.models import ResourceDocument
    from search.backends.database import DatabaseBackend
    from search.indexing import sync_page
    from search.models import KnowledgeEntry as Entry

    document = Document.objects.create(
        title="Annexe",
        file=ContentFile(docx_bytes("Tableau des subventions régionales"), "annexe.docx"),
    )
    page = resources["gouvernance"]
    ResourceDocument.objects.create(page=page, document=document)
    backend = DatabaseBackend()
    sync_page(page.pk, backend)
    assert "subventions" in Entry.objects.get(page_id=page.pk).attachments
    hits = backend.search(anonymous, SearchQuery(text="subventions régionales")).hits
    assert [h.page_id for h in hits] == [page.pk]


def test_demo_hook_indexes_everything(resources):
    from search.demo import load_demo

    KnowledgeEntry.objects.all().delete()
    logged, counted = [], {}
    command = SimpleNamespace(
        log=logged.append,
        count=lambda name, created: counted.update({name: counted.get(name, 0) + 1}),
    )
    load_demo(command)
    load_demo(command)  # idempotent
    assert KnowledgeEntry.objects.count() == 5
    assert "5 ressources indexées" in logged[-1]


def test_rebuild_command_runs_with_the_system_checks(db):
    """Regression: a ``check`` method shadowed BaseCommand.check, so ``manage.py
    rebuild_knowledge_base`` (system checks on, unlike call_command) crashed."""
    from django.core.management import call_command

    call_command("rebuild_knowledge_base", "--quiet-progress", skip_checks=False)
