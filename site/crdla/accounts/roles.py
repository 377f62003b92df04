"""Roles are Django groups; this module is the one place that creates them and their permissions.

Site-wide groups carry model permissions; each resource centre gets two groups of its own
(experts, editors) whose Wagtail page permissions are scoped to the centre's section, a
collection of its own for its documents and images, and a moderation workflow (expert
submits → centre editor approves and publishes). Who may *read* a page or a file is not
decided here but in ``crdla.access``.

Committee members and chairs are no group: a committee is its centre's ``CommitteeSeat`` rows
(the linked account reviews, the chair's decides), read by ``crdla.access.programmes``."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

ADMINISTRATORS = "Administrateurs du site"
CENTRE_STAFF = "Équipes des centres de ressources"
DLA_OFFICERS = "Chargés de mission DLA"
ANIMATORS = "Animateurs régionaux"

SITE_GROUPS = [
    ADMINISTRATORS,
    CENTRE_STAFF,
    DLA_OFFICERS,
    ANIMATORS,
]

# Who may read "DLA network only" content.
DLA_NETWORK_GROUPS = [DLA_OFFICERS, ANIMATORS, CENTRE_STAFF, ADMINISTRATORS]

# A centre's own groups, by role. They are linked to their centre by id
# (``crdla.centres.models.CentreGroup``), never found by name: their names follow the centre's
# and change when it is renamed.
EXPERTS = "experts"
EDITORS = "editors"

EXPERT_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def dla_network_group_names():
    return list(DLA_NETWORK_GROUPS)


def expert_group_name(centre):
    """The display name of the centre's experts group (it follows the centre's name)."""
    return f"Experts — {centre.short_name or centre.title}"


def editor_group_name(centre):
    """The display name of the centre's editors group (it follows the centre's name)."""
    return f"Éditeurs — {centre.short_name or centre.title}"


CENTRE_GROUP_NAMES = {EXPERTS: expert_group_name, EDITORS: editor_group_name}


def name_centre_group(group, role, centre):
    """``group`` (or a new group when None) named after ``centre``; returns it.

    A linked group is renamed with its centre, unless another group already has that name
    (Django's group names are unique): it then keeps its name, and its link.
    """
    name = CENTRE_GROUP_NAMES[role](centre)
    if group is None:
        return Group.objects.get_or_create(name=name)[0]
    if group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    return group


def _perms(*codenames_by_app):
    perms = []
    for app_label, codenames in codenames_by_app:
        perms += list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return perms


MEDIA_PERMISSIONS = (
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
)


@transaction.atomic
def setup_site_groups():
    """Create the site-wide groups and give them their model permissions (idempotent).

    No site-wide group may add or change documents and images: Wagtail checks those per
    collection, and each centre's and each network's groups get them on their own collection
    only (``setup_centre_groups``, ``setup_network_collection``). Staff may *choose* the
    shared illustrations of the « Médiathèque commune ».
    """
    from wagtail.models import GroupCollectionPermission

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in SITE_GROUPS}
    admin_access = _perms(("wagtailadmin", ["access_admin"]))
    media = _perms(*MEDIA_PERMISSIONS)
    groups[CENTRE_STAFF].permissions.add(*admin_access)
    groups[ANIMATORS].permissions.add(*admin_access)
    groups[DLA_OFFICERS].permissions.add(*admin_access)
    # Before per-centre collections, staff held these on the root collection (every file).
    for name in (CENTRE_STAFF, ANIMATORS):
        groups[name].permissions.remove(*media)
    GroupCollectionPermission.objects.filter(
        group__in=[groups[CENTRE_STAFF], groups[ANIMATORS]], permission__in=media
    ).delete()
    setup_shared_media_collection([groups[CENTRE_STAFF], groups[ANIMATORS]])
    groups[ADMINISTRATORS].permissions.set(Permission.objects.all())
    return groups


SHARED_MEDIA_COLLECTION = "Médiathèque commune"


def setup_shared_media_collection(groups):
    """Illustrations every centre may *choose* (not change): filled by administrators."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:  # a flushed test database: no collection tree yet
        return None
    collection = root.get_children().filter(name=SHARED_MEDIA_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=SHARED_MEDIA_COLLECTION)
    choose = _perms(("wagtaildocs", ["choose_document"]), ("wagtailimages", ["choose_image"]))
    for group in groups:
        for permission in choose:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return collection


# Wagtail names the root collection « Root »; ours is French (migration accounts 0003).
ROOT_COLLECTION_NAME = "Tous les centres et réseaux"


def centre_collection_name(centre):
    return centre.short_name or centre.title


def network_collection_name(network):
    return f"Réseau régional — {network.region.name}"


def media_collection(page):
    """The collection linked to ``page`` (a centre, a regional network), or ``None``."""
    from wagtail.models import Collection

    return Collection.objects.filter(page_link__page_id=page.pk).first()


@transaction.atomic
def link_media_collection(page, name):
    """``page``'s linked collection, renamed ``name`` if it was renamed, or a new one under the
    root, linked; returns it.

    A linked collection keeps its link when another collection under the root already has
    that name: it then keeps its own name. ``crdla.centres.roles`` and
    ``crdla.network.access`` call it when a centre or a network is created or renamed.
    """
    from wagtail.models import Collection

    from .models import PageCollection

    collection = media_collection(page)
    root = Collection.get_first_root_node()
    if root is None:  # a flushed test database: no collection tree yet
        root = Collection.add_root(name=ROOT_COLLECTION_NAME)
    if collection is None:
        # A collection of that name that no page owns (e.g. its centre was deleted) is reused.
        collection = root.get_children().filter(
            name=name, page_link__isnull=True
        ).first() or root.add_child(name=name)
        PageCollection.objects.create(page_id=page.pk, collection=collection)
    elif collection.name != name and not root.get_children().filter(name=name).exists():
        collection.name = name
        collection.save(update_fields=["name"])
    return collection


def grant_media_collection(page, name, groups):
    """``page``'s collection (``link_media_collection``), where ``groups`` may add, change and
    choose documents and images; returns the collection."""
    from wagtail.models import GroupCollectionPermission

    collection = link_media_collection(page, name)
    for group in groups:
        for permission in _perms(*MEDIA_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return collection


def setup_network_collection(network, group):
    """The regional network's collection, managed by the network's group (animator, officers)."""
    return grant_media_collection(network, network_collection_name(network), [group])


@transaction.atomic
def setup_centre_groups(centre, experts, editors):
    """Page permissions of a centre's experts and editors groups on its section, their
    collection, and the centre's moderation workflow (idempotent).

    The groups are the centre's linked ones (``crdla.centres.roles`` creates and links them
    with ``name_centre_group``).
    """
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    for group, codenames in (
        (experts, EXPERT_PAGE_PERMISSIONS),
        (editors, EDITOR_PAGE_PERMISSIONS),
    ):
        for perm in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=centre, permission=perm)

    # A renamed centre keeps its workflow (and the moderation under way in it).
    linked = WorkflowPage.objects.filter(page=centre).select_related("workflow").first()
    workflow = linked.workflow if linked else None
    task = None
    if workflow is not None:
        task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    else:
        workflow_name = _("Modération — %(centre)s") % {"centre": centre.short_name or centre.title}
        workflow, _created = Workflow.objects.get_or_create(name=workflow_name)
    if task is None:
        task, _created = GroupApprovalTask.objects.get_or_create(
            name=_("Validation par l'équipe éditoriale — %(centre)s")
            % {"centre": centre.short_name or centre.title}
        )
    task.groups.set([editors])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=centre, defaults={"workflow": workflow})
    grant_media_collection(centre, centre_collection_name(centre), [experts, editors])
    return experts, editors
