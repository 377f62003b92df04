"""Plain text out of attached documents (PDF, DOCX, ODT, text), with size caps.

A broken or huge file never breaks indexing: it is logged and contributes no text.
"""

import io
import logging
import zipfile

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_CHARS = 100_000
MAX_PDF_PAGES = 300


def max_chars():
    return getattr(settings, "SEARCH_ATTACHMENT_MAX_CHARS", DEFAULT_MAX_CHARS)


def max_bytes():
    return getattr(settings, "SEARCH_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _pdf_text(data, limit):
    from pypdf import PdfReader

    parts, size = [], 0
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        if number >= MAX_PDF_PAGES or size >= limit:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def _docx_text(data, limit):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _odf_text(data, limit):
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    parts, size = [], 0
    for element in document.getElementsByType(text.P) + document.getElementsByType(text.H):
        chunk = teletype.extractText(element)
        parts.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return "\n".join(parts)


def _plain_text(data, limit):
    return data[: limit * 4].decode("utf-8", errors="replace")


EXTRACTORS = {
    "pdf": _pdf_text,
    "docx": _docx_text,
    "odt": _odf_text,
    "odp": _odf_text,
    "ods": _odf_text,
    "txt": _plain_text,
    "csv": _plain_text,
}


def extract_text(data: bytes, extension: str) -> str:
    """Text of a file's bytes by extension, cut to the character cap; "" when unreadable."""
    extractor = EXTRACTORS.get(extension.lower().lstrip("."))
    if extractor is None or not data or len(data) > max_bytes():
        return ""
    limit = max_chars()
    try:
        text = extractor(data, limit)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile, Exception) as exc:  # noqa: B014
        # Third-party parsers raise many types on malformed files; indexing must go on.
        logger.warning("Texte non extrait (%s) : %s", extension, exc)
        return ""
    return " ".join(text.split())[:limit]


def document_text(document) -> str:
    """Text of a Wagtail document, cached by file hash so re-indexing does not re-parse it."""
    try:
        if document.file.size > max_bytes():
            logger.info("Document %s ignoré : trop volumineux pour l'indexation", document.pk)
            return ""
    except (OSError, ValueError):
        return ""
    key = f"search:doctext:{document.file_hash or document.pk}:{max_chars()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        with document.open_file() as handle:
            data = handle.read(max_bytes() + 1)
    except (OSError, ValueError) as exc:
        logger.warning("Document %s illisible : %s", document.pk, exc)
        return ""
    text = extract_text(data, document.file_extension)
    cache.set(key, text, 24 * 3600)
    return text
