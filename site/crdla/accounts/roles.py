"""Roles are Django groups; this module is the one place that creates them and their permissions.

Site-wide groups carry model permissions; each resource centre gets two groups of its own
(experts, editors) whose Wagtail page permissions are scoped to the centre's section, and a
moderation workflow (expert submits → centre editor approves and publishes).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

ADMINISTRATORS = "Administrateurs du site"
CENTRE_STAFF = "Équipes des centres de ressources"
COMMITTEE_MEMBERS = "Membres de comité de pilotage"
COMMITTEE_CHAIRS = "Présidents de comité de pilotage"
DLA_OFFICERS = "Chargés de mission DLA"
ANIMATORS = "Animateurs régionaux"

SITE_GROUPS = [
    ADMINISTRATORS,
    CENTRE_STAFF,
    COMMITTEE_MEMBERS,
    COMMITTEE_CHAIRS,
    DLA_OFFICERS,
    ANIMATORS,
]

# Who may read "DLA network only" content.
DLA_NETWORK_GROUPS = [DLA_OFFICERS, ANIMATORS, CENTRE_STAFF, ADMINISTRATORS]

EXPERT_PREFIX = "Experts — "
EDITOR_PREFIX = "Éditeurs — "

EXPERT_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def dla_network_group_names():
    return list(DLA_NETWORK_GROUPS)


def can_view_restricted(user):
    """True when ``user`` may read DLA-only content (the same rule as the view restrictions)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_crdla_network_member", None)
    if cache is None:
        cache = user.groups.filter(name__in=DLA_NETWORK_GROUPS).exists()
        user._crdla_network_member = cache
    return cache


def expert_group_name(centre):
    return f"{EXPERT_PREFIX}{centre.short_name or centre.title}"


def editor_group_name(centre):
    return f"{EDITOR_PREFIX}{centre.short_name or centre.title}"


def _perms(*codenames_by_app):
    perms = []
    for app_label, codenames in codenames_by_app:
        perms += list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return perms


@transaction.atomic
def setup_site_groups():
    """Create the site-wide groups and give them their model permissions (idempotent)."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in SITE_GROUPS}
    admin_access = _perms(("wagtailadmin", ["access_admin"]))
    docs_images = _perms(
        ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
        ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    )
    groups[CENTRE_STAFF].permissions.add(*admin_access, *docs_images)
    groups[ANIMATORS].permissions.add(*admin_access, *docs_images)
    # Wagtail checks documents and images per collection, not with the model permissions.
    grant_on_root_collection([groups[CENTRE_STAFF], groups[ANIMATORS]], docs_images)
    groups[DLA_OFFICERS].permissions.add(*admin_access)
    groups[ADMINISTRATORS].permissions.set(Permission.objects.all())
    return groups


def grant_on_root_collection(groups, permissions):
    """Give ``groups`` the document/image ``permissions`` on the whole collection tree."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:  # a flushed test database: no collection tree yet
        return
    for group in groups:
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


@transaction.atomic
def setup_centre_groups(centre):
    """Experts and editors of one centre, with page permissions on its section and its workflow."""
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    experts, _created = Group.objects.get_or_create(name=expert_group_name(centre))
    editors, _created = Group.objects.get_or_create(name=editor_group_name(centre))
    for group, codenames in (
        (experts, EXPERT_PAGE_PERMISSIONS),
        (editors, EDITOR_PAGE_PERMISSIONS),
    ):
        for perm in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=centre, permission=perm)

    workflow_name = _("Modération — %(centre)s") % {"centre": centre.short_name or centre.title}
    workflow, _created = Workflow.objects.get_or_create(name=workflow_name)
    task, created = GroupApprovalTask.objects.get_or_create(
        name=_("Validation par l'équipe éditoriale — %(centre)s")
        % {"centre": centre.short_name or centre.title}
    )
    task.groups.set([editors])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=centre, defaults={"workflow": workflow})
    return experts, editors


RESTRICTED_COLLECTION = "Documents réservés au réseau DLA"


def restricted_documents_collection():
    """The collection whose documents only the DLA network may download (view-restricted)."""
    from wagtail.models import Collection, CollectionViewRestriction

    collection = Collection.objects.filter(name=RESTRICTED_COLLECTION).first()
    if collection is None:
        # Wagtail's migrations create the root collection; a flushed database may lack it.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = root.add_child(name=RESTRICTED_COLLECTION)
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name__in=DLA_NETWORK_GROUPS))
    return collection


def setup_roles(stdout=None):
    """Create every group, then the per-centre groups for each existing centre (idempotent)."""
    from crdla.centres.models import CentrePage

    setup_site_groups()
    restricted_documents_collection()
    for centre in CentrePage.objects.all():
        setup_centre_groups(centre)
        if stdout:
            stdout.write(f"  {expert_group_name(centre)} / {editor_group_name(centre)}")
