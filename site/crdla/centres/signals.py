from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CentrePage
from .roles import link_centre_roles, setup_centre_roles

NAME_FIELDS = {"title", "short_name"}


@receiver(post_save, sender=CentrePage)
def centre_roles(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A new centre gets its expert and editor groups and its moderation workflow at once; a
    renamed one keeps its groups and collection (linked by id), renamed after it when the name
    is saved (a draft's revision saves other fields only)."""
    if raw:
        return
    if created:
        setup_centre_roles(instance)
    elif update_fields is None or NAME_FIELDS & set(update_fields):
        if instance.role_groups.exists():
            link_centre_roles(instance)
