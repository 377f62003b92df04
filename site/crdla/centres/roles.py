"""Every role group at once: the site-wide ones, then each centre's own, linked by id.

``crdla.accounts.roles`` defines the groups, names them and gives them their permissions; this
app, which knows the centres, links each centre to its experts and editors groups
(``CentreGroup``) and to its collection (``crdla.accounts.models.PageCollection``), and keeps
their names in step with the centre's.
"""

from django.db import transaction

from crdla.accounts import roles

from .models import CentreGroup, CentrePage


@transaction.atomic
def link_centre_groups(centre):
    """The centre's (experts, editors) groups: the linked ones, renamed after the centre if it
    was renamed, or new ones, linked."""
    linked = {
        link.role: link.group
        for link in CentreGroup.objects.filter(centre=centre).select_related("group")
    }
    groups = []
    for role in (roles.EXPERTS, roles.EDITORS):
        group = roles.name_centre_group(linked.get(role), role, centre)
        if role not in linked:
            CentreGroup.objects.create(centre=centre, role=role, group=group)
        groups.append(group)
    return tuple(groups)


def link_centre_roles(centre):
    """After a rename: the centre's groups and collection, renamed after it (links kept)."""
    link_centre_groups(centre)
    roles.link_media_collection(centre, roles.centre_collection_name(centre))


def setup_centre_roles(centre):
    """The centre's linked groups with their permissions, collection and workflow."""
    return roles.setup_centre_groups(centre, *link_centre_groups(centre))


def setup_roles(stdout=None):
    """Create every group, then the per-centre groups for each existing centre (idempotent)."""
    roles.setup_site_groups()
    for centre in CentrePage.objects.all():
        experts, editors = setup_centre_roles(centre)
        if stdout:
            stdout.write(f"  {experts.name} / {editors.name}")
