from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import UserProfile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    """Every user gets an (empty) profile so views can rely on ``user.profile``."""
    if created and not raw:
        UserProfile.objects.get_or_create(user=instance)


def ensure_site_groups(sender, **kwargs):
    """After every migrate the role groups exist with their permissions (idempotent)."""
    from .roles import setup_site_groups

    setup_site_groups()
