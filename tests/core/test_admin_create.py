"""Every page type can be created through the Wagtail admin (real forms, real test client)."""

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from crdla.centres.models import CentrePage
from crdla.core.models import Departement, HomePage, Region, StandardPage
from crdla.network.models import DLAPage, NetworkPage
from crdla.resources.models import (
    EventPage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
)
from tests.factories import (
    CentrePageFactory,
    HomePageFactory,
    NetworkPageFactory,
    NewsIndexPageFactory,
    ResourceIndexPageFactory,
    SectorFactory,
)


class AdminCreationTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePageFactory(parent=root)
        Site.objects.all().delete()
        Site.objects.create(hostname="testserver", root_page=cls.home, is_default_site=True)
        cls.sector = SectorFactory(slug="culture", name="Culture")
        cls.centre = CentrePageFactory(parent=cls.home, slug="culture", sector=cls.sector)
        cls.index = ResourceIndexPageFactory(parent=cls.centre)
        cls.news_index = NewsIndexPageFactory(parent=cls.centre)
        cls.network = NetworkPageFactory(parent=cls.home, slug="grand-est")
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_create_standard_page(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Mentions légales",
                    "slug": "mentions-legales",
                    "intro": "",
                    "body": streamfield([("paragraph", rich_text("<p>Éditeur…</p>"))]),
                }
            ),
        )

    def test_create_centre_page(self):
        self.assertCanCreate(
            self.home,
            CentrePage,
            nested_form_data(
                {
                    "title": "Centre de ressources DLA Numérique",
                    "slug": "numerique",
                    "short_name": "CRDLA Numérique",
                    "sector": SectorFactory(slug="numerique", name="Numérique").pk,
                    "intro": "Un septième centre ajouté par les éditeurs.",
                    "missions": rich_text("<p>Outiller les DLA.</p>"),
                    "host_structures": inline_formset(
                        [{"name": "Structure porteuse", "role": "Porte le centre", "url": ""}]
                    ),
                    "team_members": inline_formset(
                        [
                            {
                                "name": "Alex Martin",
                                "role": "Chargé de mission",
                                "etp": "0.5",
                                "profile": "",
                            }
                        ]
                    ),
                    "partner_networks": inline_formset([]),
                    "funders": inline_formset([{"name": "Banque des Territoires", "url": ""}]),
                    "contact_email": "numerique@example.org",
                    "contact_phone": "",
                    "website": "",
                }
            ),
        )
        # a new centre gets its own groups straight away
        from django.contrib.auth.models import Group

        self.assertTrue(Group.objects.filter(name="Experts — CRDLA Numérique").exists())

    def test_centre_page_refuses_an_etp_above_one(self):
        from django.urls import reverse

        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["centres", "centrepage", self.home.pk]),
            nested_form_data(
                {
                    "title": "Centre invalide",
                    "slug": "invalide",
                    "short_name": "CRDLA X",
                    "sector": self.sector.pk,
                    "intro": "x",
                    "missions": rich_text(""),
                    "host_structures": inline_formset([{"name": "S", "role": "R", "url": ""}]),
                    "team_members": inline_formset(
                        [{"name": "A", "role": "B", "etp": "1.5", "profile": ""}]
                    ),
                    "partner_networks": inline_formset([]),
                    "funders": inline_formset([]),
                    "contact_email": "",
                    "contact_phone": "",
                    "website": "",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "L&#x27;ETP doit être compris entre 0 et 1.")
        self.assertFalse(CentrePage.objects.filter(slug="invalide").exists())

    def test_create_resource_index_page(self):
        other = CentrePageFactory(
            parent=self.home, slug="sport", sector=SectorFactory(slug="sport")
        )
        self.assertCanCreate(
            other,
            ResourceIndexPage,
            nested_form_data({"title": "Ressources", "slug": "ressources", "intro": ""}),
        )

    def test_create_resource_page(self):
        self.assertCanCreate(
            self.index,
            ResourcePage,
            nested_form_data(
                {
                    "title": "Fiche repère : le modèle économique des compagnies",
                    "slug": "fiche-modele-economique",
                    "kind": "fiche_repere",
                    "visibility": "dla",
                    "authors": "CRDLA Culture",
                    "summary": "Les ressources d'une compagnie de spectacle vivant.",
                    "body": streamfield([("paragraph", rich_text("<p>Contenu</p>"))]),
                    "documents": inline_formset([]),
                    "published_date": "2026-10-01",
                    "updated_date": "",
                    "sectors": [self.sector.pk],
                }
            ),
        )
        page = ResourcePage.objects.get(slug="fiche-modele-economique")
        self.assertTrue(page.get_view_restrictions().exists())

    def test_create_news_index_page(self):
        self.assertCanCreate(
            self.home,
            NewsIndexPage,
            nested_form_data({"title": "Actualités", "slug": "actualites", "intro": ""}),
        )

    def test_create_news_page(self):
        self.assertCanCreate(
            self.news_index,
            NewsPage,
            nested_form_data(
                {
                    "title": "Nouvelle fiche publiée",
                    "slug": "nouvelle-fiche",
                    "date": "2026-11-20",
                    "visibility": "public",
                    "intro": "",
                    "body": streamfield([]),
                }
            ),
        )

    def test_create_event_page(self):
        self.assertCanCreate(
            self.news_index,
            EventPage,
            nested_form_data(
                {
                    "title": "Webinaire tiers-lieux",
                    "slug": "webinaire-tiers-lieux",
                    "start": "2026-12-10 09:30",
                    "end": "2026-12-10 11:00",
                    "format": "distanciel",
                    "place": "",
                    "registration_url": "https://example.org/inscription",
                    "replay_url": "",
                    "visibility": "public",
                    "intro": "",
                    "body": streamfield([]),
                }
            ),
        )

    def test_event_end_before_start_is_refused(self):
        from django.urls import reverse

        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["resources", "eventpage", self.news_index.pk]),
            nested_form_data(
                {
                    "title": "Mauvaises dates",
                    "slug": "mauvaises-dates",
                    "start": "2026-12-10 09:30",
                    "end": "2026-12-09 11:00",
                    "format": "presentiel",
                    "place": "",
                    "registration_url": "",
                    "replay_url": "",
                    "visibility": "public",
                    "intro": "",
                    "body": streamfield([]),
                }
            ),
        )
        self.assertContains(response, "La fin de l&#x27;événement doit suivre son début.")
        self.assertFalse(EventPage.objects.filter(slug="mauvaises-dates").exists())

    def test_create_network_page(self):
        region = Region.objects.get(code="53")
        self.assertCanCreate(
            self.home,
            NetworkPage,
            nested_form_data(
                {
                    "title": "Réseau DLA Bretagne",
                    "slug": "bretagne",
                    "region": region.pk,
                    "intro": "",
                    "host_structure": "Animation régionale",
                    "host_url": "",
                    "animator_name": "",
                    "animator_email": "",
                    "animator_phone": "",
                    "animator": "",
                }
            ),
        )

    def test_create_dla_page(self):
        self.assertCanCreate(
            self.network,
            DLAPage,
            nested_form_data(
                {
                    "title": "DLA de la Marne",
                    "slug": "dla-marne",
                    "departement": Departement.objects.get(code="51").pk,
                    "host_structure": "Structure porteuse",
                    "officers": inline_formset(
                        [{"name": "Sam Durand", "email": "sam@example.org", "user": ""}]
                    ),
                    "address": "",
                    "contact_email": "",
                    "phone": "",
                    "website": "",
                }
            ),
        )

    def test_home_page_is_unique(self):
        # the type rule allows the root, but max_count = 1 forbids a second home
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
