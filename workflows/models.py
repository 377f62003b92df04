"""Action programmes of the resource centres and their committee approval process.

A programme (one per centre and year) is organised by the four axes of the DLA resource
centres: axis blocks → actions → indicators, plus a financing plan by funder. Every submission
to the steering committee is frozen as a version (JSON snapshot); the committee reviews it,
its chair decides, and an approved programme is followed by reports and a yearly evaluation.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process
from wagtail.models import Page

from crdla.accounts.models import Institution

ZERO = Decimal("0")
AMOUNT = {"max_digits": 12, "decimal_places": 2}


def non_negative(message):
    return MinValueValidator(ZERO, message=message)


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("En cours d'examen par le comité")
    REVISION = "revision", _("À réviser")
    APPROVED = "approved", _("Validé")
    REJECTED = "rejected", _("Refusé")
    EVALUATED = "evaluated", _("Évalué (clos)")


EDITABLE_STATUSES = (ProgrammeStatus.DRAFT, ProgrammeStatus.REVISION)


class LeadKind(models.TextChoices):
    TEAM = "team", _("Équipe permanente")
    NETWORK = "network", _("Réseau associé")
    PROVIDER = "provider", _("Prestataire externe")


class FundingSource(models.TextChoices):
    DGEFP = "dgefp", _("État — DGEFP")
    CDC = "cdc", _("Banque des Territoires (CDC)")
    FSE = "fse", _("FSE+")
    MINISTERE = "ministere", _("Ministère du secteur")
    COLLECTIVITES = "collectivites", _("Collectivités territoriales")
    OWN_FUNDS = "own", _("Fonds propres")
    OTHER = "other", _("Autre financeur")


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Favorable avec réserves")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Valider le programme")
    REVISE = "revise", _("Renvoyer pour révision")
    REJECT = "reject", _("Refuser le programme")


class ReportKind(models.TextChoices):
    MID_YEAR = "mid_year", _("Bilan à mi-parcours")
    FINAL = "final", _("Bilan final")


class EvaluationRating(models.TextChoices):
    ACHIEVED = "achieved", _("Objectifs atteints")
    PARTLY = "partly", _("Objectifs partiellement atteints")
    NOT_ACHIEVED = "not_achieved", _("Objectifs non atteints")


# --- The programme -------------------------------------------------------------------------


class ActionProgramme(models.Model):
    """The annual action programme of one resource centre (one per centre and year)."""

    centre = models.ForeignKey(
        "centres.CentrePage",
        on_delete=models.PROTECT,
        related_name="action_programmes",
        verbose_name=_("centre de ressources"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("intitulé"), max_length=255)
    summary = models.TextField(_("synthèse"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
        db_index=True,
    )
    round = models.PositiveSmallIntegerField(_("tour d'examen"), default=0)
    budget_allocated = models.DecimalField(
        _("budget alloué par le comité"), null=True, blank=True, **AMOUNT
    )
    decision_date = models.DateField(_("date de décision du comité"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created = models.DateTimeField(_("créé le"), default=timezone.now)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-year", "centre__title"]
        verbose_name = _("programme d'actions")
        verbose_name_plural = _("programmes d'actions")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="one_programme_per_centre_year")
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("programme:programme_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    def actions(self):
        return Action.objects.filter(axis_block__programme=self)

    def indicators(self):
        return Indicator.objects.filter(action__axis_block__programme=self)

    @property
    def total_budget(self):
        return self.actions().aggregate(total=models.Sum("budget"))["total"] or ZERO

    @property
    def total_financing(self):
        return self.financing_lines.aggregate(total=models.Sum("amount"))["total"] or ZERO

    @property
    def total_etp(self):
        return self.actions().aggregate(total=models.Sum("etp"))["total"] or ZERO

    def etp_by_profile(self):
        """Total ETP by kind of lead (permanent team, associated network, provider)."""
        totals = dict(
            self.actions().values_list("lead_kind").annotate(total=models.Sum("etp")).order_by()
        )
        return [(kind.label, totals.get(kind.value, ZERO)) for kind in LeadKind]

    def financing_plan(self):
        """Financing lines with their share of the total, in percent."""
        lines = list(self.financing_lines.all())
        total = sum((line.amount for line in lines), ZERO)
        return [
            (line, (line.amount * 100 / total).quantize(Decimal("0.1")) if total else ZERO)
            for line in lines
        ], total

    def ensure_axis_blocks(self):
        from crdla.core.models import ProgrammeAxis

        for axis in ProgrammeAxis.objects.all():
            ProgrammeAxisBlock.objects.get_or_create(programme=self, axis=axis)

    @property
    def approved_version(self):
        """The latest version the committee approved (``with_public_figures`` prefetches it)."""
        prefetched = getattr(self, "approved_versions", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return self.versions.filter(is_approved=True).order_by("-number").first()

    @property
    def current_process(self):
        return self.processes.order_by("-created").first()


class ProgrammeAxisBlock(models.Model):
    """The part of a programme under one of the four axes, with its objectives."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="axis_blocks"
    )
    axis = models.ForeignKey(
        "core.ProgrammeAxis", on_delete=models.PROTECT, related_name="+", verbose_name=_("axe")
    )
    objectives = models.TextField(_("objectifs de l'axe"), blank=True)

    class Meta:
        ordering = ["axis__number"]
        verbose_name = _("axe du programme")
        verbose_name_plural = _("axes du programme")
        constraints = [
            models.UniqueConstraint(fields=["programme", "axis"], name="one_block_per_axis")
        ]

    def __str__(self):
        return str(self.axis)


class Action(models.Model):
    """An action of the programme, with its lead, its staffing (ETP) and its budget."""

    axis_block = models.ForeignKey(
        ProgrammeAxisBlock, on_delete=models.CASCADE, related_name="actions", verbose_name=_("axe")
    )
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    deliverables = models.TextField(_("livrables"), blank=True)
    calendar = models.CharField(_("calendrier"), max_length=255, blank=True)
    lead_kind = models.CharField(
        _("pilotage"), max_length=20, choices=LeadKind.choices, default=LeadKind.TEAM
    )
    lead_name = models.CharField(
        _("nom du réseau ou du prestataire"),
        max_length=200,
        blank=True,
        help_text=_("Obligatoire si l'action est confiée à un réseau associé ou un prestataire."),
    )
    etp = models.DecimalField(
        _("ETP"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[non_negative(_("L'ETP ne peut pas être négatif."))],
        help_text=_("Équivalent temps plein consacré à l'action (par exemple 0,5)."),
    )
    budget = models.DecimalField(
        _("budget (€)"),
        default=ZERO,
        validators=[non_negative(_("Le montant ne peut pas être négatif."))],
        **AMOUNT,
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["axis_block__axis__number", "order", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    def clean(self):
        if self.lead_kind != LeadKind.TEAM and not self.lead_name.strip():
            raise ValidationError(
                {"lead_name": _("Indiquez le nom du réseau associé ou du prestataire.")}
            )


class Indicator(models.Model):
    """A measurable indicator of an action: a target, and the actual value from the reports."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField(_("indicateur"), max_length=255)
    unit = models.CharField(
        _("unité"), max_length=50, blank=True, help_text=_("Par exemple : structures, jours.")
    )
    target = models.DecimalField(
        _("cible"),
        null=True,
        blank=True,
        max_digits=12,
        decimal_places=2,
        validators=[non_negative(_("La cible ne peut pas être négative."))],
    )
    actual = models.DecimalField(
        _("réalisé"), null=True, blank=True, max_digits=12, decimal_places=2
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self):
        return self.label

    def clean(self):
        if self.target is not None and not self.unit.strip():
            raise ValidationError({"unit": _("Une cible doit avoir une unité.")})


class FinancingLine(models.Model):
    """One funder's contribution to the programme's financing plan."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="financing_lines"
    )
    funder = models.CharField(_("financeur"), max_length=20, choices=FundingSource.choices)
    detail = models.CharField(_("précision"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("montant (€)"),
        validators=[MinValueValidator(Decimal("0.01"), message=_("Le montant doit être positif."))],
        **AMOUNT,
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("plan de financement")

    def __str__(self):
        return f"{self.get_funder_display()} : {self.amount} €"


class ProgrammeVersion(models.Model):
    """A frozen copy (JSON snapshot) of a programme as submitted to the committee."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("contenu figé"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("soumise le"), default=timezone.now)
    is_approved = models.BooleanField(_("version validée"), default=False)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("version du programme")
        verbose_name_plural = _("versions du programme")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"{self.programme} — v{self.number}"


# --- The committee (its seats: ``crdla.centres.models.CommitteeSeat``) ---------------------


class CommitteeReview(models.Model):
    """One institution's opinion on a submitted version of a programme."""

    programme = models.ForeignKey(ActionProgramme, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("tour d'examen"))
    institution = models.CharField(_("institution"), max_length=20, choices=Institution.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opinion = models.CharField(_("avis"), max_length=20, choices=Opinion.choices)
    comment = models.TextField(_("commentaire"))
    created = models.DateTimeField(_("rendu le"), default=timezone.now)

    class Meta:
        ordering = ["round", "institution"]
        verbose_name = _("avis du comité")
        verbose_name_plural = _("avis du comité")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "round", "institution"], name="one_review_per_round"
            )
        ]

    def __str__(self):
        return f"{self.get_institution_display()} : {self.get_opinion_display()}"


class CommitteeDecision(models.Model):
    """The chair's decision after the reviews of one round."""

    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.CASCADE, related_name="decisions"
    )
    round = models.PositiveSmallIntegerField(_("tour d'examen"))
    decision = models.CharField(_("décision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("motivation"))
    budget_allocated = models.DecimalField(_("budget alloué (€)"), null=True, blank=True, **AMOUNT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidé le"), default=timezone.now)

    class Meta:
        ordering = ["round"]
        verbose_name = _("décision du comité")
        verbose_name_plural = _("décisions du comité")
        constraints = [
            models.UniqueConstraint(fields=["programme", "round"], name="one_decision_per_round")
        ]

    def __str__(self):
        return f"{self.programme} — {self.get_decision_display()}"


# --- Follow-up and evaluation ----------------------------------------------------------------


class FollowUpReport(models.Model):
    """A mid-year or final report of the centre, acknowledged by the committee."""

    programme = models.ForeignKey(ActionProgramme, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("type de bilan"), max_length=20, choices=ReportKind.choices)
    comment = models.TextField(_("commentaire du centre"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("pris en compte le"), null=True, blank=True)
    acknowledgement = models.TextField(_("observations du comité"), blank=True)

    class Meta:
        ordering = ["filed_at"]
        verbose_name = _("bilan de suivi")
        verbose_name_plural = _("bilans de suivi")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_report_per_kind")
        ]

    def __str__(self):
        return f"{self.programme} — {self.get_kind_display()}"


class ReportIndicatorValue(models.Model):
    """The actual value of one indicator at the time of a report."""

    report = models.ForeignKey(
        FollowUpReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    actual = models.DecimalField(
        _("réalisé"),
        max_digits=12,
        decimal_places=2,
        validators=[non_negative(_("La valeur réalisée ne peut pas être négative."))],
    )
    comment = models.CharField(_("commentaire"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("valeur d'indicateur")

    def __str__(self):
        return f"{self.indicator} : {self.actual}"


class ReportSpending(models.Model):
    """What was spent of one funder's contribution at the time of a report."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="spendings")
    financing_line = models.ForeignKey(FinancingLine, on_delete=models.CASCADE, related_name="+")
    spent = models.DecimalField(
        _("dépensé (€)"),
        validators=[non_negative(_("Le montant ne peut pas être négatif."))],
        **AMOUNT,
    )

    class Meta:
        verbose_name = _("dépense par financeur")

    def __str__(self):
        return f"{self.financing_line} : {self.spent} €"


class ProgrammeEvaluation(models.Model):
    """The committee's yearly evaluation of a programme, which closes the process."""

    programme = models.OneToOneField(
        ActionProgramme, on_delete=models.CASCADE, related_name="evaluation"
    )
    rating = models.CharField(_("appréciation"), max_length=20, choices=EvaluationRating.choices)
    assessment = models.TextField(_("évaluation"))
    recommendations = models.TextField(_("recommandations pour l'année suivante"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("évalué le"), default=timezone.now)

    class Meta:
        verbose_name = _("évaluation annuelle")
        verbose_name_plural = _("évaluations annuelles")

    def __str__(self):
        return f"{self.programme} — {self.get_rating_display()}"


# --- The viewflow process --------------------------------------------------------------------


class ProgrammeProcess(Process):
    """The approval, follow-up and evaluation process of one action programme."""

    programme = models.ForeignKey(
        ActionProgramme,
        on_delete=models.CASCADE,
        related_name="processes",
        verbose_name=_("programme d'actions"),
    )
    review_deadline = models.DateTimeField(_("date limite des avis"), null=True, blank=True)
    decision = models.CharField(
        _("dernière décision"), max_length=20, choices=Decision.choices, blank=True
    )

    class Meta:
        verbose_name = _("processus de validation")
        verbose_name_plural = _("processus de validation")

    def __str__(self):
        return str(self.programme)


# --- The public page -------------------------------------------------------------------------


class ProgrammePage(Page):
    """The public page of an approved programme, created and published on approval."""

    programme = models.OneToOneField(
        ActionProgramme,
        null=True,
        on_delete=models.SET_NULL,
        related_name="page",
        verbose_name=_("programme d'actions"),
    )
    decision_date = models.DateField(_("date de décision du comité"), null=True)

    parent_page_types = ["centres.CentrePage"]
    subpage_types = []
    # Only the approval step creates these pages.
    is_creatable = False
    content_panels = Page.content_panels

    class Meta:
        verbose_name = _("programme d'actions validé")
        verbose_name_plural = _("programmes d'actions validés")

    def get_context(self, request, *args, **kwargs):
        """The approved figures, read only when the template's fragment (kept per cache
        generation: programme data bump it, ``workflows.signals``) is rendered."""
        from django.utils.functional import SimpleLazyObject

        from .snapshots import page_context

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = SimpleLazyObject(lambda: page_context(self))
        return context
