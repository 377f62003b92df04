"""Wagtail's document and image forms, with the access policy's two rules for staff:

- a new upload goes by default to the user's own collection (their centre's, or their
  network's); with one collection only, Wagtail hides the field and uses it;
- the file of a document or image used by a live page the user cannot edit (another centre's)
  cannot be replaced: the field is disabled and says why, in French.

A new document's title that only repeats its file name becomes the title written in the file,
else a readable name (``crdla.core.document_titles``).
"""

from django import forms
from wagtail.images.forms import BaseImageForm

from crdla.core.document_titles import document_title
from crdla.security.forms import SafeDocumentForm

from .media import change_refusal, default_collection_for


class AccessPolicyFormMixin:
    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        self.refusal = None
        if user is None:
            return
        if not self.instance.pk and "collection" in self.fields:
            default = default_collection_for(user, self._meta.model)
            if default is not None:
                self.initial.setdefault("collection", default.pk)
        if self.instance.pk:
            self.refusal = change_refusal(user, self.instance)
            if self.refusal and "file" in self.fields:
                self.fields["file"].disabled = True
                self.fields["file"].required = False
                self.fields["file"].help_text = self.refusal

    def clean(self):
        cleaned = super().clean()
        if self.refusal and "file" in self.changed_data:
            raise forms.ValidationError(self.refusal, code="file_used_elsewhere")
        return cleaned


class ProtectedDocumentForm(AccessPolicyFormMixin, SafeDocumentForm):
    """Base of Wagtail's document forms (``WAGTAILDOCS_DOCUMENT_FORM_BASE``)."""

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if "file" in self.changed_data and uploaded and "title" in self.fields:
            if not self.has_error("title") and hasattr(uploaded, "seek"):
                cleaned["title"] = document_title(cleaned.get("title"), uploaded)
        return cleaned

    class Meta(SafeDocumentForm.Meta):
        pass


class ProtectedImageForm(AccessPolicyFormMixin, BaseImageForm):
    """Base of Wagtail's image forms (``WAGTAILIMAGES_IMAGE_FORM_BASE``)."""

    class Meta(BaseImageForm.Meta):
        pass
