"""Calls for tenders (consultations) published by DLA officers under their network."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from crdla import access
from crdla.access import calls as call_access
from crdla.core.panels import InlinePanel
from crdla.core.widgets import DepartementsByRegion

__all__ = [
    "SupportKind",
    "CallStatus",
    "StructureSize",
    "CallForTendersIndexPage",
    "CallForTendersPage",
    "CallLot",
    "CallDocument",
    "CallCorrection",
    "open_calls",
    "finished_calls",
]


class SupportKind(models.TextChoices):
    INDIVIDUEL = "individuel", _("Accompagnement individuel")
    COLLECTIF = "collectif", _("Accompagnement collectif")
    REGIONAL = "regional", _("Accompagnement régional")


class CallStatus(models.TextChoices):
    OPEN = "ouvert", _("Ouvert")
    CLOSED = "clos", _("Clos")
    AWARDED = "attribue", _("Attribué")
    UNSUCCESSFUL = "infructueux", _("Infructueux")
    CANCELLED = "annule", _("Annulé")


# Allowed status changes (a call can be re-opened only while it is not decided).
STATUS_TRANSITIONS = {
    CallStatus.OPEN: {CallStatus.CLOSED, CallStatus.CANCELLED},
    CallStatus.CLOSED: {
        CallStatus.OPEN,
        CallStatus.AWARDED,
        CallStatus.UNSUCCESSFUL,
        CallStatus.CANCELLED,
    },
    CallStatus.AWARDED: set(),
    CallStatus.UNSUCCESSFUL: set(),
    CallStatus.CANCELLED: set(),
}


class StructureSize(models.TextChoices):
    NONE = "0", _("Sans salarié")
    SMALL = "1-9", _("1 à 9 salariés")
    MEDIUM = "10-49", _("10 à 49 salariés")
    LARGE = "50+", _("50 salariés et plus")


def open_calls():
    """Live, public calls still open for replies."""
    return (
        access.public_pages(CallForTendersPage.objects.all())
        .filter(status=CallStatus.OPEN)
        .select_related("dla", "sector", "departement", "theme")
        .order_by("deadline", "pk")
    )


def finished_calls():
    """Live, public calls no longer open (closed, awarded, unsuccessful, cancelled), latest first.

    Listed so that providers can see what became of a call, and so that every public call
    stays reachable by following links.
    """
    return (
        access.public_pages(CallForTendersPage.objects.all())
        .exclude(status=CallStatus.OPEN)
        .select_related("dla", "departement")
        .order_by("-deadline", "-pk")
    )


class CallForTendersIndexPage(Page):
    """The calls for tenders of one network: officers of the network publish here."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["network.NetworkPage"]
    subpage_types = ["network.CallForTendersPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("consultations du réseau")
        verbose_name_plural = _("listes de consultations")

    def get_context(self, request, *args, **kwargs):
        from crdla.network.listing import filtered_calls

        context = super().get_context(request, *args, **kwargs)
        calls, selected, options = filtered_calls(request, open_calls().child_of(self))
        context.update(
            calls=calls,
            selected=selected,
            filter_options=options,
            finished_calls=finished_calls().child_of(self)[:20],
        )
        return context


class CallForTendersPageForm(WagtailAdminPageForm):
    """The call's admin form: « DLA émetteur » offers only the DLA the user publishes for, in
    the network of the call, and refuses any other one sent by hand."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("dla")
        if field is None or self.for_user is None:
            return
        allowed = call_access.publishable_dlas(self.for_user)
        network = self.call_network()
        if network is not None:
            allowed = allowed.descendant_of(network)
        field.widget = forms.Select()
        field.queryset = allowed.order_by("title")
        field.error_messages["invalid_choice"] = call_access.OTHER_DLA_MESSAGE
        if not self.instance.dla_id and len(field.choices) == 2:  # the empty choice and one DLA
            field.initial = list(field.choices)[1][0]
        default = call_access.default_dla(self.for_user, field.queryset)
        territories = self.fields.get("territories")
        if territories is not None and default is not None and default.departement_id:
            territories.widget.open_regions = {default.departement.region_id}
        if self.instance.pk is None and not self.is_bound:
            self.preset_from_dla(default)

    def preset_from_dla(self, dla):
        """A new call knows who is typing: the officer's DLA, its département as the
        structure's and as the territory, the officer as the contact (issue 17).

        ``initial`` holds the empty instance's values (None, []): they are replaced."""
        if dla is not None:
            self.initial["dla"] = self.initial.get("dla") or dla.pk
            self.initial["departement"] = self.initial.get("departement") or dla.departement_id
            self.initial["territories"] = self.initial.get("territories") or [dla.departement_id]
        user = self.for_user
        if not self.initial.get("contact_email") and user.email:
            self.initial["contact_email"] = user.email
            self.initial["contact_name"] = user.get_full_name() or user.username

    def call_network(self):
        from .pages import NetworkPage

        anchor = self.instance if self.instance.pk else getattr(self, "parent_page", None)
        if anchor is None:
            return None
        return NetworkPage.objects.ancestor_of(anchor, inclusive=True).first()

    def clean_dla(self):
        dla = self.cleaned_data.get("dla")
        if dla is None:
            return dla
        if self.for_user is not None and not call_access.can_publish_for_dla(self.for_user, dla):
            raise ValidationError(call_access.OTHER_DLA_MESSAGE, code="other_dla")
        if not call_access.dla_belongs_to_network(dla, self.call_network()):
            raise ValidationError(call_access.NOT_IN_NETWORK_MESSAGE, code="other_network")
        return dla


class CallForTendersPage(Page):
    """A call for tenders by a DLA: an anonymised support need, its lots and deadline."""

    reference = models.CharField(_("référence"), max_length=40, unique=True)
    dla = models.ForeignKey(
        "network.DLAPage",
        on_delete=models.PROTECT,
        related_name="calls_for_tenders",
        verbose_name=_("DLA émetteur"),
    )
    kind = models.CharField(_("type d'accompagnement"), max_length=20, choices=SupportKind.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=CallStatus.choices, default=CallStatus.OPEN
    )
    # Anonymised beneficiary profile: never the structure's name.
    structure_type = models.CharField(
        _("type de structure bénéficiaire"),
        max_length=120,
        help_text=_("Par exemple : association employeuse, SCIC, entreprise d'insertion."),
    )
    sector = models.ForeignKey(
        "core.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("secteur")
    )
    structure_size = models.CharField(
        _("taille de la structure"), max_length=10, choices=StructureSize.choices
    )
    departement = models.ForeignKey(
        "core.Departement",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("département de la structure"),
    )
    theme = models.ForeignKey(
        "core.Theme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("thématique"),
    )
    territories = ParentalManyToManyField(
        "core.Departement",
        blank=True,
        related_name="+",
        verbose_name=_("territoires d'intervention"),
    )
    description = RichTextField(
        _("objet de l'accompagnement"), features=["bold", "italic", "ol", "ul", "link"]
    )
    publication_date = models.DateTimeField(_("date de publication"), default=timezone.now)
    deadline = models.DateTimeField(_("date limite de réponse"))
    start_date = models.DateField(_("date prévisionnelle de démarrage"), null=True, blank=True)
    required_pieces = models.TextField(_("pièces à fournir"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_email = models.EmailField(_("courriel du contact"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel(
                    "reference",
                    help_text=_(
                        "Identifiant unique de la consultation, rappelé aux prestataires dans "
                        "les alertes et dans leurs réponses (par exemple DLA51-2026-004)."
                    ),
                ),
                FieldPanel(
                    "dla",
                    widget=forms.Select,
                    help_text=_("Le DLA qui lance la consultation : le vôtre, d'office."),
                ),
                FieldPanel(
                    "kind",
                    help_text=_(
                        "Individuel : une structure ; collectif : plusieurs structures "
                        "accompagnées ensemble."
                    ),
                ),
                FieldPanel(
                    "status",
                    help_text=_(
                        "« Ouvert » tant que les prestataires peuvent répondre ; après la date "
                        "limite, indiquez « Attribué » ou « Infructueux »."
                    ),
                ),
            ],
            heading=_("Consultation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("structure_type"),
                FieldPanel("sector", widget=forms.Select),
                FieldPanel("structure_size"),
                FieldPanel(
                    "departement",
                    widget=forms.Select,
                    help_text=_("Le département où la structure est implantée."),
                ),
            ],
            heading=_("Profil anonymisé de la structure"),
        ),
        FieldPanel("theme", widget=forms.Select),
        FieldPanel(
            "description",
            help_text=_(
                "Le besoin et les attendus, sans le nom de la structure (la consultation est "
                "publique)."
            ),
        ),
        InlinePanel(
            "lots",
            label=_("Lot"),
            heading=_("Lots"),
            add_label=_("Ajouter un lot"),
            min_num=1,
        ),
        FieldPanel(
            "territories",
            widget=DepartementsByRegion,
            help_text=_(
                "Les départements où l'accompagnement aura lieu ; celui de votre DLA est coché "
                "d'office."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("publication_date"), FieldPanel("deadline"), FieldPanel("start_date")],
            heading=_("Calendrier"),
        ),
        InlinePanel(
            "documents",
            label=_("Document"),
            heading=_("Documents (cahier des charges)"),
            add_label=_("Ajouter un document"),
        ),
        FieldPanel("required_pieces"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email")], heading=_("Contact")
        ),
        InlinePanel(
            "corrections",
            label=_("Rectificatif"),
            heading=_("Rectificatifs"),
            add_label=_("Ajouter un rectificatif"),
            help_text=_("Chaque nouveau rectificatif publié est envoyé aux abonnés."),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("status"),
    ]
    parent_page_types = ["network.CallForTendersIndexPage"]
    subpage_types = []
    base_form_class = CallForTendersPageForm

    class Meta:
        verbose_name = _("consultation (appel d'offres)")
        verbose_name_plural = _("consultations (appels d'offres)")

    def clean(self):
        super().clean()
        errors = {}
        if self.deadline and self.publication_date and self.deadline <= self.publication_date:
            errors["deadline"] = _(
                "La date limite de réponse doit être postérieure à la date de publication."
            )
        previous = (
            CallForTendersPage.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if self.pk
            else None
        )
        if previous and previous != self.status:
            if self.status not in STATUS_TRANSITIONS[CallStatus(previous)]:
                errors["status"] = _(
                    "Passage impossible du statut « %(old)s » au statut « %(new)s »."
                ) % {
                    "old": CallStatus(previous).label,
                    "new": CallStatus(self.status).label,
                }
            elif (
                self.status in (CallStatus.AWARDED, CallStatus.UNSUCCESSFUL)
                and self.deadline
                and self.deadline > timezone.now()
            ):
                errors["status"] = _(
                    "Une consultation ne peut être attribuée ou déclarée infructueuse "
                    "qu'après sa date limite de réponse."
                )
            elif (
                self.status == CallStatus.OPEN and self.deadline and self.deadline <= timezone.now()
            ):
                errors["deadline"] = _(
                    "Pour rouvrir la consultation, reportez la date limite de réponse."
                )
        if self.dla_id and self.path:
            network = self.network
            if network is not None and not call_access.dla_belongs_to_network(self.dla, network):
                errors["dla"] = call_access.NOT_IN_NETWORK_MESSAGE
        if errors:
            raise ValidationError(errors)

    def permissions_for_user(self, user):
        """Other DLAs' calls are read-only (see ``crdla.access.calls``)."""
        return call_access.CallPermissionTester(user, self)

    @property
    def is_open(self):
        return self.status == CallStatus.OPEN and self.deadline > timezone.now()

    @property
    def network(self):
        from .pages import NetworkPage

        return NetworkPage.objects.ancestor_of(self).first()

    @property
    def notification_round(self):
        """0 for the publication, n for the n-th correction (each round is sent once)."""
        return self.corrections.count()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lots"] = list(self.lots.all())
        context["attached_documents"] = [d.document for d in self.documents.all()]
        context["corrections"] = list(self.corrections.all())
        return context


class CallLot(Orderable):
    """A lot of a call: its title, number of days and price ceiling."""

    page = ParentalKey(CallForTendersPage, on_delete=models.CASCADE, related_name="lots")
    title = models.CharField(_("intitulé du lot"), max_length=200)
    days = models.DecimalField(_("nombre de jours"), max_digits=5, decimal_places=1)
    ceiling = models.DecimalField(_("plafond (€ TTC)"), max_digits=10, decimal_places=2)

    panels = [FieldPanel("title"), FieldPanel("days"), FieldPanel("ceiling")]

    class Meta(Orderable.Meta):
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self):
        return self.title


class CallDocument(Orderable):
    """A document of a call (cahier des charges, annexes)."""

    page = ParentalKey(CallForTendersPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class CallCorrection(Orderable):
    """A rectificatif: publishing a new one re-notifies the matching subscribers once."""

    page = ParentalKey(CallForTendersPage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateTimeField(_("date"), default=timezone.now)
    text = models.TextField(_("rectificatif"))

    panels = [FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("rectificatif")
        verbose_name_plural = _("rectificatifs")
