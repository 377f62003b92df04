"""Atom feed of the latest public resources (DLA-only ones are never fed)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from crdla import access
from crdla.resources.models import ResourcePage


class LatestResourcesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Centres de ressources DLA — dernières ressources")
    subtitle = _("Guides, fiches, études et outils publiés par les centres de ressources DLA.")
    link = "/"

    def items(self):
        # Public resources only, whoever asks: a feed reader has no session.
        pages = access.public_pages(ResourcePage.objects.all())
        return pages.order_by("-published_date", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.published_date, time(9)))

    def item_categories(self, item):
        return [item.get_kind_display()]
