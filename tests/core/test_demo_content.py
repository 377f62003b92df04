"""The demo loader: idempotent, complete, every page type renders, demo accounts dev-only."""

import html
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Page

from crdla.centres.models import CentrePage
from crdla.core.models import StandardPage
from crdla.network.models import DLAPage, NetworkPage
from crdla.resources.models import EventPage, NewsPage, ResourceIndexPage, ResourcePage
from tests.core.findability import FindabilityChecks


def snapshot():
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model

    return {
        "pages": Page.objects.count(),
        "resources": ResourcePage.objects.count(),
        "users": get_user_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


class DemoContentTests(FindabilityChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("load_initial_data", stdout=cls.output)

    def test_loads_the_six_centres_and_realistic_content(self):
        self.assertEqual(CentrePage.objects.live().count(), 6)
        self.assertGreaterEqual(ResourcePage.objects.live().count(), 60)
        for centre in CentrePage.objects.all():
            count = ResourcePage.objects.descendant_of(centre).count()
            self.assertGreaterEqual(count, 10, centre.title)
            self.assertTrue(centre.host_structures.exists())
        self.assertTrue(ResourcePage.objects.filter(visibility="dla").exists())
        self.assertGreaterEqual(NetworkPage.objects.count(), 3)
        for network in NetworkPage.objects.all():
            self.assertTrue(DLAPage.objects.child_of(network).exists())
        self.assertTrue(NewsPage.objects.exists())
        self.assertTrue(EventPage.objects.exists())

    def test_demo_pages_have_credited_cover_images(self):
        from wagtail.images import get_image_model

        from crdla.core.models import HomePage

        images = get_image_model().objects.all()
        self.assertGreaterEqual(images.count(), 20)
        self.assertFalse(images.filter(focal_point_x__isnull=True).exists())
        self.assertFalse(images.filter(description="").exists())
        for page in [HomePage.objects.get(), *CentrePage.objects.all()]:
            self.assertTrue(page.cover_alt_text, page)  # described, not decorative
            self.assertIn("licence", page.cover_credit)
        for model in (ResourcePage, NewsPage, EventPage):
            self.assertFalse(model.objects.filter(cover_image__isnull=True).exists(), model)
        home = self.client.get("/").content.decode()
        self.assertIn('<figure class="cover cover-hero"><picture>', home)
        self.assertIn('type="image/webp"', home)

    def test_prints_the_demo_accounts(self):
        output = self.output.getvalue()
        self.assertIn("demo-crdla-2026", output)
        for username in (
            "admin",
            "expert.culture",
            "editeur.culture",
            "comite.dgefp",
            "animateur.grandest",
        ):
            self.assertIn(username, output)

    def test_output_is_short_french_with_the_site_urls_and_no_email(self):
        output = self.output.getvalue()
        self.assertNotIn("Content-Type", output)  # the demo e-mails are counted, not printed
        # (The e-mails are sent on commit, which a TestCase never reaches: their count,
        # « courriels de démonstration (non envoyés) », shows with `make run` only.)
        for wrong in ("réseaus", "DLAs", "/accueil/", "(s)"):
            self.assertNotIn(wrong, output)
        self.assertIn("Site : http://localhost/", output)
        self.assertLess(len(output.splitlines()), 60)

    def test_legal_pages_alerts_calls_and_survey_read_like_the_real_platform(self):
        from crdla.core.models import SiteSettings
        from crdla.network.models import CallForTendersPage, SurveySubmission

        site_settings = SiteSettings.objects.get()
        legal = html.unescape(self.client.get(site_settings.legal_notice_page.url).content.decode())
        for value in (site_settings.host_name, site_settings.publication_director, "Hébergement"):
            self.assertIn(value, legal)
        self.assertNotIn("[nom", legal)
        privacy = html.unescape(self.client.get(site_settings.privacy_page.url).content.decode())
        self.assertIn("types d'accompagnement", privacy)
        self.assertNotIn("nouvelles ressources et des événements", privacy)
        news = " ".join(str(page.body) for page in NewsPage.objects.all())
        self.assertNotIn("alertes thématiques", news)
        calls = list(CallForTendersPage.objects.select_related("sector", "theme"))
        self.assertEqual(len({call.sector_id for call in calls}), len(calls))
        self.assertEqual(len({str(call.description) for call in calls}), len(calls))
        sport = next(call for call in calls if "clubs sportifs" in call.title)
        self.assertEqual(sport.sector.slug, "sport")
        insertion = next(call for call in calls if "insertion" in call.title)
        self.assertEqual(insertion.sector.slug, "iae")
        self.assertEqual(SurveySubmission.objects.count(), 2)

    def test_is_idempotent(self):
        before = snapshot()
        call_command("load_initial_data", stdout=StringIO())
        self.assertEqual(before, snapshot())

    def test_every_page_type_renders(self):
        for model in (
            StandardPage,
            CentrePage,
            ResourceIndexPage,
            ResourcePage,
            NewsPage,
            EventPage,
            NetworkPage,
            DLAPage,
        ):
            page = model.objects.live().public().first()
            self.assertIsNotNone(page, model)
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, f"{model.__name__} {page.url}")
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_legal_pages_are_linked_from_every_page(self):
        for url in ("/", ResourcePage.objects.live().public().first().url):
            body = self.client.get(url).content.decode()
            self.assertIn("Mentions légales", body)
            self.assertIn("Données personnelles", body)
            self.assertIn("Accessibilité", body)

    def test_demo_accounts_log_in_with_dev_settings_only(self):
        self.assertIsNotNone(authenticate(username="expert.culture", password="demo-crdla-2026"))
        with override_settings(CRDLA_DEMO_ACCOUNTS=False):
            self.assertIsNone(authenticate(username="expert.culture", password="demo-crdla-2026"))

    def test_404_is_ours(self):
        response = self.client.get("/cette-page-n-existe-pas/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page introuvable", status_code=404)
        self.assertContains(response, 'lang="fr"', status_code=404)
