"""Regional DLA networks (one page per région) and the DLA of each département."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from crdla import access

__all__ = ["NetworkPage", "NetworkGroup", "DLAPage", "DLAOfficer", "DirectoryPage"]


class NetworkPage(Page):
    """A regional network of DLA (e.g. a C2RA): its host, its animator and its DLA."""

    region = models.OneToOneField(
        "core.Region", on_delete=models.PROTECT, related_name="network", verbose_name=_("région")
    )
    host_structure = models.CharField(_("structure d'animation"), max_length=200)
    host_url = models.URLField(_("site de la structure"), blank=True)
    animator_name = models.CharField(_("animateur·rice régional·e"), max_length=200, blank=True)
    animator_email = models.EmailField(_("courriel de l'animation"), blank=True)
    animator_phone = models.CharField(_("téléphone de l'animation"), max_length=30, blank=True)
    animator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="animated_networks",
        verbose_name=_("compte de l'animateur·rice"),
    )
    intro = models.TextField(_("présentation"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("region"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("host_structure"), FieldPanel("host_url")],
            heading=_("Structure d'animation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("animator_name"),
                FieldPanel("animator_email"),
                FieldPanel("animator_phone"),
                FieldPanel("animator"),
            ],
            heading=_("Animation régionale"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = [
        "network.DLAPage",
        "core.StandardPage",
        "network.CallForTendersIndexPage",
        "network.IntranetPage",
        "network.SurveyPage",
    ]

    class Meta:
        verbose_name = _("réseau régional")
        verbose_name_plural = _("réseaux régionaux")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["dlas"] = (
            access.public_pages(DLAPage.objects.all())
            .child_of(self)
            .select_related("departement")
            .order_by("departement__code")
        )
        from crdla.network.access import is_network_member

        from .calls import CallForTendersIndexPage, open_calls
        from .intranet import IntranetPage
        from .survey import SurveyPage

        context["calls_index"] = CallForTendersIndexPage.objects.live().child_of(self).first()
        context["directory"] = access.public_pages(DirectoryPage.objects.all()).first()
        context["open_calls"] = open_calls().descendant_of(self)[:5]
        if is_network_member(request.user, self):
            context["intranet"] = IntranetPage.objects.live().child_of(self).first()
            context["surveys"] = SurveyPage.objects.live().child_of(self).order_by("-year")
        return context


class NetworkGroup(models.Model):
    """A regional network's group (its officers and animator), linked to it by id.

    The group's name follows the network's région (« Réseau régional — Bretagne ») and changes
    when it is renamed; every lookup of a network's group goes through this link
    (``crdla.network.access.network_group``), never the name. The intranet's view restriction
    and the call permissions are given to this group.
    """

    network = models.OneToOneField(
        NetworkPage,
        on_delete=models.CASCADE,
        related_name="group_link",
        verbose_name=_("réseau régional"),
    )
    group = models.OneToOneField(
        "auth.Group",
        on_delete=models.CASCADE,
        related_name="network_link",
        verbose_name=_("groupe"),
    )

    class Meta:
        verbose_name = _("groupe d'un réseau régional")
        verbose_name_plural = _("groupes des réseaux régionaux")

    def __str__(self):
        return self.group.name


class DLAPage(Page):
    """The DLA of one département: its structure porteuse, officers and contact."""

    departement = models.ForeignKey(
        "core.Departement",
        on_delete=models.PROTECT,
        related_name="dlas",
        verbose_name=_("département"),
    )
    host_structure = models.CharField(_("structure porteuse"), max_length=200)
    address = models.TextField(_("adresse"), blank=True)
    contact_email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("departement"),
        FieldPanel("host_structure"),
        InlinePanel("officers", label=_("Chargé·es de mission")),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("contact_email"),
                FieldPanel("phone"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("host_structure")]
    parent_page_types = ["network.NetworkPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("DLA départemental")
        verbose_name_plural = _("DLA départementaux")

    @property
    def network(self):
        return self.get_parent().specific


class DLAOfficer(Orderable):
    """A chargé·e de mission of a DLA (linked to an account when they have one)."""

    page = ParentalKey(DLAPage, on_delete=models.CASCADE, related_name="officers")
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dla_officer_records",
        verbose_name=_("compte"),
    )

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("user")]

    class Meta(Orderable.Meta):
        verbose_name = _("chargé·e de mission")
        verbose_name_plural = _("chargé·es de mission")

    def __str__(self):
        return self.name


class DirectoryPage(Page):
    """The public directory of DLA, by région and département, with filters."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des DLA")

    @staticmethod
    def selected_filters(request):
        """The ``region``, ``departement`` and ``q`` filters as read from the query string."""
        selected = {name: request.GET.get(name, "").strip() for name in ("region", "departement")}
        selected["q"] = request.GET.get("q", "").strip()[:100]
        return selected

    def filtered_dlas(self, selected):
        """Live public DLA pages matching the ``selected`` filters."""
        dlas = (
            access.public_pages(DLAPage.objects.all())
            .select_related("departement__region")
            .prefetch_related("officers")
            .order_by("departement__region__name", "departement__code", "title")
        )
        if selected["region"]:
            dlas = dlas.filter(departement__region__code=selected["region"])
        if selected["departement"]:
            dlas = dlas.filter(departement__code=selected["departement"])
        if selected["q"]:
            dlas = dlas.filter(
                models.Q(title__icontains=selected["q"])
                | models.Q(host_structure__icontains=selected["q"])
                | models.Q(departement__name__icontains=selected["q"])
            )
        return dlas

    def get_context(self, request, *args, **kwargs):
        """The map, the filters and the DLA by région; the DLA are read only when the
        template's fragment is rendered (kept per cache generation and filter, except for a
        free-text search, which is not kept)."""
        from itertools import groupby

        from django.utils.functional import SimpleLazyObject

        from crdla.core.models import Departement, Region
        from crdla.network.views.finder import map_context
        from crdla.pagecache import generation

        context = super().get_context(request, *args, **kwargs)
        context.update(map_context())
        selected = self.selected_filters(request)

        def results():
            found = list(self.filtered_dlas(selected))
            by_region = groupby(found, key=lambda d: d.departement.region)
            return {
                "count": len(found),
                "regions": [(region, list(items)) for region, items in by_region],
            }

        def options():
            return {
                "regions": [(r.code, r.name) for r in Region.objects.all()],
                "departements": [
                    (d.code, str(d), d.region.code)
                    for d in Departement.objects.select_related("region")
                ],
            }

        choices = generation.remember_for_request(request, "crdla-directory-options", options)
        known = all(
            not selected[name] or any(selected[name] == option[0] for option in choices[key])
            for name, key in (("region", "regions"), ("departement", "departements"))
        )
        context.update(
            results=SimpleLazyObject(results),
            # Kept per known filters only: free text and unknown codes are rendered each time.
            results_key=(
                f"{selected['region']}|{selected['departement']}"
                if known and not selected["q"]
                else ""
            ),
            selected=selected,
            region_options=choices["regions"],
            departement_options=[
                (code, label)
                for code, label, region in choices["departements"]
                if not selected["region"] or region == selected["region"]
            ],
        )
        return context
