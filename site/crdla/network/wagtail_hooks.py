"""Admin for the networks: alert deliveries (failed ones first), subscriptions, spaces;
a 403 instead of a login loop for signed-in users outside a network's intranet; and the DLA
officer's workspace (« Publier une consultation », open calls, intranet, spaces, votes)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crdla import access as access_policy
from crdla.accounts.workspace import (
    WorkspaceLink,
    WorkspaceMenuItem,
    WorkspaceRow,
    WorkspaceSection,
)
from crdla.core.templatetags.french import echeance
from crdla.outbox.admin_views import ReadOnlyPermissionPolicy, RetryBulkAction, failed_first

from .access import networks_of
from .models import (
    AlertDelivery,
    AlertSubscription,
    CallForTendersPage,
    CallStatus,
    DeliveryStatus,
    ExchangeSpace,
    IntranetPage,
    RegionalProgramme,
)

register_permission_policy(AlertDelivery, ReadOnlyPermissionPolicy(AlertDelivery))


class AlertDeliveryViewSet(SnippetViewSet):
    """Every alert e-mail with its status, those needing a person first (interrupted,
    abandoned, failed); read-only, with a « Renvoyer » bulk action."""

    model = AlertDelivery
    icon = "mail"
    menu_label = _("Envois d'alertes")
    list_display = ["email", "call", "round", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "round"]
    search_fields = ["email"]
    inspect_view_enabled = True
    add_to_admin_menu = False

    def get_queryset(self, request):
        return failed_first(
            AlertDelivery.objects.select_related("call"),
            [
                DeliveryStatus.UNKNOWN,
                DeliveryStatus.ABANDONED,
                DeliveryStatus.FAILED,
                DeliveryStatus.PENDING,
                DeliveryStatus.SENDING,
            ],
        )


@hooks.register("register_bulk_action")
class ResendAlertDeliveries(RetryBulkAction):
    models = [AlertDelivery]

    @classmethod
    def retry(cls, objects):
        from .alerts import resend

        return resend([o.pk for o in objects])


class AlertSubscriptionViewSet(SnippetViewSet):
    """Subscriptions with their consent (wording, date, IP) for the record."""

    model = AlertSubscription
    icon = "user"
    menu_label = _("Abonnements aux alertes")
    list_display = ["email", "confirmed_at", "consent_at", "consent_ip", "last_activity_at"]
    search_fields = ["email"]
    inspect_view_enabled = True


class ExchangeSpaceViewSet(SnippetViewSet):
    model = ExchangeSpace
    icon = "group"
    menu_label = _("Espaces d'échanges")
    list_display = ["title", "network", "created_at"]


class RegionalProgrammeViewSet(SnippetViewSet):
    model = RegionalProgramme
    icon = "list-ul"
    menu_label = _("Programmes communs")
    list_display = ["title", "network", "year", "status", "round"]
    inspect_view_enabled = True


class NetworkAdminGroup(SnippetViewSetGroup):
    items = (
        AlertDeliveryViewSet,
        AlertSubscriptionViewSet,
        ExchangeSpaceViewSet,
        RegionalProgrammeViewSet,
    )
    menu_icon = "site"
    menu_label = _("Réseaux régionaux")
    menu_name = "network"


register_snippet(NetworkAdminGroup)


@hooks.register("before_serve_page")
def forbid_other_networks_intranet(page, request, serve_args, serve_kwargs):
    """Signed-in users outside the network get a 403 (Wagtail would loop them to login)."""
    if not request.user.is_authenticated:
        return None
    intranet = IntranetPage.objects.ancestor_of(page, inclusive=True).first()
    if intranet is None:
        return None
    for restriction in PageViewRestriction.objects.filter(page=intranet):
        if not restriction.accept_request(request):
            raise PermissionDenied
    return None


# --- the DLA officer's workspace ---------------------------------------------------------------


def call_indexes(user):
    cached = getattr(user, "_crdla_call_indexes", None)
    if cached is None:
        cached = access_policy.calls.call_indexes_for(user) if user.is_authenticated else []
        user._crdla_call_indexes = cached
    return cached


def add_call_url(index):
    return reverse("wagtailadmin_pages:add", args=("network", "callfortenderspage", index.pk))


def publish_actions(user):
    if user.is_superuser:
        return []  # an administrator publishes through the page tree
    indexes = call_indexes(user)
    actions = []
    for index in indexes:
        label = gettext("Publier une consultation")
        if len(indexes) > 1:
            label = gettext("Publier une consultation — %(network)s") % {
                "network": index.get_parent().title
            }
        actions.append(WorkspaceLink(label, add_call_url(index), primary=True))
    return actions


def my_open_calls(user):
    """The calls still open of the officer's DLA, or that they wrote."""
    query = Q(owner=user)
    dla = access_policy.calls.own_dla(user)
    if dla is not None:
        query |= Q(dla=dla)
    calls = (
        CallForTendersPage.objects.filter(
            query, status=CallStatus.OPEN, deadline__gt=timezone.now()
        )
        .select_related("dla")
        .order_by("deadline")[:10]
    )
    return [
        WorkspaceRow(
            f"{call.reference} — {call.title}",
            reverse("wagtailadmin_pages:edit", args=[call.pk]),
            [
                call.dla.title,
                gettext("réponses jusqu'au %(date)s") % {"date": echeance(call.deadline)},
                gettext("en ligne") if call.live else gettext("brouillon"),
            ],
        )
        for call in calls
    ]


def network_links(user):
    links = []
    for network in networks_of(user):
        intranet = IntranetPage.objects.live().child_of(network).first()
        if intranet is not None and access_policy.can_view_page(user, intranet):
            label = gettext("Intranet — %(network)s") % {"network": network.title}
            links.append(WorkspaceLink(label, intranet.url))
    if links or networks_of(user).exists():
        links.append(WorkspaceLink(gettext("Espaces d'échanges"), reverse("network:space-list")))
        links.append(WorkspaceLink(gettext("Votes du réseau"), reverse("network:programme-list")))
    return links


@hooks.register("register_workspace_sections")
def network_section(user):
    actions = publish_actions(user)
    links = network_links(user) if not user.is_superuser else []
    if not actions and not links:
        return None
    return WorkspaceSection(
        key="network",
        heading=gettext("Mon réseau DLA"),
        order=30,
        actions=actions,
        rows=my_open_calls(user) if actions else [],
        rows_heading=gettext("Mes consultations ouvertes") if actions else "",
        empty=gettext("Aucune consultation ouverte.") if actions else "",
        links=links,
    )


def single_call_url(user):
    actions = publish_actions(user)
    return actions[0].url if len(actions) == 1 else None


@hooks.register("register_admin_menu_item")
def register_publish_call_menu_item():
    return WorkspaceMenuItem(
        _("Publier une consultation"), single_call_url, icon_name="doc-full-inverse", order=6
    )
