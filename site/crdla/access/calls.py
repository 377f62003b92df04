"""Who may publish and edit a call for tenders, and under which DLA.

A DLA officer publishes and edits only the calls of their own DLA (``profile.dla``); the
regional animator those of any DLA of their network; site administrators any. Everyone else
reads a call like the public does. The rule is enforced on the server by the call's admin form
(its DLA choices and its validation), by the page's own permission tester (other DLAs' calls
are read-only in the admin) and before any alert is sent.

This module sits below the ``network`` application: it reaches its models through the app
registry and its membership rules (``crdla.network.access``) only when called.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.models import PagePermissionTester

from crdla.accounts import roles

# Site administrators may publish for every DLA.
ALL = object()

OTHER_DLA_MESSAGE = _(
    "Vous ne pouvez publier une consultation que pour votre DLA "
    "(ou, pour l'animation régionale, pour un DLA de votre réseau)."
)
NOT_IN_NETWORK_MESSAGE = _("Le DLA émetteur doit être un DLA du réseau de cette consultation.")


def _dla_model():
    return apps.get_model("network", "DLAPage")


def _is_site_admin(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=roles.ADMINISTRATORS).exists()


def publishable_dlas(user):
    """The DLA pages ``user`` may publish calls for (a queryset, possibly empty)."""
    dla_model = _dla_model()
    if not user.is_authenticated or not user.is_active:
        return dla_model.objects.none()
    cached = getattr(user, "_access_call_dla_ids", None)
    if cached is None:
        cached = _publishable_dla_ids(user)
        user._access_call_dla_ids = cached
    if cached is ALL:
        return dla_model.objects.all()
    return dla_model.objects.filter(pk__in=cached)


def _publishable_dla_ids(user):
    if _is_site_admin(user):
        return ALL
    from crdla.network.access import is_network_animator

    network_model = apps.get_model("network", "NetworkPage")
    ids = set()
    profile = getattr(user, "profile", None)
    is_officer = user.groups.filter(name=roles.DLA_OFFICERS).exists()
    if is_officer and profile is not None and profile.dla_id:
        ids.add(profile.dla_id)
    for network in network_model.objects.all():
        if is_network_animator(user, network):
            ids |= set(_dla_model().objects.child_of(network).values_list("pk", flat=True))
    return ids


def can_publish_for_dla(user, dla):
    """May ``user`` publish (or edit) a call issued under ``dla``?"""
    if dla is None:
        return False
    return publishable_dlas(user).filter(pk=dla.pk).exists()


def can_manage_call(user, call):
    """May ``user`` edit, publish, unpublish, move or delete this existing call?"""
    if not call.dla_id:
        return _is_site_admin(user)
    return can_publish_for_dla(user, call.dla)


def dla_belongs_to_network(dla, network):
    """A call's DLA must be a DLA of the network it is published in."""
    return network is not None and dla is not None and dla.path.startswith(network.path)


def alert_may_go_out(call, publisher=None):
    """Alerts go out only under a DLA of the call's own network, and, when the publisher is
    known, a DLA they may publish for."""
    if not dla_belongs_to_network(call.dla, call.network):
        return False
    return publisher is None or can_publish_for_dla(publisher, call.dla)


class CallPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, narrowed to the calls of the DLA the user publishes for:
    the calls of other DLA are read-only (no edit, publish, unpublish, move, copy, delete)."""

    def _may_manage(self):
        cached = getattr(self, "_may_manage_cache", None)
        if cached is None:
            cached = can_manage_call(self.user, self.page)
            self._may_manage_cache = cached
        return cached

    def can_edit(self):
        return self._may_manage() and super().can_edit()

    def can_publish(self):
        return self._may_manage() and super().can_publish()

    def can_unpublish(self):
        return self._may_manage() and super().can_unpublish()

    def can_submit_for_moderation(self):
        return self._may_manage() and super().can_submit_for_moderation()

    def can_delete(self, ignore_bulk=False):
        return self._may_manage() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return self._may_manage() and super().can_move()

    def can_copy(self):
        return self._may_manage() and super().can_copy()

    def can_lock(self):
        return self._may_manage() and super().can_lock()


# --- Where a user publishes, and the DLA pre-set on a new call (the workspace, issue 17) -------


def call_indexes_for(user):
    """The calls indexes under which ``user`` may create a call (Wagtail's page permissions)."""
    from .pages import addable_parents

    indexes = apps.get_model("network", "CallForTendersIndexPage").objects.order_by("path")
    return addable_parents(user, indexes)


def own_dla(user):
    """The DLA the user works for (their profile, else a DLA page that lists them)."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    if profile is not None and profile.dla_id:
        return profile.dla
    record = apps.get_model("network", "DLAOfficer").objects.filter(user=user).first()
    return record.page if record else None


def default_dla(user, allowed=None):
    """The DLA pre-set on a new call: the user's own when they may publish for it, else the
    only one they may publish for (``allowed`` narrows the choice, e.g. to the call's network)."""
    allowed = publishable_dlas(user) if allowed is None else allowed
    dla = own_dla(user)
    if dla is not None and allowed.filter(pk=dla.pk).exists():
        return dla
    return allowed.first() if allowed.count() == 1 else None
