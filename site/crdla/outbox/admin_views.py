"""Admin building blocks for background work: read-only listings, failed rows first, and a
bulk action to try the selected rows again (outbox messages, alert deliveries)."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows written by the system: people may look at them (and retry them), never edit,
    add or delete them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "lock", "unlock", "publish"):
            return False
        if action == "view":
            return user.is_active and (
                user.is_superuser or super().user_has_permission(user, action)
            )
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def failed_first(queryset, order):
    """Rows needing a person first, then those failed and awaiting a retry, then the rest."""
    return queryset.annotate(
        _priority=Case(
            *(When(status=status, then=Value(rank)) for rank, status in enumerate(order)),
            default=Value(len(order)),
            output_field=IntegerField(),
        )
    ).order_by("_priority", "-pk")


class RetryBulkAction(SnippetBulkAction):
    """« Renvoyer » / « relancer »: the selected rows get a fresh set of attempts."""

    display_name = _("Renvoyer")
    action_type = "retry"
    aria_label = _("Renvoyer les éléments sélectionnés")
    template_name = "outbox/confirm_bulk_retry.html"
    action_priority = 10
    model_class = None  # set by subclasses

    @classmethod
    def retry(cls, objects):  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return cls.retry(objects), 0

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "view")

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d élément renvoyé.", "%(count)d éléments renvoyés.", num_parent_objects
        ) % {"count": num_parent_objects}
