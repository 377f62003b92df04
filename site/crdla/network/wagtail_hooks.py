"""Admin for the networks: alert deliveries (failed ones first), subscriptions, spaces;
and a 403 instead of a login loop for signed-in users outside a network's intranet."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    AlertDelivery,
    AlertSubscription,
    ExchangeSpace,
    IntranetPage,
    RegionalProgramme,
)


class AlertDeliveryViewSet(SnippetViewSet):
    """Every alert e-mail with its status; filter on "Échec" to see the failed sends."""

    model = AlertDelivery
    icon = "mail"
    menu_label = _("Envois d'alertes")
    list_display = ["email", "call", "round", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "round"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False


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
