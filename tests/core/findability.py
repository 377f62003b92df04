"""Findability checks on the demo content: the crawl, « Trouver mon DLA » on every département,
the programme tracker.

A mixin of ``tests.core.test_demo_content.DemoContentTests`` rather than a test class of its
own: loading the demo is the expensive part (about 30 s), so these checks share its load.
"""

import html
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from wagtail.documents import get_document_model
from wagtail.models import Page

from crdla.core.models import Commune, Departement

MAX_CLICKS = 3
PLACEHOLDERS = (r"démonstration", r"\[nom", r"lorem", r"\b0 ressources", r"\b1 ressources")
LOGIN_PATH = "/connexion/"
# Public documents linked from public pages that still send visitors to the login page. Issue 9
# emptied it: a document's audience follows the live pages that use it, so document 7 (attached
# to a public and to a DLA-only resource) is public again.
KNOWN_LOCKED_PUBLIC_DOCUMENTS = set()


class LinkParser(HTMLParser):
    """The ``href`` of every ``<a>`` (HTML and inline SVG alike)."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def internal_url(base, href):
    """The path and query of an internal link, or None (external, mailto, fragment, admin).

    The login page's ``next`` parameter is dropped: one login page, not one per page. The
    language links are not followed: they switch the crawler to English (tested in
    ``tests/core/test_language.py``).
    """
    from urllib.parse import urljoin

    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(("/admin/", "/django-admin/", "/langue/")):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next"]
    return parts.path + ("?" + urlencode(query) if query else "")


def crawl(client, start="/", bodies=None):
    """Breadth-first walk of the links an anonymous visitor can follow; returns
    ({url: clicks from the start}, {url: response status}, {url: redirect location}).
    ``bodies``, if given, receives the text of every HTML page visited, by URL."""
    clicks, statuses, redirects = {start: 0}, {}, {}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code in (301, 302):
            redirects[url] = response["Location"]
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = LinkParser()
        parser.feed(response.content.decode())
        if bodies is not None:
            bodies[url] = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
        for href in parser.links:
            target = internal_url(url, href)
            if target is not None and target not in clicks:
                clicks[target] = clicks[url] + 1
                queue.append(target)
    return clicks, statuses, redirects


class FindabilityChecks:
    """Mixed into a TestCase whose class data is the loaded demo."""

    def test_every_public_page_is_within_three_clicks_and_every_link_works(self):
        bodies = {}
        clicks, statuses, redirects = crawl(self.client, bodies=bodies)
        # Nothing on a public page gives the demo away (issue 11).
        placeholders = {
            url: word
            for url, text in bodies.items()
            for word in PLACEHOLDERS
            if re.search(word, text, re.IGNORECASE)
        }
        self.assertEqual(placeholders, {}, "textes de remplissage sur des pages publiques")
        sitemap = self.client.get("/sitemap.xml").content.decode()
        public_urls = {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
        self.assertGreater(len(public_urls), 100)
        too_far = {url: clicks.get(url) for url in public_urls if clicks.get(url, 99) > MAX_CLICKS}
        self.assertEqual(too_far, {}, "pages du plan du site à plus de trois clics (None : jamais)")

        login_redirects = {
            url: location
            for url, location in redirects.items()
            if urlsplit(location).path == LOGIN_PATH
        }
        broken = {
            url: status
            for url, status in statuses.items()
            if status != 200 and url not in login_redirects
        }
        self.assertEqual(broken, {}, "liens internes qui ne répondent pas 200")
        # A login redirect is fine for a DLA-only item, never for a public one.
        public_pages = {p.url for p in Page.objects.live().public().specific()}
        locked_public = sorted(url for url in login_redirects if urlsplit(url).path in public_pages)
        self.assertEqual(locked_public, [])
        document_ids = [
            int(match.group(1))
            for match in (re.match(r"/documents/(\d+)/", url) for url in login_redirects)
            if match
        ]
        locked_documents = set(
            get_document_model().objects.filter(pk__in=document_ids).values_list("title", flat=True)
        )
        self.assertEqual(locked_documents, KNOWN_LOCKED_PUBLIC_DOCUMENTS)

    def test_find_my_dla_answers_for_every_departement(self):
        """One commune of each of the 101 départements, by postcode; every tenth by name."""
        self.assertEqual(Departement.objects.count(), 101)
        self.assertGreater(Commune.objects.count(), 34_000)
        for number, departement in enumerate(Departement.objects.order_by("code")):
            commune, postcode = self.commune_with_own_postcode(departement)
            body = self.client.get("/trouver-mon-dla/", {"q": postcode}).content.decode()
            self.assertIn(f"{departement.name} ({departement.code})", body, postcode)
            self.assertIn("Le DLA du département", body, postcode)
            if number % 10 == 0:
                # Upper case, no accents: the name still finds the commune.
                query = commune.name.upper().replace("É", "E").replace("È", "E")
                response = self.client.get("/trouver-mon-dla/", {"q": query})
                self.assertIn(commune.name, html.unescape(response.content.decode()))
        self.assertContains(
            self.client.get("/trouver-mon-dla/", {"q": "99999"}),
            "ne correspond à aucune commune",
        )
        # A postcode over two départements (Indre-et-Loire and Vienne): the list to choose from.
        body = html.unescape(self.client.get("/trouver-mon-dla/", {"q": "37160"}).content.decode())
        self.assertIn("Plusieurs communes pour « 37160 »", body)
        self.assertIn("Indre-et-Loire (37)", body)
        self.assertIn("Vienne (86)", body)

    def commune_with_own_postcode(self, departement):
        """The first commune of the département whose postcode stays within it."""
        communes = Commune.objects.filter(departement=departement, postcodes__isnull=False)
        for commune in communes.order_by("code").prefetch_related("postcodes")[:20]:
            for postcode in commune.postcodes.all():
                spans = Commune.objects.filter(postcodes__code=postcode.code)
                if not spans.exclude(departement=departement).exists():
                    return commune, postcode.code
        self.fail(f"aucun code postal propre au département {departement}")

    def test_tracker_shows_the_demo_programmes_with_targets_and_actuals(self):
        from django.utils import timezone

        year = timezone.localdate().year
        body = html.unescape(self.client.get("/programmes/").content.decode())
        self.assertIn(f"Programme d'actions {year - 1} du CRDLA Culture", body)
        self.assertIn(f"Programme d'actions {year} du CRDLA Sport", body)
        self.assertIn("<progress", body)
        self.assertIn("Cible", body)
        self.assertIn("Réalisé", body)
        # This year's Culture programme is under review: its stage is public, its content is not.
        self.assertNotIn(f"Programme d'actions {year} du CRDLA Culture", body)
        url = f"/programmes/?centre=culture&annee={year - 1}"
        self.assertEqual(self.client.get(url).status_code, 200)
