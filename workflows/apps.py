from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Programme approval by the steering committees (viewflow)."""

    name = "workflows"
    verbose_name = _("Pilotage des programmes")
    # Its part of `manage.py load_initial_data` (crdla.core), run after the shared content.
    demo_loader = "workflows.demo.load_demo"

    def ready(self):
        # Declaring the flow adds its "manage" permission to ProgrammeProcess; import it
        # now so migrations and permission checks always see the same model options.
        from . import flows, signals  # noqa: F401
