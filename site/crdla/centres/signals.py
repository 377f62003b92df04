from django.db.models.signals import post_save
from django.dispatch import receiver

from crdla.accounts.roles import setup_centre_groups

from .models import CentrePage


@receiver(post_save, sender=CentrePage)
def create_centre_roles(sender, instance, created, raw=False, **kwargs):
    """A new centre gets its expert and editor groups and its moderation workflow at once."""
    if created and not raw:
        setup_centre_groups(instance)
