from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "crdla.core"
    label = "core"
    verbose_name = _("Socle commun")

    def ready(self):
        from crdla.access import signals

        from . import checks  # noqa: F401 - registers the production checks

        signals.connect()
