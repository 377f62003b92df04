"""User profiles: the institution, centre, network or DLA a user belongs to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.TextChoices):
    """Institutions seated on a resource centre's steering committee."""

    PORTEUSE = "porteuse", _("Structure porteuse")
    DGEFP = "dgefp", _("DGEFP (État)")
    CDC = "cdc", _("Banque des Territoires (CDC)")
    MINISTERE = "ministere", _("Ministère du secteur")
    AVISE = "avise", _("Avise")


class UserProfile(models.Model):
    """What a user is attached to; roles themselves are Django groups (see roles.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    institution = models.CharField(
        _("institution (comité de pilotage)"),
        max_length=20,
        choices=Institution.choices,
        blank=True,
    )
    centre = models.ForeignKey(
        "centres.CentrePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_profiles",
        verbose_name=_("centre de ressources"),
    )
    network = models.ForeignKey(
        "network.NetworkPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_profiles",
        verbose_name=_("réseau régional"),
    )
    dla = models.ForeignKey(
        "network.DLAPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_profiles",
        verbose_name=_("DLA"),
    )

    is_demo = models.BooleanField(
        _("compte de démonstration"),
        default=False,
        help_text=_("Ne peut se connecter qu'avec les réglages de développement."),
    )

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")

    def __str__(self):
        return str(self.user)


class PageCollection(models.Model):
    """The collection of a centre's or a regional network's documents and images, linked to its
    page by id.

    The collection's name follows the page's (« CRDLA Culture », « Réseau régional — Bretagne »)
    and changes when it is renamed; every lookup of a centre's or network's collection goes
    through this link (``crdla.accounts.roles.media_collection``), never the name.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="media_collection_link",
        verbose_name=_("page"),
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.CASCADE,
        related_name="page_link",
        verbose_name=_("collection"),
    )

    class Meta:
        verbose_name = _("collection d'un centre ou d'un réseau")
        verbose_name_plural = _("collections des centres et des réseaux")

    def __str__(self):
        return self.collection.name
