"""The page tree editors can build: parent/subpage rules of every page type."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from crdla.centres.models import CentrePage
from crdla.core.models import HomePage, StandardPage
from crdla.network.models import DLAPage, NetworkPage
from crdla.resources.models import (
    EventPage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_only_under_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(CentrePage, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_home_children(self):
        for model in (CentrePage, NewsIndexPage, NetworkPage, StandardPage):
            self.assertCanCreateAt(HomePage, model)
        for model in (ResourcePage, ResourceIndexPage, NewsPage, EventPage, DLAPage):
            self.assertCanNotCreateAt(HomePage, model)

    def test_centre_children(self):
        for model in (ResourceIndexPage, NewsIndexPage, StandardPage):
            self.assertCanCreateAt(CentrePage, model)
        for model in (CentrePage, ResourcePage, NetworkPage, DLAPage, NewsPage):
            self.assertCanNotCreateAt(CentrePage, model)

    def test_resources_only_in_a_resource_listing(self):
        self.assertCanCreateAt(ResourceIndexPage, ResourcePage)
        for parent in (HomePage, CentrePage, NewsIndexPage, StandardPage, NetworkPage):
            self.assertCanNotCreateAt(parent, ResourcePage)
        self.assertAllowedSubpageTypes(ResourcePage, set())

    def test_news_and_events_only_in_a_news_listing(self):
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage, EventPage})
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage, CentrePage})

    def test_networks_hold_their_dla(self):
        self.assertAllowedParentPageTypes(NetworkPage, {HomePage})
        self.assertCanCreateAt(NetworkPage, DLAPage)
        self.assertAllowedParentPageTypes(DLAPage, {NetworkPage})
