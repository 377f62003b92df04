"""Calls for tenders: where a user may publish one, and on behalf of which DLA.

An officer publishes under the calls index of the regional network whose group holds the
page permissions there (``network.access.grant_call_permissions``); the « DLA émetteur » is
one of that network's DLA. The officer's own DLA (profile, or the DLA page listing them) is
the default. Models are reached through the app registry: this module sits below ``network``.
"""

from django.apps import apps
from django.db.models import Q

from .pages import addable_parents


def _model(name):
    return apps.get_model("network", name)


def call_indexes_for(user):
    """The calls indexes under which ``user`` may publish a call."""
    return addable_parents(user, _model("CallForTendersIndexPage").objects.order_by("path"))


def dla_choices(user):
    """The DLA pages ``user`` may name as the issuer of a call: those of the networks whose
    calls index they may publish in (every DLA for site administrators)."""
    dla_model = _model("DLAPage")
    if user.is_authenticated and user.is_superuser:
        return dla_model.objects.order_by("title")
    indexes = call_indexes_for(user)
    if not indexes:
        return dla_model.objects.none()
    network_model = _model("NetworkPage")
    paths = [
        network.path
        for index in indexes
        for network in network_model.objects.ancestor_of(index).only("path")
    ]
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return dla_model.objects.filter(query).order_by("title")


def own_dla(user):
    """The DLA the user works for (their profile, else a DLA page that lists them)."""
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    if profile is not None and profile.dla_id:
        return profile.dla
    record = _model("DLAOfficer").objects.filter(user=user).select_related("page").first()
    return record.page if record else None


def default_dla(user):
    """The DLA pre-set on a new call: the officer's own, when they may publish for it."""
    choices = dla_choices(user)
    dla = own_dla(user)
    if dla is not None and choices.filter(pk=dla.pk).exists():
        return dla
    return choices.first() if choices.count() == 1 else None


def can_publish_for(user, dla):
    return dla is not None and dla_choices(user).filter(pk=dla.pk).exists()
