"""Shared taxonomy (snippets), site-wide settings, the home page and standard pages."""

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .images import CoverImageMixin, with_cover

# --- Shared taxonomy ------------------------------------------------------------------


class Sector(models.Model):
    """A sector of the social economy covered by a resource centre (Culture, Sport, IAE…)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self):
        return self.name


class ProgrammeAxis(models.Model):
    """One of the four axes of the resource centres' action programmes."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("axe du programme")
        verbose_name_plural = _("axes du programme")

    def __str__(self):
        return f"{self.number}. {self.name}"


class Theme(models.Model):
    """A subject of support (modèle économique, gouvernance, emploi et RH…)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")

    def __str__(self):
        return self.name


class Audience(models.Model):
    """Who a resource is written for (chargés de mission DLA, structures, prestataires…)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("public cible")
        verbose_name_plural = _("publics cibles")

    def __str__(self):
        return self.name


class Region(models.Model):
    """A French région, identified by its INSEE code."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return self.name


class Departement(models.Model):
    """A French département, identified by its INSEE code (01…95, 2A, 2B, 971…)."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A commune of the Code officiel géographique, found by name or postcode (« Trouver mon DLA »).

    Loaded from ``fixtures/geo/communes.csv.gz`` by ``manage.py load_communes``. Delegated and
    associated communes are kept by name (``attached_to`` names their commune nouvelle).
    """

    code = models.CharField(_("code INSEE"), max_length=5)
    name = models.CharField(_("nom"), max_length=120)
    search_name = models.CharField(_("nom normalisé"), max_length=120, db_index=True)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.CASCADE,
        related_name="communes",
        verbose_name=_("département"),
    )
    attached_to = models.CharField(_("commune de rattachement"), max_length=120, blank=True)

    class Meta:
        ordering = ["search_name", "code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(fields=["code", "name"], name="unique_commune_code_name")
        ]

    def __str__(self):
        return self.name


class CommunePostcode(models.Model):
    """One postcode of a commune (Paris has twenty; most communes one)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postcodes")
    code = models.CharField(_("code postal"), max_length=5, db_index=True)

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")

    def __str__(self):
        return self.code


# --- Visibility -------------------------------------------------------------------------


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    DLA = "dla", _("Réseau DLA uniquement")


class VisibilityMixin(models.Model):
    """Public or DLA-network-only content: the « visibilité » field is the one source of truth.

    The field drives the page's Wagtail view restriction on full saves (creation and
    publication), never on draft revisions, so a still-live DLA-only page is never exposed by
    an unpublished edit; Wagtail then protects serving, the sitemap and ``.public()``. The
    privacy dialog offers the network restriction only, and what it sets is written back into
    the field (``crdla.access.sync_visibility_from_restriction``). The rules live in
    ``crdla.access``.
    """

    visibility = models.CharField(
        _("visibilité"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "« Réseau DLA uniquement » : lisible seulement par les membres connectés du réseau."
        ),
    )
    # Wagtail's privacy dialog: only « groups » (normalised to the DLA network), mirrored in
    # the field; a password or « any signed-in user » would be a second, different truth.
    private_page_options = ["groups"]

    class Meta:
        abstract = True

    @property
    def is_restricted(self):
        return self.visibility == Visibility.DLA

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "visibility" in update_fields:
            from crdla.access import sync_restriction_from_visibility

            sync_restriction_from_visibility(self)
        return result


# --- Site settings and pages ---------------------------------------------------------------


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Contacts, footer and social links shown on every page."""

    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.TextField(_("adresse postale"), blank=True)
    publisher_name = models.CharField(
        _("éditeur du site"), max_length=200, blank=True, help_text=_("Raison sociale et forme.")
    )
    publication_director = models.CharField(
        _("directeur·rice de la publication"), max_length=200, blank=True
    )
    host_name = models.CharField(_("hébergeur"), max_length=200, blank=True)
    host_address = models.CharField(_("adresse de l'hébergeur"), max_length=300, blank=True)
    host_phone = models.CharField(_("téléphone de l'hébergeur"), max_length=30, blank=True)
    footer_text = models.TextField(_("texte de pied de page"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("page des mentions légales"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("page des données personnelles"),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("page de la déclaration d'accessibilité"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            heading=_("Contacts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("publisher_name"),
                FieldPanel("publication_director"),
                FieldPanel("host_name"),
                FieldPanel("host_address"),
                FieldPanel("host_phone"),
            ],
            heading=_("Mentions légales (affichées sur la page des mentions légales)"),
        ),
        MultiFieldPanel(
            [FieldPanel("linkedin_url"), FieldPanel("mastodon_url"), FieldPanel("youtube_url")],
            heading=_("Réseaux sociaux"),
        ),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                PageChooserPanel("legal_notice_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
            ],
            heading=_("Pages obligatoires (liées depuis chaque page)"),
        ),
    ]

    class Meta:
        verbose_name = _("paramètres du site")


class HomePage(CoverImageMixin, Page):
    """The site's home page (its cover image is the hero): the centres, latest resources, news."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = (
        Page.content_panels
        + [FieldPanel("intro")]
        + CoverImageMixin.cover_panels
        + [FieldPanel("body")]
    )
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "centres.CentrePage",
        "resources.NewsIndexPage",
        "network.NetworkPage",
        "core.StandardPage",
        "network.DirectoryPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request, *args, **kwargs):
        from crdla import access
        from crdla.centres.models import CentrePage
        from crdla.resources.models import NewsPage, ResourcePage

        context = super().get_context(request, *args, **kwargs)
        user = request.user

        def centres():
            return with_cover(
                access.public_pages(CentrePage.objects.all()).select_related("sector")
            )

        def latest_resources():
            resources = access.visible_pages(user, ResourcePage.objects.all())
            return with_cover(resources.order_by("-published_date", "-pk"))[:6]

        def latest_news():
            return access.visible_pages(user, NewsPage.objects.all()).order_by("-date", "-pk")[:3]

        # Built only when the « home_lists » fragment renders (once per generation and
        # audience): even unevaluated, building these querysets was a sixth of the home's time.
        context["centres"] = SimpleLazyObject(centres)
        context["latest_resources"] = SimpleLazyObject(latest_resources)
        context["latest_news"] = SimpleLazyObject(latest_news)
        return context


class StandardPage(Page):
    """A simple text page: presentation of the DLA, charter, legal pages, accessibility."""

    intro = models.TextField(_("chapô"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = [
        "core.HomePage",
        "core.StandardPage",
        "centres.CentrePage",
        "network.NetworkPage",
    ]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")
