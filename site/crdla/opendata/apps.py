from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """Open data: the read-only public API, its OpenAPI description, exports, calendars,
    per-centre feeds and the DCAT catalogue."""

    name = "crdla.opendata"
    label = "opendata"
    verbose_name = _("Données ouvertes")
