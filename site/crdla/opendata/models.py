"""The licence of the open data: Licence Ouverte 2.0 unless the site settings say otherwise,
site-wide or for one centre."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

LICENCE_OUVERTE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_OUVERTE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@register_setting(icon="doc-full")
class OpenDataSettings(ClusterableModel, BaseSiteSetting):
    """Who publishes the open data and under which licence (one per site)."""

    publisher = models.CharField(
        _("éditeur des données"), max_length=200, default="Centres de ressources DLA"
    )
    contact_email = models.EmailField(_("courriel de contact des données"), blank=True)
    licence_name = models.CharField(_("licence"), max_length=200, default=LICENCE_OUVERTE)
    licence_url = models.URLField(_("adresse de la licence"), default=LICENCE_OUVERTE_URL)

    panels = [
        MultiFieldPanel(
            [FieldPanel("publisher"), FieldPanel("contact_email")], heading=_("Éditeur")
        ),
        MultiFieldPanel(
            [FieldPanel("licence_name"), FieldPanel("licence_url")],
            heading=_("Licence de toutes les données (sauf mention d'un centre)"),
        ),
        InlinePanel("centre_licences", label=_("Licence propre à un centre")),
    ]

    class Meta:
        verbose_name = _("données ouvertes")

    def licence_for(self, centre=None):
        """(name, url) of the licence of a centre's data, or of the site's."""
        if centre is not None:
            for own in self.centre_licences.all():
                if own.centre_id == centre.pk:
                    return own.licence_name, own.licence_url
        return self.licence_name, self.licence_url


class CentreLicence(Orderable):
    """A centre that publishes its data under another licence."""

    settings = ParentalKey(
        OpenDataSettings, on_delete=models.CASCADE, related_name="centre_licences"
    )
    centre = models.ForeignKey(
        "centres.CentrePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("centre")
    )
    licence_name = models.CharField(_("licence"), max_length=200)
    licence_url = models.URLField(_("adresse de la licence"))

    panels = [FieldPanel("centre"), FieldPanel("licence_name"), FieldPanel("licence_url")]

    class Meta(Orderable.Meta):
        verbose_name = _("licence d'un centre")
        verbose_name_plural = _("licences des centres")
