from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "crdla.centres"
    label = "centres"
    verbose_name = _("Centres de ressources")

    def ready(self):
        from . import signals  # noqa: F401
