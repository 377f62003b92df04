"""A new document's title: the one written in the file (PDF or office metadata), else a
readable form of its name — never the raw file name that Wagtail's upload form pre-fills
(« guide-tresorerie »), which readers would see in every « Documents joints » list.

``static/js/document-title.js`` shows the readable name in the upload form as soon as a file
is chosen; the metadata is read here, when the form is saved.
"""

import io
import logging
import re
from pathlib import PurePath

logger = logging.getLogger(__name__)

MAX_TITLE_LENGTH = 255
# Metadata titles that say nothing: office templates and converters leave them behind.
PLACEHOLDER_TITLES = re.compile(
    r"^(untitled|sans titre|document\d*|microsoft word.*|titre|title|présentation powerpoint)$",
    re.IGNORECASE,
)
MAX_METADATA_BYTES = 20 * 1024 * 1024


def readable_name(filename):
    """« guide-tresorerie_2026.pdf » → « Guide tresorerie 2026 »."""
    stem = PurePath(filename or "").stem
    words = re.sub(r"[-_.\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:])[:MAX_TITLE_LENGTH]


def filename_titles(filename):
    """The titles that only repeat the file name: Wagtail's pre-fill and the readable form."""
    stem = PurePath(filename or "").stem
    return {stem, readable_name(filename), PurePath(filename or "").name}


def _pdf_title(data):
    from pypdf import PdfReader

    metadata = PdfReader(io.BytesIO(data)).metadata
    return metadata.title if metadata else None


def _docx_title(data):
    import docx

    return docx.Document(io.BytesIO(data)).core_properties.title


def _odf_title(data):
    from odf import dc
    from odf.opendocument import load

    titles = load(io.BytesIO(data)).meta.getElementsByType(dc.Title)
    return str(titles[0]) if titles else None


READERS = {".pdf": _pdf_title, ".docx": _docx_title, ".odt": _odf_title, ".ods": _odf_title}


def metadata_title(uploaded):
    """The title written in the file's metadata, or ``None`` (unknown type, none, broken)."""
    reader = READERS.get(PurePath(uploaded.name or "").suffix.lower())
    if reader is None or (uploaded.size or 0) > MAX_METADATA_BYTES:
        return None
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        title = reader(data)
    except Exception:  # noqa: BLE001 — pypdf, python-docx and odfpy raise their own errors
        # A file the readers cannot parse still uploads: the checks of its content are
        # elsewhere (crdla.security.forms); it simply keeps its readable name.
        logger.info("No metadata title in %s", uploaded.name, exc_info=True)
        return None
    title = " ".join(str(title or "").split())
    if not title or PLACEHOLDER_TITLES.match(title):
        return None
    return title[:MAX_TITLE_LENGTH]


def document_title(typed_title, uploaded):
    """The title to keep: what the user typed, unless it only repeats the file name; then the
    file's metadata title, else its readable name."""
    typed = " ".join((typed_title or "").split())
    if typed and typed not in filename_titles(uploaded.name):
        return typed
    return metadata_title(uploaded) or readable_name(uploaded.name)
