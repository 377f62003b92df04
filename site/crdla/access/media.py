"""Documents and images: their audience follows the live pages that use them.

Wagtail's reference index records every reference a page makes to a document or an image
(foreign keys such as the cover image, inline panels such as « Documents joints », StreamField
blocks and links in rich text). Its rows are computed from the page's database row, which for
a live page is its *published* content (drafts live in revisions and are not indexed), and
they are refreshed on every save. So the audience of a file is:

- public when at least one live public page references it;
- the DLA network (or a narrower group, e.g. a network's intranet) when only live restricted
  pages do: a user may open it when they may read one of those pages;
- staff only when no live page does: the users who manage its collection, and administrators.

Files never move between collections to change their audience; each centre (and each
regional network) has its own collection, which says who *manages* a file, not who reads it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, TextChoices
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from crdla.accounts import roles

from .pages import can_change_page, public_pages, visible_pages

MANAGE_ACTIONS = ("add", "change", "choose")


class MediaAudience(TextChoices):
    PUBLIC = "public", "public"
    NETWORK = "dla", "réseau DLA"
    STAFF = "staff", "équipes"


class MediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection permissions, plus: a file used by a live page the user cannot
    edit is never deleted by them (Wagtail counts « delete » as « change »)."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        allowed = super().user_has_any_permission_for_instance(user, actions, instance)
        if allowed and set(actions) == {"delete"}:
            return change_refusal(user, instance) is None
        return allowed


_POLICIES = {}


def _policy(model):
    """The permission policy of documents or images (also registered for Wagtail's views)."""
    model = _media_base_model(model)
    if model not in _POLICIES:
        owner = "uploaded_by_user"
        _POLICIES[model] = MediaPermissionPolicy(
            model, auth_model=model._meta.label, owner_field_name=owner
        )
    return _POLICIES[model]


def install_media_policies():
    """Make Wagtail's document and image views use ``MediaPermissionPolicy``.

    Called by ``crdla.security.apps.SecurityConfig.ready``, which runs after Wagtail's
    document and image apps have registered their default policies."""
    from wagtail.permissions import register_permission_policy

    for model in (get_document_model(), get_image_model()):
        register_permission_policy(model, _policy(model))


def _page_ids_referencing(model, object_ids=None):
    """Ids of the pages (any state) whose database row references objects of ``model``.

    ``object_ids``: restrict to these target ids (an iterable or a subquery of text ids).
    """
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(model),
    )
    if object_ids is not None:
        references = references.filter(to_object_id__in=object_ids)
    return references.values("object_id")


def _with_id_text(queryset):
    return queryset.annotate(id_text=Cast("pk", output_field=CharField()))


def _ids_as_text(pages):
    return _with_id_text(pages).values("id_text")


def _media_base_model(obj_or_model):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return get_document_model() if issubclass(model, get_document_model()) else get_image_model()


def live_referencing_pages(obj):
    """The live pages whose published content references the document or image ``obj``."""
    ids = _page_ids_referencing(_media_base_model(obj), [str(obj.pk)])
    return Page.objects.live().filter(
        pk__in=[int(i) for i in ids.values_list("object_id", flat=True)]
    )


def media_audience(obj):
    """``MediaAudience`` of a document or image, from the live pages that reference it."""
    pages = live_referencing_pages(obj)
    if public_pages(pages).exists():
        return MediaAudience.PUBLIC
    if pages.exists():
        return MediaAudience.NETWORK
    return MediaAudience.STAFF


def collections_for_user(user, model, actions=MANAGE_ACTIONS):
    """The collections in which ``user`` holds one of ``actions`` for ``model``'s objects."""
    return _policy(_media_base_model(model)).collections_user_has_any_permission_for(
        user, list(actions)
    )


def can_view_media(user, obj):
    """Whether ``user`` may download the document or see the image (original or rendition).

    Yes for administrators, for whoever may read a live page that uses it, and for the users
    who manage its collection (so staff can preview what they upload before publishing).
    """
    if user.is_superuser:
        return True
    if visible_pages(user, live_referencing_pages(obj)).exists():
        return True
    if not user.is_authenticated:
        return False
    return _policy(_media_base_model(obj)).user_has_any_permission_for_instance(
        user, list(MANAGE_ACTIONS), obj
    )


def public_media(queryset):
    """The documents or images of ``queryset`` that anyone may see: used by a live public page."""
    model = _media_base_model(queryset.model)
    used = _page_ids_referencing(model).filter(
        object_id__in=_ids_as_text(public_pages(Page.objects.all()))
    )
    return _with_id_text(queryset).filter(id_text__in=used.values("to_object_id"))


def visible_media(user, queryset):
    """The documents or images of ``queryset`` that ``user`` may see (``can_view_media``)."""
    if user.is_superuser:
        return queryset
    if not user.is_authenticated:
        return public_media(queryset)
    model = _media_base_model(queryset.model)
    used = _page_ids_referencing(model).filter(
        object_id__in=_ids_as_text(visible_pages(user, Page.objects.all()))
    )
    return _with_id_text(queryset).filter(
        Q(id_text__in=used.values("to_object_id"))
        | Q(collection__in=collections_for_user(user, model))
    )


def change_refusal(user, obj):
    """Why ``user`` may not replace or delete ``obj``, in French, or ``None`` when they may.

    A file used by a live page that the user cannot edit (another centre's, another
    network's) stays as it is: replacing it would change that page at once.
    """
    if user.is_superuser:
        return None
    others = [page for page in live_referencing_pages(obj) if not can_change_page(user, page)]
    if not others:
        return None
    titles = ", ".join(f"« {page.title} »" for page in others[:3])
    if len(others) > 3:
        titles += ", …"
    return _(
        "Ce fichier est utilisé par des pages publiées que vous ne pouvez pas modifier "
        "(%(pages)s) : seul leur centre ou un·e administrateur·rice peut le remplacer ou le "
        "supprimer. Téléversez plutôt un nouveau fichier."
    ) % {"pages": titles}


def can_change_media(user, obj):
    """Whether ``user`` may edit, replace or delete ``obj``: a change permission on its
    collection (Wagtail's collection permissions) and no ``change_refusal``."""
    if not _policy(_media_base_model(obj)).user_has_permission_for_instance(user, "change", obj):
        return False
    return change_refusal(user, obj) is None


def centre_collection(centre):
    """The collection of a resource centre's documents and images (created with the centre,
    linked to it by id: it stays the centre's when the centre is renamed)."""
    return roles.media_collection(centre)


def network_collection(network):
    """The collection of a regional network's documents and images (linked to it by id)."""
    return roles.media_collection(network)


def default_collection_for(user, model=None):
    """Where a new upload of ``user`` goes by default: their centre's (or network's)
    collection, else the first collection they may add to, else ``None``."""
    model = model or get_document_model()
    collections = list(
        _policy(_media_base_model(model)).collections_user_has_permission_for(user, "add")
    )
    own = [c for c in collections if c.depth > 1]
    return (own or collections or [None])[0]
