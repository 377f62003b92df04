"""Every role group at once: the site-wide ones, then each existing centre's own.

``crdla.accounts.roles`` defines the groups and their permissions; this app, which knows the
centres, applies them to each one.
"""

from crdla.accounts.roles import (
    editor_group_name,
    expert_group_name,
    setup_centre_groups,
    setup_site_groups,
)

from .models import CentrePage


def setup_roles(stdout=None):
    """Create every group, then the per-centre groups for each existing centre (idempotent)."""
    setup_site_groups()
    for centre in CentrePage.objects.all():
        setup_centre_groups(centre)
        if stdout:
            stdout.write(f"  {expert_group_name(centre)} / {editor_group_name(centre)}")
