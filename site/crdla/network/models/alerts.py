"""Provider alerts: subscriptions (double opt-in, consent kept) and one delivery per e-mail."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AlertSubscription", "AlertDelivery", "DeliveryStatus"]


def new_token_key():
    return secrets.token_hex(8)


class AlertSubscription(models.Model):
    """A provider's subscription to call-for-tenders alerts (no account needed).

    Nothing is sent before ``confirmed_at`` is set by the double opt-in link. Empty
    preference lists mean "all". ``token_key`` is part of every signed link, so deleting
    and re-creating a subscription invalidates the old links.
    """

    email = models.EmailField(_("courriel"), unique=True)
    sectors = models.ManyToManyField("core.Sector", blank=True, verbose_name=_("secteurs"))
    departements = models.ManyToManyField(
        "core.Departement", blank=True, verbose_name=_("départements")
    )
    kinds = models.JSONField(_("types d'accompagnement"), default=list, blank=True)
    consent_text = models.TextField(_("texte du consentement"))
    consent_at = models.DateTimeField(_("date du consentement"))
    consent_ip = models.GenericIPAddressField(_("adresse IP du consentement"), null=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("dernière action de l'abonné"), default=timezone.now)
    reconsent_requested_at = models.DateTimeField(
        _("nouveau consentement demandé le"), null=True, blank=True
    )
    token_key = models.CharField(max_length=16, default=new_token_key, editable=False)

    class Meta:
        verbose_name = _("abonnement aux alertes")
        verbose_name_plural = _("abonnements aux alertes")
        indexes = [models.Index(fields=["confirmed_at"])]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("Envoi en cours")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec (nouvel essai prévu)")
    ABANDONED = "abandoned", _("Échec définitif")
    UNKNOWN = "unknown", _("Interrompu pendant l'envoi")


class AlertDelivery(models.Model):
    """One alert e-mail for (call, round, subscriber), recorded before it is sent.

    The unique constraint makes a double publication or a retried fan-out create nothing
    new; the row is claimed (pending → sending) in its own committed transaction just
    before the message is handed to the mail server, so it is never sent twice.
    """

    call = models.ForeignKey(
        "network.CallForTendersPage", on_delete=models.CASCADE, related_name="deliveries"
    )
    round = models.PositiveSmallIntegerField(
        _("envoi"), default=0, help_text=_("0 : publication ; n : n-ième rectificatif.")
    )
    subscription = models.ForeignKey(
        AlertSubscription,
        null=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("abonnement"),
    )
    email = models.EmailField(_("courriel"))
    status = models.CharField(
        _("statut"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi d'alerte")
        verbose_name_plural = _("envois d'alertes")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "round", "email"], name="network_alert_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.email} — {self.call_id}/{self.round}"
