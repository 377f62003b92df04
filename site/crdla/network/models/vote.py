"""The network's common annual programme, voted by unanimity of its DLA officers.

Where the vote stands is ``RegionalProgramme.status``, moved by the status machine of
``crdla.network.flows``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "NeedCategory",
    "RegionalProgrammeStatus",
    "VoteChoice",
    "RegionalProgramme",
    "ProgrammeAction",
    "RegionalVote",
]


class NeedCategory(models.TextChoices):
    SAVE_TIME = "temps", _("Gagner du temps")
    BREAK_ISOLATION = "isolement", _("Rompre l'isolement")
    SMOOTH_RUNNING = "fonctionnement", _("Garantir le bon fonctionnement")


class RegionalProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    VOTING = "voting", _("Vote en cours")
    ADOPTED = "adopted", _("Adopté")


class VoteChoice(models.TextChoices):
    FOR = "pour", _("Pour")
    AGAINST = "contre", _("Contre")


class RegionalProgramme(models.Model):
    """The common programme of a network for one year, drafted by its animator."""

    network = models.ForeignKey(
        "network.NetworkPage",
        on_delete=models.CASCADE,
        related_name="programmes",
        verbose_name=_("réseau"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=RegionalProgrammeStatus.choices,
        default=RegionalProgrammeStatus.DRAFT,
    )
    round = models.PositiveSmallIntegerField(_("tour de vote"), default=0)
    objections = models.TextField(_("objections du dernier vote"), blank=True)
    vote_opened_at = models.DateTimeField(_("vote ouvert le"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopté le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("programme commun")
        verbose_name_plural = _("programmes communs")
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="network_programme_year")
        ]

    def __str__(self):
        return self.title

    def current_ballots(self):
        return self.votes.filter(round=self.round)


class ProgrammeAction(models.Model):
    """An action of the programme, answering one of the three needs of the officers."""

    programme = models.ForeignKey(
        RegionalProgramme, on_delete=models.CASCADE, related_name="actions"
    )
    need = models.CharField(_("besoin"), max_length=20, choices=NeedCategory.choices)
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["need", "order", "pk"]
        verbose_name = _("action du programme")
        verbose_name_plural = _("actions du programme")

    def __str__(self):
        return self.title


class RegionalVote(models.Model):
    """One officer's ballot for one round; created blank when the round opens."""

    programme = models.ForeignKey(RegionalProgramme, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField(_("tour"))
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regional_votes"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    voted_at = models.DateTimeField(_("voté le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "round", "voter"], name="network_vote_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.voter} — {self.get_choice_display() or '…'}"
