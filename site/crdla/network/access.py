"""Who belongs to a regional network: its DLA officers and its animator.

One rule used everywhere (intranet restriction, exchange spaces, vote, survey): an officer
is a member of the ``DLA_OFFICERS`` group attached to the network through their profile
(network or DLA) or through a DLA page's officer list; the animator is the network's
``animator`` account or a member of ``ANIMATORS`` whose profile points at the network.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from crdla.accounts import roles

NETWORK_GROUP_PREFIX = "Réseau régional — "


def network_group_name(network):
    """The display name of the network's group (it follows the région's name)."""
    return f"{NETWORK_GROUP_PREFIX}{network.region.name}"


def network_group(network):
    """The network's group (linked by id, ``NetworkGroup``), or ``None`` before its first sync."""
    return Group.objects.filter(network_link__network_id=network.pk).first()


@transaction.atomic
def link_network_group(network):
    """The network's linked group, renamed after it if it was renamed, or a new one, linked.

    A linked group keeps its name (and its link) when another group already has the new one
    (Django's group names are unique).
    """
    from .models import NetworkGroup

    name = network_group_name(network)
    group = network_group(network)
    if group is None:
        # A group of that name that no network owns (e.g. its network was deleted) is reused.
        group = Group.objects.filter(name=name).first()
        if group is None or NetworkGroup.objects.filter(group=group).exists():
            group = Group.objects.create(name=name if group is None else f"{name} ({network.pk})")
        NetworkGroup.objects.create(network=network, group=group)
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    return group


def network_officers(network):
    """Users who are DLA officers of ``network``."""
    from .models import DLAPage

    dla_ids = DLAPage.objects.child_of(network).values_list("pk", flat=True)
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.DLA_OFFICERS)
        .filter(
            Q(profile__network=network)
            | Q(profile__dla__in=dla_ids)
            | Q(dla_officer_records__page__in=dla_ids)
        )
        .distinct()
    )


def network_animators(network):
    """Users who animate ``network`` (the network's account and regional animators)."""
    query = Q(groups__name=roles.ANIMATORS, profile__network=network)
    if network.animator_id:
        query |= Q(pk=network.animator_id)
    return get_user_model().objects.filter(query, is_active=True).distinct()


def is_network_officer(user, network):
    return user.is_authenticated and network_officers(network).filter(pk=user.pk).exists()


def is_network_animator(user, network):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return network_animators(network).filter(pk=user.pk).exists()


def is_network_member(user, network):
    return is_network_animator(user, network) or is_network_officer(user, network)


def networks_of(user):
    """The networks ``user`` belongs to, as officer or animator."""
    from .models import NetworkPage

    if not user.is_authenticated:
        return NetworkPage.objects.none()
    return NetworkPage.objects.filter(
        pk__in=[n.pk for n in NetworkPage.objects.all() if is_network_member(user, n)]
    )


def sync_network_group(network):
    """Make the network's group (``link_network_group``) hold exactly its officers and
    animators (idempotent)."""
    group = link_network_group(network)
    members = set(network_officers(network).values_list("pk", flat=True))
    members |= set(network_animators(network).values_list("pk", flat=True))
    group.user_set.set(members)
    # The network's documents and images: managed by its members, in its own collection.
    roles.setup_network_collection(network, group)
    return group


CALL_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def grant_call_permissions(calls_index):
    """The network group may create, edit and publish calls under the network's index."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    from .models import NetworkPage

    network = NetworkPage.objects.ancestor_of(calls_index).first()
    if network is None:
        return
    group = sync_network_group(network)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=CALL_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(
            group=group, page=calls_index, permission=permission
        )
