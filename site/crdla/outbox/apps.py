from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "crdla.outbox"
    label = "outbox"
    verbose_name = _("Tâches de fond")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import service

        service.connect_signals()
