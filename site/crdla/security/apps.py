from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Security hardening: content security policy, login throttling, upload checks."""

    name = "crdla.security"
    label = "security"
    verbose_name = _("Sécurité")

    def ready(self):
        # Listed after wagtail.documents and wagtail.images, which register their default
        # permission policies in their own ready(): ours (crdla.access) must come after them.
        from crdla.access.media import install_media_policies

        install_media_policies()
