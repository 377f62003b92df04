from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Security hardening: content security policy, login throttling, upload checks."""

    name = "crdla.security"
    label = "security"
    verbose_name = _("Sécurité")
