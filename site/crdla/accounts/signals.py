from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import UserProfile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    """Every user gets an (empty) profile so views can rely on ``user.profile``."""
    if created and not raw:
        UserProfile.objects.get_or_create(user=instance)


def ensure_site_groups(sender, app_config=None, **kwargs):
    """After every migrate the role groups exist with their permissions (idempotent).

    post_migrate is sent once per app with models; only the last one's comes after every
    app's permissions were created (the administrators' would otherwise miss the later apps').
    """
    from django.apps import apps

    from .roles import setup_site_groups

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is None or app_config is with_models[-1]:
        setup_site_groups()
