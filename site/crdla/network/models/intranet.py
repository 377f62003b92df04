"""The intranet of a network: news, shared documents and the common programme.

Visible only to the network's officers and animator, through a Wagtail view restriction
on the per-network group (kept in sync by ``crdla.network.access.sync_network_group``).
"""

import datetime

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageViewRestriction

from crdla.core.blocks import BaseStreamBlock

__all__ = ["IntranetPage", "IntranetDocument", "IntranetNewsPage"]


class IntranetPage(Page):
    """The restricted home of a network's intranet."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("shared_documents", label=_("Documents partagés")),
    ]
    parent_page_types = ["network.NetworkPage"]
    subpage_types = ["network.IntranetNewsPage"]
    max_count_per_parent = 1
    # Never in the public search, sitemap or menus.
    search_fields = []

    class Meta:
        verbose_name = _("intranet du réseau")

    @property
    def network(self):
        from .pages import NetworkPage

        return NetworkPage.objects.ancestor_of(self).first()

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        self.sync_view_restriction()
        return result

    def sync_view_restriction(self):
        """Restrict the intranet (and its subtree) to the network group and administrators."""
        from crdla.accounts.roles import ADMINISTRATORS
        from crdla.network.access import sync_network_group

        network = self.network
        if network is None:
            return
        group = sync_network_group(network)
        restriction = PageViewRestriction.objects.filter(
            page=self, restriction_type=PageViewRestriction.GROUPS
        ).first() or PageViewRestriction.objects.create(
            page=self, restriction_type=PageViewRestriction.GROUPS
        )
        admins, _created = Group.objects.get_or_create(name=ADMINISTRATORS)
        restriction.groups.set([group, admins])

    def get_sitemap_urls(self, request=None):
        return []

    def get_context(self, request, *args, **kwargs):
        from .vote import RegionalProgramme, RegionalProgrammeStatus

        context = super().get_context(request, *args, **kwargs)
        network = self.network
        context["network"] = network
        context["news"] = (
            IntranetNewsPage.objects.live().child_of(self).order_by("-date", "-pk")[:20]
        )
        context["documents"] = [d.document for d in self.shared_documents.all()]
        programmes = RegionalProgramme.objects.filter(network=network)
        context["adopted_programme"] = (
            programmes.filter(status=RegionalProgrammeStatus.ADOPTED)
            .order_by("-year", "-pk")
            .first()
        )
        context["current_programme"] = (
            programmes.exclude(status=RegionalProgrammeStatus.ADOPTED)
            .order_by("-year", "-pk")
            .first()
        )
        return context


class IntranetDocument(Orderable):
    """A document shared with the network's officers."""

    page = ParentalKey(IntranetPage, on_delete=models.CASCADE, related_name="shared_documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("document partagé")
        verbose_name_plural = _("documents partagés")


class IntranetNewsPage(Page):
    """A news item of the intranet (inherits the intranet's restriction)."""

    date = models.DateField(_("date"), default=datetime.date.today)
    intro = models.TextField(_("chapô"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["network.IntranetPage"]
    subpage_types = []
    search_fields = []

    class Meta:
        verbose_name = _("actualité de l'intranet")
        verbose_name_plural = _("actualités de l'intranet")

    def get_sitemap_urls(self, request=None):
        return []
