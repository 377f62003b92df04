"""English interface: the catalogue is complete, compiled, and used when the visitor chooses English."""

import ast
import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# What makemessages skips (the README command), plus locale/ so that a copy never touches the catalogue.
NOT_SCANNED = (
    ".git",
    ".venv",
    "node_modules",
    "var",
    "media",
    "staticfiles",
    "bench",
    "tests",
    "locale",
)


def read_po(path):
    """Tiny .po parser: a list of {"flags", "msgid", "msgid_plural", "msgstr": {index: text}}."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#,"):
            close()
            entry, key = {"flags": {f.strip() for f in line[2:].split(",")}}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            if keyword == "msgid":
                if entry is None or "msgid" in entry:
                    close()
                    entry = {"flags": set()}
                entry.update(msgid=value, msgid_plural=None, msgstr={})
                key = "msgid"
            elif keyword == "msgid_plural":
                entry["msgid_plural"], key = value, "msgid_plural"
            elif keyword == "msgstr":
                entry["msgstr"][0], key = value, ("msgstr", 0)
            elif keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                entry["msgstr"][index], key = value, ("msgstr", index)
            else:
                raise ValueError(f"unexpected line in {path.name}: {line!r}")
    close()
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po(CATALOGUE)
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1
    return header[0], [e for e in entries if e["msgid"] != ""]


def test_english_visitors_get_the_english_interface(client, home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    for english in ("Skip to content", "Log in", "Main menu", "DLA resource centres", "Search"):
        assert english in html
    for french in ("Aller au contenu", "Se connecter", "Menu principal"):
        assert french not in html


def test_french_stays_the_default(client, home):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html and "Se connecter" in html
    assert "Skip to content" not in html


def test_workflow_titles_follow_the_visitor_language():
    """Titles built from several translated parts are evaluated when shown, not at import."""
    from crdla.network.flows import CommonProgrammeFlow
    from workflows.flows import ProgrammeFlow

    with translation.override("en"):
        assert str(ProgrammeFlow.review_dgefp.task_title) == "Opinion — DGEFP (French State)"
        (submit,) = CommonProgrammeFlow.submit.get_transitions()
        assert str(submit.label) == "Submit to the vote"
    with translation.override("fr"):
        assert str(ProgrammeFlow.review_dgefp.task_title) == "Avis — DGEFP (État)"


def test_catalogue_has_no_untranslated_or_fuzzy_entry(catalogue):
    header, entries = catalogue
    assert "fuzzy" not in header["flags"]
    assert len(entries) > 900
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    plurals_incomplete = [
        e["msgid"] for e in entries if e["msgid_plural"] and set(e["msgstr"]) != {0, 1}
    ]
    assert untranslated == []
    assert fuzzy == []
    assert plurals_incomplete == []


def test_translations_keep_every_placeholder(catalogue):
    _header, entries = catalogue
    mismatched = []
    for entry in entries:
        sources = [entry["msgid"], entry["msgid_plural"] or entry["msgid"]]
        for index, text in entry["msgstr"].items():
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                mismatched.append(source)
    assert mismatched == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The committed .mo is what Django reads: it must be recompiled after every .po change."""
    _header, entries = catalogue
    with COMPILED.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for entry in entries:
        if entry["msgid_plural"]:
            if compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
            if compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2) != entry["msgstr"][1]:
                stale.append(entry["msgid_plural"])
        elif compiled.gettext(entry["msgid"]) != entry["msgstr"][0]:
            stale.append(entry["msgid"])
    assert stale == [], "run: manage.py compilemessages -l en --ignore=.venv"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_msgfmt_accepts_the_catalogue():
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", os.devnull, str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (gettext) is not installed")
def test_catalogue_covers_every_string_of_the_code(tmp_path, monkeypatch, catalogue):
    """makemessages on the current code finds no string missing from the committed catalogue.

    It runs on a copy of the sources (without locale/), so the committed catalogue is never rewritten.
    """
    _header, entries = catalogue
    sources = tmp_path / "src"
    shutil.copytree(ROOT, sources, ignore=shutil.ignore_patterns(*NOT_SCANNED), symlinks=True)
    locale = tmp_path / "locale"
    locale.mkdir()
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=list(NOT_SCANNED),
            no_location=True,
            verbosity=0,
        )
    found = {
        (e["msgid"], e["msgid_plural"])
        for e in read_po(locale / "en" / "LC_MESSAGES" / "django.po")
        if e["msgid"]
    }
    known = {(e["msgid"], e["msgid_plural"]) for e in entries}
    assert sorted(found - known) == [], (
        "run makemessages -l en (see README), translate, then compilemessages"
    )
