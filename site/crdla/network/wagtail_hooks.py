"""Admin for the networks: alert deliveries (failed ones first), subscriptions, spaces;
and a 403 instead of a login loop for signed-in users outside a network's intranet."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import PageViewRestriction
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crdla.outbox.admin_views import ReadOnlyPermissionPolicy, RetryBulkAction, failed_first

from .models import (
    AlertDelivery,
    AlertSubscription,
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
