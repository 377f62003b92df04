from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "crdla.network"
    label = "network"
    verbose_name = _("Réseaux régionaux DLA")
    # Its part of `manage.py load_initial_data` (crdla.core), run after the shared content.
    demo_loader = "crdla.network.demo.load_demo"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from . import signals

        m2m_changed.connect(
            signals.user_groups_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="network-user-groups",
        )
