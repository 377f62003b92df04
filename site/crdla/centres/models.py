"""Resource centres as data: one CentrePage per sector with its team, partners and committee."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from crdla.accounts import roles
from crdla.accounts.models import Institution
from crdla.core.images import CoverImageMixin, with_cover


class CentrePage(CoverImageMixin, Page):
    """A national resource centre (Culture, Environnement, Sport, Social, IAE, Financement…)."""

    sector = models.ForeignKey(
        "core.Sector", on_delete=models.PROTECT, related_name="centres", verbose_name=_("secteur")
    )
    short_name = models.CharField(
        _("nom court"), max_length=60, help_text=_("Par exemple « CRDLA Culture ».")
    )
    intro = models.TextField(_("présentation courte"))
    missions = RichTextField(_("missions"), blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("short_name"), FieldPanel("sector")], heading=_("Identité")),
        FieldPanel("intro"),
        *CoverImageMixin.cover_panels,
        FieldPanel("missions"),
        InlinePanel("host_structures", label=_("Structures porteuses"), min_num=1),
        InlinePanel("team_members", label=_("Équipe")),
        InlinePanel("partner_networks", label=_("Réseaux partenaires (contrat d'association)")),
        InlinePanel("funders", label=_("Financeurs")),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("website")],
            heading=_("Contacts"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("missions")]
    parent_page_types = ["core.HomePage"]
    subpage_types = [
        "resources.ResourceIndexPage",
        "resources.NewsIndexPage",
        "core.StandardPage",
        "workflows.ProgrammePage",
    ]

    class Meta:
        verbose_name = _("centre de ressources")
        verbose_name_plural = _("centres de ressources")

    def __str__(self):
        return self.short_name or self.title

    def role_group(self, role):
        """The centre's linked group for ``role`` (``roles.EXPERTS`` / ``roles.EDITORS``)."""
        link = self.role_groups.filter(role=role).select_related("group").first()
        return link.group if link else None

    @property
    def experts_group(self):
        return self.role_group(roles.EXPERTS)

    @property
    def editors_group(self):
        return self.role_group(roles.EDITORS)

    @property
    def total_etp(self):
        return sum((member.etp for member in self.team_members.all()), 0)

    def get_context(self, request, *args, **kwargs):
        """The centre's lists and links, each read only when its fragment is rendered.

        The template keeps them in ``{% fragment_cache %}`` blocks (once per cache generation,
        the upcoming events once per hour as well): a warm centre page builds no queryset.
        """
        from django.utils import timezone

        from crdla import access
        from crdla.resources.models import EventPage, NewsPage, ResourcePage

        context = super().get_context(request, *args, **kwargs)
        user = request.user

        def latest_resources():
            resources = access.visible_pages(user, ResourcePage.objects.descendant_of(self))
            return list(with_cover(resources.order_by("-published_date"))[:6])

        def latest_news():
            news = access.visible_pages(user, NewsPage.objects.descendant_of(self))
            return list(news.order_by("-date", "-pk")[:3])

        def upcoming_events():
            events = access.visible_pages(user, EventPage.objects.descendant_of(self))
            return list(events.filter(end__gte=timezone.now()).order_by("start")[:3])

        context.update(
            links=SimpleLazyObject(self.links),
            latest_resources=SimpleLazyObject(latest_resources),
            latest_news=SimpleLazyObject(latest_news),
            upcoming_events=SimpleLazyObject(upcoming_events),
        )
        return context

    def links(self):
        """The centre's resource and news indexes and its published programmes, newest first."""
        from crdla.resources.models import NewsIndexPage, ResourceIndexPage

        # Both indexes in one query; their links only need the base page (url_path, title).
        indexes = list(
            self.get_children()
            .live()
            .type(ResourceIndexPage, NewsIndexPage)
            .only("title", "url_path", "content_type_id", "path")
            .order_by("path")
        )
        return {
            "resource_index": first_of_type(indexes, ResourceIndexPage),
            "news_index": first_of_type(indexes, NewsIndexPage),
            "programmes": list(
                self.action_programmes.filter(page__live=True)
                .select_related("page")
                .order_by("-year")
            ),
        }


def first_of_type(pages, model):
    """The first of ``pages`` (base Page rows) whose type is ``model``, or None."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)  # cached by Django
    return next((page for page in pages if page.content_type_id == content_type.pk), None)


class HostStructure(Orderable):
    """A structure that hosts (porte) the centre, and its role."""

    page = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="host_structures")
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("rôle"), max_length=255)
    url = models.URLField(_("site web"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("structure porteuse")

    def __str__(self):
        return self.name


class TeamMember(Orderable):
    """A member of the centre's team, with their share of a full-time job (ETP)."""

    page = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("fonction"), max_length=200)
    etp = models.DecimalField(
        _("ETP"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("Équivalent temps plein consacré au centre (par exemple 0,5)."),
    )
    profile = models.TextField(_("profil"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("etp"), FieldPanel("profile")]

    class Meta(Orderable.Meta):
        verbose_name = _("membre de l'équipe")

    def clean(self):
        if self.etp is not None and (self.etp < 0 or self.etp > 1):
            raise ValidationError({"etp": _("L'ETP doit être compris entre 0 et 1.")})

    def __str__(self):
        return self.name


class PartnerNetwork(Orderable):
    """A partner network associated with the centre by a contrat d'association."""

    page = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="partner_networks")
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("site web"), blank=True)
    contract_since = models.PositiveSmallIntegerField(
        _("contrat d'association depuis"), null=True, blank=True
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("url"),
        FieldPanel("contract_since"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("réseau partenaire")

    def __str__(self):
        return self.name


class CentreGroup(models.Model):
    """One of a centre's own groups, its experts or its editors, linked to it by id.

    The group's name follows the centre's (« Éditeurs — CRDLA Culture ») and changes when the
    centre is renamed; every lookup of a centre's groups goes through this link, never the name.
    """

    ROLES = [(roles.EXPERTS, _("experts")), (roles.EDITORS, _("éditeurs"))]

    centre = models.ForeignKey(
        CentrePage,
        on_delete=models.CASCADE,
        related_name="role_groups",
        verbose_name=_("centre de ressources"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=ROLES)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="centre_link", verbose_name=_("groupe")
    )

    class Meta:
        verbose_name = _("groupe d'un centre")
        verbose_name_plural = _("groupes des centres")
        constraints = [
            models.UniqueConstraint(fields=["centre", "role"], name="one_group_per_centre_role")
        ]

    def __str__(self):
        return self.group.name


ONE_SEAT_PER_ACCOUNT = _("Ce compte occupe déjà un siège de ce comité de pilotage.")


class CommitteeSeat(models.Model):
    """A seat on a centre's steering committee: the institution, the person shown publicly, the
    account that reviews the centre's programmes when there is one, and the chair.

    The one record of who sits on a committee: the public centre page lists the seats, and the
    programme process (``workflows``) gives each seat with an account its review, the chair's
    seat the decision. Edited by site administrators only (``wagtail_hooks``), never on the centre
    page: a centre's editors must not choose who reviews their own programme.
    """

    centre = models.ForeignKey(
        CentrePage,
        on_delete=models.CASCADE,
        related_name="committee_seats",
        verbose_name=_("centre de ressources"),
    )
    institution = models.CharField(_("institution"), max_length=20, choices=Institution.choices)
    member_name = models.CharField(
        _("représentant·e"),
        max_length=200,
        help_text=_("Le nom affiché sur la page publique du centre."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
        verbose_name=_("compte"),
        help_text=_(
            "Le compte qui examine les programmes d'actions du centre pour cette institution. "
            "Vide : le siège est affiché sur la page publique, sans examen en ligne."
        ),
    )
    is_chair = models.BooleanField(_("préside le comité"), default=False)

    class Meta:
        ordering = ["centre__title", "-is_chair", "institution"]
        verbose_name = _("siège au comité de pilotage")
        verbose_name_plural = _("sièges aux comités de pilotage")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "institution"],
                name="one_committee_seat_per_institution",
                violation_error_message=_(
                    "Ce comité de pilotage a déjà un siège pour cette institution."
                ),
            ),
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(is_chair=True),
                name="one_committee_chair_per_centre",
                violation_error_message=_("Ce comité de pilotage a déjà une présidence."),
            ),
            models.UniqueConstraint(
                fields=["centre", "user"],
                condition=models.Q(user__isnull=False),
                name="one_committee_seat_per_account",
                violation_error_message=ONE_SEAT_PER_ACCOUNT,
            ),
        ]

    def __str__(self):
        return f"{self.centre} — {self.get_institution_display()} : {self.member_name}"

    def clean(self):
        """One account, one seat per committee: its reviews would otherwise count twice.

        Said on the account field (the constraint then stays silent: Django skips the
        constraints of a field that already has an error)."""
        super().clean()
        if self.user_id and self.centre_id:
            others = CommitteeSeat.objects.filter(centre_id=self.centre_id, user_id=self.user_id)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError({"user": ONE_SEAT_PER_ACCOUNT})


class Funder(Orderable):
    """A funder of the centre."""

    page = ParentalKey(CentrePage, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(_("nom"), max_length=200)
    url = models.URLField(_("site web"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("financeur")

    def __str__(self):
        return self.name
