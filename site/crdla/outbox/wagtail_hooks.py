"""Admin: the background work (« Tâches de fond »), those needing a person first."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import ReadOnlyPermissionPolicy, RetryBulkAction, failed_first
from .models import OutboxMessage, OutboxStatus

register_permission_policy(OutboxMessage, ReadOnlyPermissionPolicy(OutboxMessage))


class OutboxMessageViewSet(SnippetViewSet):
    """Side effects waiting for the broker, the mail server or the search engine."""

    model = OutboxMessage
    icon = "cogs"
    menu_label = _("Tâches de fond")
    list_display = ["description", "status", "attempts", "reason", "next_attempt_at", "created_at"]
    list_filter = ["status", "task"]
    search_fields = ["description", "task"]
    inspect_view_enabled = True
    add_to_settings_menu = True

    def get_queryset(self, request):
        return failed_first(
            OutboxMessage.objects.all(),
            [OutboxStatus.ABANDONED, OutboxStatus.FAILED, OutboxStatus.PENDING],
        )


register_snippet(OutboxMessageViewSet)


@hooks.register("register_bulk_action")
class RetryOutboxMessages(RetryBulkAction):
    models = [OutboxMessage]

    @classmethod
    def retry(cls, objects):
        from .service import retry_now

        return retry_now(OutboxMessage.objects.filter(pk__in=[o.pk for o in objects]))
