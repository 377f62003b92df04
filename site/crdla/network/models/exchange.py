"""Confidential exchange spaces: members post threads and replies, nothing leaves them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ExchangeSpace", "SpaceMembership", "SpaceThread", "SpaceReply"]


class ExchangeSpace(models.Model):
    """An espace d'échanges of a network; only its members can read or write in it."""

    network = models.ForeignKey(
        "network.NetworkPage",
        on_delete=models.CASCADE,
        related_name="exchange_spaces",
        verbose_name=_("réseau"),
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    closed_at = models.DateTimeField(
        _("fermé le"),
        null=True,
        blank=True,
        help_text=_("Un espace fermé reste lisible par ses membres ; on n'y écrit plus."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="SpaceMembership",
        related_name="exchange_spaces",
        verbose_name=_("membres"),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("espace d'échanges")
        verbose_name_plural = _("espaces d'échanges")

    def __str__(self):
        return self.title


class SpaceMembership(models.Model):
    """A user's membership of a space (an officer, or a partner invited by the animator)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Chargé·e de mission")
        PARTNER = "partner", _("Partenaire")
        MANAGER = "manager", _("Animation ou administration")

    space = models.ForeignKey(ExchangeSpace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    joined_at = models.DateTimeField(_("membre depuis"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'un espace")
        verbose_name_plural = _("membres des espaces")
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="network_space_member_once")
        ]

    def __str__(self):
        return f"{self.user} — {self.space}"


class SpaceThread(models.Model):
    """A discussion thread in a space."""

    space = models.ForeignKey(ExchangeSpace, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("sujet"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    is_system = models.BooleanField(
        _("message automatique"),
        default=False,
        help_text=_("Annonce de l'espace (par exemple l'arrivée d'un membre), sans réponse."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self):
        return self.title


class SpaceReply(models.Model):
    """A reply in a thread."""

    thread = models.ForeignKey(SpaceThread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("réponse"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")

    def __str__(self):
        return f"{self.thread} — {self.pk}"
