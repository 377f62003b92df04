"""What the open data may show: public, live content only, whoever asks.

``public_only`` is the one place every open-data output (API, exports, calendars, feeds,
catalogue) filters through. It never looks at a user: the open data is anonymous by design,
so a signed-in administrator calling the API sees exactly what an anonymous visitor sees.
The rules themselves are the access policy's (``crdla.access``).
"""

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from crdla import access


def public_only(queryset):
    """``queryset`` restricted to what anyone may read.

    - Pages: ``access.public_pages`` (live, unrestricted, of a public page type, a programme
      page only with its committee-approved version).
    - Documents and images: ``access.public_media`` (used by at least one such page; drafts
      and DLA-only pages do not count).
    """
    model = queryset.model
    if issubclass(model, Page):
        return access.public_pages(queryset)
    if issubclass(model, (get_document_model(), get_image_model())):
        return access.public_media(queryset)
    raise TypeError(f"public_only: {model.__name__} n'est pas une donnée ouverte")
