from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "crdla.accounts"
    label = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals

        # Not ``sender=self``: the administrators get every permission, so the groups are set
        # up after the last app's post_migrate, once every app's permissions exist.
        post_migrate.connect(signals.ensure_site_groups, dispatch_uid="crdla_site_groups")
