"""Upload checks of the Wagtail document form: allowed types, size, and no active content."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

# Markup a browser would execute if the file were ever served inline.
ACTIVE_CONTENT_MARKERS = (b"<html", b"<!doctype html", b"<svg", b"<script", b"<iframe", b"<body")
SNIFF_BYTES = 4096


def check_uploaded_file(uploaded, allowed_extensions, max_size):
    """Raise a ValidationError in French when ``uploaded`` must be refused."""
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed_extensions:
        raise forms.ValidationError(
            _(
                "Le type de fichier « %(extension)s » n'est pas accepté. "
                "Types acceptés : %(allowed)s."
            ),
            code="invalid_extension",
            params={"extension": extension or "?", "allowed": ", ".join(allowed_extensions)},
        )
    if max_size is not None and uploaded.size > max_size:
        raise forms.ValidationError(
            _("Ce fichier est trop volumineux (%(size)s) : la taille maximale est %(max)s."),
            code="file_too_large",
            params={"size": filesizeformat(uploaded.size), "max": filesizeformat(max_size)},
        )
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


class SafeDocumentForm(WagtailAdminModelForm):
    """Base of Wagtail's document forms (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

    Wagtail already checks the extension list; this adds our French messages, the size limit,
    and refuses files whose content is HTML or SVG whatever their extension.
    """

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "size") and not getattr(uploaded, "_committed", False):
            check_uploaded_file(
                uploaded,
                settings.WAGTAILDOCS_EXTENSIONS,
                getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None),
            )
        return uploaded
