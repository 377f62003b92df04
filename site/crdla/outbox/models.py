"""The outbox row: one side effect waiting to be handed to (or done by) a Celery worker."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    DISPATCHED = "dispatched", _("Confiée au worker")
    DONE = "done", _("Faite")
    FAILED = "failed", _("Échec (nouvel essai prévu)")
    ABANDONED = "abandoned", _("À traiter (abandonnée)")


class OutboxMessage(models.Model):
    """A Celery task to run, recorded in the transaction that makes it necessary.

    Written with the change (publication, subscription, decision), dispatched after the
    commit; the sweep re-dispatches what the broker, the mail server or the search engine
    refused, with a growing delay, and flags it for a person after the last attempt.
    """

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    reason = models.TextField(_("motif"), blank=True)
    last_error = models.TextField(_("erreur technique"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), db_index=True)
    dispatched_at = models.DateTimeField(_("confiée le"), null=True, blank=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche de fond")
        verbose_name_plural = _("tâches de fond")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return self.description or self.task


class SentEmail(models.Model):
    """One e-mail per (event, recipient): a task that runs twice (its own retry, or the
    sweep's re-dispatch after a worker that never reported back) sends it once. Kept
    ``KEEP_SENT`` (30 days), far longer than any retry; a claim whose sending failed for good
    (never ``sent_at``) goes ``KEEP_SENT`` after it was made."""

    event = models.CharField(_("événement"), max_length=200)
    recipient = models.CharField(_("destinataire"), max_length=254)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("réservé le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("courriel envoyé")
        verbose_name_plural = _("courriels envoyés")
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="one_email_per_event")
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient}"
