"""Who may read, write in and manage an exchange space.

The contents of a space (its threads, their replies, its member list) are for its members only.
The network's animator and the site administrators manage spaces and their membership and may
close a space, but do not read it unless they join it, and joining is announced to the members.
Anyone else does not learn that the space exists (the views answer 404).

This module sits below the ``network`` application: it asks for its models through the app
registry and for the network's membership rule (``crdla.network.access``) only when called.
"""

from django.apps import apps
from django.db.models import Q

from crdla.accounts import roles


def _is_site_admin(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=roles.ADMINISTRATORS).exists()


def is_space_member(user, space):
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_access_space_member", {})
    if space.pk not in cache:
        cache[space.pk] = space.memberships.filter(user=user).exists()
    return cache[space.pk]


def forget(user):
    """Drop what was cached on ``user`` for this request (after joining or leaving)."""
    user.__dict__.pop("_access_space_member", None)


def can_manage_space(user, space):
    """Administrators, and the animator of the space's network: membership, closing."""
    if not user.is_authenticated:
        return False
    if _is_site_admin(user):
        return True
    from crdla.network.access import is_network_animator

    return is_network_animator(user, space.network)


def can_see_space(user, space):
    """Whether the space exists for ``user`` (its title and description): members, managers."""
    return is_space_member(user, space) or can_manage_space(user, space)


def can_read_space(user, space):
    """Threads, replies and the member list: members only (a closed space stays readable)."""
    return is_space_member(user, space)


def can_post_in_space(user, space):
    return is_space_member(user, space) and space.closed_at is None


def can_join_space(user, space):
    """A manager who is not a member may join (the members are told)."""
    return can_manage_space(user, space) and not is_space_member(user, space)


def can_leave_space(user, space):
    return is_space_member(user, space)


def managed_networks(user):
    """The networks whose spaces ``user`` manages."""
    network_model = apps.get_model("network", "NetworkPage")
    if not user.is_authenticated:
        return network_model.objects.none()
    if _is_site_admin(user):
        return network_model.objects.all()
    from crdla.network.access import network_animators

    return network_model.objects.filter(
        pk__in=[
            n.pk for n in network_model.objects.all() if network_animators(n).filter(pk=user.pk)
        ]
    )


def visible_spaces(user):
    """The spaces ``user`` may see listed: those they belong to and those they manage."""
    space_model = apps.get_model("network", "ExchangeSpace")
    if not user.is_authenticated:
        return space_model.objects.none()
    return space_model.objects.filter(
        Q(memberships__user=user) | Q(network__in=managed_networks(user))
    ).distinct()
