from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Programme approval by the steering committees (viewflow)."""

    name = "workflows"
    verbose_name = _("Pilotage des programmes")

    def ready(self):
        # Declaring the flow adds its "manage" permission to ProgrammeProcess; import it
        # now so migrations and permission checks always see the same model options.
        from . import flows, signals  # noqa: F401
