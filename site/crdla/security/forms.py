"""Upload checks of the Wagtail document form: no active content, one clear message per error.

Wagtail itself refuses extensions outside ``WAGTAILDOCS_EXTENSIONS`` and files larger than
``WAGTAILDOCS_MAX_UPLOAD_SIZE``, with French messages.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

# Markup a browser would execute if the file were ever served inline.
ACTIVE_CONTENT_MARKERS = (
    b"<html",
    b"<!doctype html",
    b"<svg",
    b"<script",
    b"<iframe",
    b"<body",
    b"<?xml",
)
SNIFF_BYTES = 4096


def refuse_unlisted_extension(uploaded):
    """Raise a French ValidationError naming the extension when it is not allowed."""
    allowed = settings.WAGTAILDOCS_EXTENSIONS
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        raise forms.ValidationError(
            _(
                "Le type de fichier « %(extension)s » n'est pas accepté. Types acceptés : %(allowed)s."
            ),
            code="invalid_extension",
            params={"extension": extension or "?", "allowed": ", ".join(allowed)},
        )


def refuse_active_content(uploaded):
    """Raise a French ValidationError when the file's first bytes are HTML, SVG or XML."""
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES).lstrip().lower()
    uploaded.seek(0)
    if any(marker in head for marker in ACTIVE_CONTENT_MARKERS):
        raise forms.ValidationError(
            _(
                "Ce fichier contient du HTML ou du SVG, refusés pour des raisons de sécurité. "
                "Déposez plutôt un PDF ou un document bureautique."
            ),
            code="active_content",
        )


class SafeDocumentForm(BaseDocumentForm):
    """Base of Wagtail's document forms (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

    Names the refused extension, refuses files whose content is HTML, SVG or XML whatever
    their extension, and keeps the
    message of the first failed check only (Wagtail would add a confusing "empty extension"
    error after a size error).
    """

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and hasattr(uploaded, "content_type"):  # a new upload
            refuse_unlisted_extension(uploaded)
            refuse_active_content(uploaded)
        return uploaded

    def _post_clean(self):
        # A copy: the model validation appends its own errors to the same list.
        file_errors = list(self._errors.get("file", [])) if self._errors else []
        super()._post_clean()
        if file_errors:
            self._errors["file"] = self.error_class(file_errors)

    class Meta(BaseDocumentForm.Meta):
        pass
