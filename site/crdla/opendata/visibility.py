"""What the open data may show: public, live content only, whoever asks.

``public_only`` is the one place every open-data output (API, exports, calendars, feeds,
catalogue) filters through. It never looks at a user: the open data is anonymous by design,
so a signed-in administrator calling the API sees exactly what an anonymous visitor sees.
(When the access-policy module lands, this function becomes a call to it for an anonymous
user.)
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, ReferenceIndex


def public_page_models():
    """Page types whose live, unrestricted pages anyone may read.

    A whitelist rather than « every public page »: some page types are not view-restricted
    but serve members only (the network survey), and must never be exposed.
    """
    from crdla.centres.models import CentrePage
    from crdla.core.models import HomePage, StandardPage
    from crdla.network.models import (
        CallForTendersIndexPage,
        CallForTendersPage,
        DirectoryPage,
        DLAPage,
        NetworkPage,
    )
    from crdla.resources.models import (
        EventPage,
        NewsIndexPage,
        NewsPage,
        ResourceIndexPage,
        ResourcePage,
    )
    from workflows.models import ProgrammePage

    return (
        HomePage,
        StandardPage,
        CentrePage,
        ResourceIndexPage,
        ResourcePage,
        NewsIndexPage,
        NewsPage,
        EventPage,
        ProgrammePage,
        NetworkPage,
        DLAPage,
        DirectoryPage,
        CallForTendersIndexPage,
        CallForTendersPage,
    )


def restricted_collection_ids():
    """Collections with a view restriction, and their descendants."""
    ids = set()
    for restriction in CollectionViewRestriction.objects.select_related("collection"):
        collection = restriction.collection
        ids.add(collection.pk)
        ids.update(collection.get_descendants().values_list("pk", flat=True))
    return ids


def _referenced_by_public_pages(model):
    """Ids (as text, like the reference index stores them) of ``model`` objects that a
    public live page references, in its fields, StreamField blocks, rich text or inline
    panels (Wagtail's reference index)."""
    page_ids = (
        public_only(Page.objects.all())
        .annotate(id_text=Cast("pk", output_field=CharField()))
        .values("id_text")
    )
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=page_ids,
        to_content_type=ContentType.objects.get_for_model(model),
    ).values("to_object_id")


def public_only(queryset):
    """``queryset`` restricted to what anyone may read.

    - Pages: live, without a view restriction on them or an ancestor, of a public page type
      (``public_page_models``); a programme page only with its committee-approved version.
    - Documents and images: referenced by at least one such page (drafts and DLA-only pages
      do not count) and outside any restricted collection.
    """
    model = queryset.model
    if issubclass(model, Page):
        from workflows.models import ProgrammePage

        pages = queryset.live().public()
        if model is Page:
            pages = pages.type(*public_page_models())
        elif not issubclass(model, public_page_models()):
            return pages.none()
        programme_pages = ProgrammePage.objects.filter(
            programme__versions__is_approved=True
        ).values("pk")
        return pages.exclude(
            Q(content_type=ContentType.objects.get_for_model(ProgrammePage))
            & ~Q(pk__in=programme_pages)
        )
    if issubclass(model, (get_document_model(), get_image_model())):
        return (
            queryset.annotate(id_text=Cast("pk", output_field=CharField()))
            .filter(id_text__in=_referenced_by_public_pages(model))
            .exclude(collection__in=restricted_collection_ids())
        )
    raise TypeError(f"public_only: {model.__name__} n'est pas une donnée ouverte")
