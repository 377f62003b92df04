"""Signal handlers: alert fan-out on publication, network groups kept in sync."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.signals import page_published

from crdla.accounts.models import UserProfile
from crdla.core.models import Region

from .models import CallForTendersIndexPage, CallForTendersPage, DLAOfficer, NetworkPage


@receiver(page_published, sender=CallForTendersPage)
def notify_subscribers(sender, instance, **kwargs):
    """After the publication commits, fan the call (or its new rectificatif) out once."""
    from .alerts import should_notify
    from .tasks import fan_out_call

    revision = kwargs.get("revision")
    if not should_notify(instance, publisher=getattr(revision, "user", None)):
        return
    from crdla.outbox.service import enqueue

    # An outbox row in the publication's transaction: a broker down never fails the
    # publication, and the sweep sends the alerts once it is back.
    enqueue(
        fan_out_call,
        instance.pk,
        instance.notification_round,
        description=_("Alertes de la consultation « %(title)s » (envoi %(round)s)")
        % {"title": instance.title, "round": instance.notification_round},
    )


def _sync(network):
    from .access import sync_network_group

    if network is not None and network.pk:
        sync_network_group(network)


@receiver(post_save, sender=NetworkPage)
def network_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """The network's group and collection follow its published row: a draft's revision saves
    a few fields only, so the network is read back (its région, its animator) before syncing."""
    if raw:
        return
    if update_fields is not None:
        instance = NetworkPage.objects.filter(pk=instance.pk).select_related("region").first()
    _sync(instance)


@receiver(post_save, sender=Region)
def region_saved(sender, instance, raw=False, **kwargs):
    """A renamed région renames its network's group and collection (linked by id)."""
    if not raw:
        _sync(NetworkPage.objects.filter(region=instance).first())


@receiver(post_save, sender=DLAOfficer)
@receiver(post_delete, sender=DLAOfficer)
def officer_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.page_id:
        _sync(NetworkPage.objects.filter(pk=instance.page.get_parent().pk).first())


@receiver(post_save, sender=UserProfile)
def profile_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _sync(instance.network)
    if instance.dla_id:
        _sync(NetworkPage.objects.filter(pk=instance.dla.get_parent().pk).first())


def user_groups_changed(sender, instance, action, reverse=False, **kwargs):
    """A user joining or leaving the officer/animator groups changes the network groups."""
    from django.contrib.auth import get_user_model

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    users = (
        [instance]
        if not reverse
        else list(get_user_model().objects.filter(pk__in=kwargs.get("pk_set") or []))
    )
    for user in users:
        profile = getattr(user, "profile", None)
        if profile is None:
            continue
        _sync(profile.network)
        if profile.dla_id:
            _sync(NetworkPage.objects.filter(pk=profile.dla.get_parent().pk).first())


@receiver(post_save, sender=CallForTendersIndexPage)
def calls_index_saved(sender, instance, created, raw=False, **kwargs):
    """Officers of the network may add, edit and publish calls under its index page."""
    if raw or not created:
        return
    from .access import grant_call_permissions

    grant_call_permissions(instance)


# --- Page cache: the directory, « Trouver mon DLA », the network and calls pages ----------------


def public_network_data_changed(sender, raw=False, **kwargs):
    """DLA records (pages and officers) and calls (pages, lots, corrections) are shown on cached
    public pages: the directory, the network pages, the calls listings."""
    from crdla.pagecache.signals import invalidate

    if not raw:
        invalidate(sender, **kwargs)  # with the instance: a DLA page's draft save keeps the cache


def _connect_page_cache_receivers():
    from wagtail.signals import page_published, page_unpublished

    from .models import CallCorrection, CallDocument, CallLot, DLAPage

    for model in (DLAPage, DLAOfficer, CallForTendersPage, CallLot, CallCorrection, CallDocument):
        uid = f"network-pagecache-{model.__name__}"
        post_save.connect(public_network_data_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(public_network_data_changed, sender=model, dispatch_uid=uid + "-del")
    for model in (DLAPage, CallForTendersPage):
        uid = f"network-pagecache-publish-{model.__name__}"
        page_published.connect(public_network_data_changed, sender=model, dispatch_uid=uid)
        page_unpublished.connect(public_network_data_changed, sender=model, dispatch_uid=uid + "-u")


_connect_page_cache_receivers()
