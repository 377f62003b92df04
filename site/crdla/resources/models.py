"""Resources (guides, fiches, études, outils…), their per-centre listing, news and events."""

import datetime
import re
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from crdla import access
from crdla.core.blocks import BaseStreamBlock
from crdla.core.filters import ListingFilterSet, PatternFilter
from crdla.core.images import CoverImageMixin, with_cover
from crdla.core.models import VisibilityMixin
from crdla.core.panels import InlinePanel

from .forms import ResourcePageForm

RESULTS_PER_PAGE = 12
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,100}")
NUMBER_RE = re.compile(r"[0-9]{1,3}")


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    FICHE_PRATIQUE = "fiche_pratique", _("Fiche pratique")
    FICHE_REPERE = "fiche_repere", _("Fiche repère")
    ETUDE = "etude", _("Étude / enquête")
    OUTIL = "outil", _("Outil (trame, grille, modèle)")
    RETOUR_EXPERIENCE = "retour_experience", _("Retour d'expérience")
    WEBINAIRE = "webinaire", _("Webinaire")
    AVIS_EXPERT = "avis_expert", _("Avis d'expert")
    BILAN = "bilan", _("Bilan")


def through_target(through):
    """Name of the taxonomy foreign key of a ResourcePage many-to-many link table."""
    return next(
        field.name
        for field in through._meta.get_fields()
        if field.is_relation and field.name != "resourcepage" and field.many_to_one
    )


def paginate(request, queryset, per_page=RESULTS_PER_PAGE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class LinkFilter(PatternFilter):
    """A taxonomy of resources by its value (``sectors__slug``): a subquery on the link table
    instead of a join + DISTINCT over every column, which SQLite sorts in full (10,000
    resources: 10x slower)."""

    def __init__(self, link, **kwargs):
        self.link = link
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        field, taxonomy_lookup = self.link.split("__", 1)
        through = getattr(ResourcePage, field).through
        links = through.objects.filter(**{f"{through_target(through)}__{taxonomy_lookup}": value})
        return queryset.filter(pk__in=links.values("resourcepage_id"))


class ResourceFilter(ListingFilterSet):
    """The filters of every resource listing: the kind, and one per taxonomy."""

    type = django_filters.ChoiceFilter(field_name="kind", choices=ResourceKind.choices)
    secteur = LinkFilter("sectors__slug", pattern=SLUG_RE)
    theme = LinkFilter("themes__slug", pattern=SLUG_RE)
    public = LinkFilter("audiences__slug", pattern=SLUG_RE)
    axe = LinkFilter("axes__number", pattern=NUMBER_RE)


def filter_resources(request, resources):
    """The resources ``request.user`` may read, filtered by the listing's query parameters.

    Shared by a centre's listing and the cross-centre one (which adds its ``centre`` filter).
    ``resources`` gives the queryset to filter: like the results, it is built only when the
    results' fragment is rendered (the query string is validated without it).
    """
    filters = ResourceFilter(request.GET, ResourcePage.objects.none())
    selected = filters.selected

    def results():
        visible = access.visible_pages(request.user, resources())
        return filters.filter_queryset(visible).order_by("-published_date", "-pk")

    return SimpleLazyObject(results), selected


def listing_context(request, resources, selected):
    """One page of results, the filter options and the query string for the pagination.

    The results are rendered once per cache generation, filters and page number (the
    template's ``{% fragment_cache %}``, keyed on ``results_key``): the page is read only when
    that fragment is rendered.
    """
    page_number = request.GET.get("page", "")[:8]
    filters_key = str(sorted(selected.items()))
    return {
        "resources": SimpleLazyObject(lambda: paginate(request, with_cover(resources))),
        "filters_key": filters_key,  # the filter form: one fragment per valid filters
        "results_key": f"{filters_key}|{page_number}",
        "selected": selected,
        # The pagination links keep the valid filters only: they are part of the fragment.
        "querystring": urlencode(sorted(selected.items())),
        "filter_options": {"type": ResourceKind.choices, **taxonomy_options(request)},
    }


def taxonomy_options(request):
    """The taxonomy filters' choices, read once per cache generation (a taxonomy change bumps
    it, see ``crdla.pagecache``)."""
    from crdla.core.models import Audience, ProgrammeAxis, Sector, Theme
    from crdla.pagecache import generation

    def read():
        return {
            "secteur": [(s.slug, s.name) for s in Sector.objects.all()],
            "theme": [(t.slug, t.name) for t in Theme.objects.all()],
            "public": [(a.slug, a.name) for a in Audience.objects.all()],
            "axe": [(str(a.number), str(a)) for a in ProgrammeAxis.objects.all()],
        }

    return generation.remember_for_request(request, "crdla-taxonomy-options", read)


class CentreChildMixin:
    """Pages that live somewhere under a resource centre know their centre."""

    @property
    def centre(self):
        from crdla.centres.models import CentrePage

        if not hasattr(self, "_centre"):
            self._centre = CentrePage.objects.ancestor_of(self).select_related("sector").first()
        return self._centre


class ResourceBodyBlock(BaseStreamBlock):
    """A resource's text. Its files are attached in one place only, the « Documents joints »
    panel (listed with their format and size under the text), so the body has no
    document block (issue 17; earlier blocks were moved by migration 0004)."""

    document = None


class ResourceIndexPage(CentreChildMixin, Page):
    """The filterable, paginated list of a centre's resources."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["centres.CentrePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("liste des ressources")
        verbose_name_plural = _("listes des ressources")

    def filtered_resources(self, request):
        return filter_resources(request, lambda: ResourcePage.objects.child_of(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(request, *self.filtered_resources(request)))
        return context


class ResourcePage(CentreChildMixin, VisibilityMixin, CoverImageMixin, Page):
    """A resource published by a centre: guide, fiche, étude, outil, webinaire, bilan…"""

    kind = models.CharField(_("type de ressource"), max_length=30, choices=ResourceKind.choices)
    summary = models.TextField(_("résumé"), max_length=1000)
    body = StreamField(ResourceBodyBlock(), blank=True, verbose_name=_("contenu"))
    published_date = models.DateField(_("date de publication"), default=datetime.date.today)
    updated_date = models.DateField(_("date de mise à jour"), null=True, blank=True)
    authors = models.CharField(_("auteur(s)"), max_length=255, blank=True)
    sectors = ParentalManyToManyField("core.Sector", blank=True, verbose_name=_("secteurs"))
    themes = ParentalManyToManyField("core.Theme", blank=True, verbose_name=_("thématiques"))
    audiences = ParentalManyToManyField("core.Audience", blank=True, verbose_name=_("publics"))
    axes = ParentalManyToManyField(
        "core.ProgrammeAxis", blank=True, verbose_name=_("axes du programme")
    )
    regions = ParentalManyToManyField("core.Region", blank=True, verbose_name=_("régions"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel(
                    "kind",
                    help_text=_("Sert au filtre « Type » des listes et de la recherche."),
                ),
                FieldPanel("visibility"),
                FieldPanel(
                    "authors",
                    help_text=_(
                        "Les personnes ou structures qui signent la ressource, séparées par des "
                        "virgules. Facultatif."
                    ),
                ),
            ],
            heading=_("Ressource"),
        ),
        FieldPanel(
            "summary",
            help_text=_(
                "Deux ou trois phrases, reprises dans les listes et les résultats de recherche."
            ),
        ),
        *CoverImageMixin.cover_panels,
        FieldPanel(
            "body",
            help_text=_(
                "Le texte de la ressource. Les fichiers à télécharger se joignent plus bas, "
                "dans « Documents joints »."
            ),
        ),
        InlinePanel(
            "documents",
            label=_("Document joint"),
            heading=_("Documents joints"),
            add_label=_("Ajouter un document"),
            help_text=_(
                "Les fichiers à télécharger (PDF, tableur…) : ils sont listés, avec leur "
                "format et leur poids, en bas de la ressource. Le titre d'un nouveau fichier "
                "est celui écrit dans le fichier, sinon son nom : vous pouvez le corriger."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "published_date",
                    help_text=_(
                        "La date affichée sur la ressource. Elle ne publie rien : la "
                        "publication suit la modération."
                    ),
                ),
                FieldPanel(
                    "updated_date",
                    help_text=_("Quand le contenu a été revu : affichée « Mise à jour »."),
                ),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "sectors",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_(
                        "Le secteur de votre centre est coché d'office ; ajoutez les autres "
                        "secteurs concernés."
                    ),
                ),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel(
                    "audiences",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("À qui s'adresse la ressource."),
                ),
                FieldPanel(
                    "axes",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_(
                        "Les axes du programme d'actions du centre auxquels la ressource contribue."
                    ),
                ),
                FieldPanel(
                    "regions",
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_(
                        "Seulement si la ressource concerne des régions précises ; sinon, "
                        "laissez vide."
                    ),
                ),
            ],
            heading=_("Classement"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("visibility"),
    ]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    base_form_class = ResourcePageForm

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    def related_resources(self, user, limit=4):
        """Other visible resources sharing a theme, newest first."""
        related = access.visible_pages(user, ResourcePage.objects.exclude(pk=self.pk))
        # Subqueries keep this lazy: the page shows it only when the knowledge base has no
        # similar resource. A resource without any theme is related to every other one.
        links = ResourcePage.themes.through.objects
        own_themes = links.filter(resourcepage_id=self.pk).values("theme_id")
        related = related.filter(
            Q(pk__in=links.filter(theme_id__in=own_themes).values("resourcepage_id"))
            | ~Exists(own_themes)
        )
        return with_cover(related.order_by("-published_date"))[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Both read only when the template renders them (the similar hits usually replace
        # the related resources; the documents are a fragment kept per generation).
        context["related_resources"] = SimpleLazyObject(
            lambda: self.related_resources(request.user)
        )
        context["attached_documents"] = SimpleLazyObject(
            lambda: [link.document for link in self.documents.select_related("document")]
        )
        return context


class ResourceDocument(Orderable):
    """A document attached to a resource (its format and size are shown on the page)."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("document joint")
        verbose_name_plural = _("documents joints")


class NewsIndexPage(CentreChildMixin, Page):
    """News and events of the site or of one centre."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage", "centres.CentrePage"]
    subpage_types = ["resources.NewsPage", "resources.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("actualités et événements")
        verbose_name_plural = _("listes d'actualités et d'événements")

    def get_context(self, request, *args, **kwargs):
        """Events and one page of news, read only when the template's fragment (kept per
        generation, page number and hour) is rendered."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()

        def visible(model):
            return access.visible_pages(request.user, model.objects.child_of(self))

        context["upcoming_events"] = SimpleLazyObject(
            lambda: visible(EventPage).filter(end__gte=now).order_by("start")
        )
        context["news"] = SimpleLazyObject(
            lambda: paginate(request, visible(NewsPage).order_by("-date", "-pk"))
        )
        context["page_number"] = request.GET.get("page", "")[:8]
        context["past_events"] = SimpleLazyObject(
            lambda: visible(EventPage).filter(end__lt=now).order_by("-start")[:6]
        )
        return context


class NewsPage(CentreChildMixin, VisibilityMixin, CoverImageMixin, Page):
    """A news item."""

    date = models.DateField(_("date"), default=datetime.date.today)
    intro = models.TextField(_("chapô"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("visibility"),
        FieldPanel("intro"),
        *CoverImageMixin.cover_panels,
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["resources.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")


class EventFormat(models.TextChoices):
    PRESENTIEL = "presentiel", _("Présentiel")
    DISTANCIEL = "distanciel", _("Distanciel")
    HYBRIDE = "hybride", _("Hybride")


class EventPage(CentreChildMixin, VisibilityMixin, CoverImageMixin, Page):
    """An event (webinar, day of exchanges, training) with its registration and replay."""

    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    format = models.CharField(_("format"), max_length=20, choices=EventFormat.choices)
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    replay_url = models.URLField(_("lien du replay"), blank=True)
    intro = models.TextField(_("chapô"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end"), FieldPanel("format"), FieldPanel("place")],
            heading=_("Quand et où"),
        ),
        MultiFieldPanel(
            [FieldPanel("registration_url"), FieldPanel("replay_url")], heading=_("Liens")
        ),
        FieldPanel("visibility"),
        FieldPanel("intro"),
        *CoverImageMixin.cover_panels,
        FieldPanel("body"),
    ]
    parent_page_types = ["resources.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin de l'événement doit suivre son début.")})
        if self.format != EventFormat.DISTANCIEL and not self.place:
            raise ValidationError({"place": _("Indiquez le lieu d'un événement en présentiel.")})

    @property
    def is_past(self):
        return self.end < timezone.now()
