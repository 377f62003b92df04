"""Rendered fragments kept per cache generation (``{% fragment_cache %}``): resource cards, cover
images, the footer menu, the map of France. Each is rendered again when what it shows changes,
and a fragment rendered for one audience is never served to another.

The page cache is off (as in the test settings): these are the fragments of uncached pages.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from crdla.resources.models import ResourcePage
from tests.factories import ImageFactory, ResourcePageFactory
from tests.public_site import add_network_and_search_pages, build_public_site


@pytest.fixture
def site(home):
    return build_public_site(home)


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def publish(page, **changes):
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_the_fragment_key_holds_the_audience(rf, dla_officer):
    """The same fragment, rendered for a DLA officer then for a visitor, keeps them apart."""
    probe = Template(
        '{% load page_cache %}{% fragment_cache "probe" %}{{ text }}{% endfragment_cache %}'
    )

    def render(user, text):
        request = RequestFactory().get("/")
        request.user = user
        return probe.render(Context({"request": request, "text": text}))

    assert render(dla_officer, "Réservé au réseau") == "Réservé au réseau"
    assert render(AnonymousUser(), "Public") == "Public"
    assert render(dla_officer, "autre") == "Réservé au réseau"  # kept for its own audience


def test_restricted_cards_never_reach_visitors(client, site, dla_officer):
    url = site["resource_index"].url
    restricted = site["restricted_resource"].title
    client.force_login(dla_officer)
    assert restricted in html(client, url)  # its card is now cached for the network
    client.logout()
    assert restricted not in html(client, url)
    assert site["resource"].title in html(client, url)


def test_a_card_follows_a_renaming(client, site):
    url = site["resource_index"].url
    assert "Guide du modèle économique 0" in html(client, url)
    publish(site["resource"], title="Guide renommé")
    page = html(client, url)
    assert "Guide renommé" in page and "Guide du modèle économique 0<" not in page


def test_a_card_follows_publication_and_unpublication(client, site):
    url = site["centre"].url
    new = ResourcePageFactory(parent=site["resource_index"], title="Guide tout neuf", live=False)
    assert "Guide tout neuf" not in html(client, url)
    new.save_revision().publish()
    assert "Guide tout neuf" in html(client, url)
    ResourcePage.objects.get(pk=new.pk).unpublish()
    assert "Guide tout neuf" not in html(client, url)


def test_a_card_follows_a_restriction(client, site, dla_officer):
    url = site["resource_index"].url
    resource = site["resource"]
    assert resource.title in html(client, url)
    publish(resource, visibility="dla")
    assert PageViewRestriction.objects.filter(page=resource).exists()
    assert resource.title not in html(client, url)
    client.force_login(dla_officer)
    assert resource.title in html(client, url)  # with the « Réseau DLA » badge
    card = html(client, url).split(resource.title)[0].rsplit('<article class="card">', 1)[1]
    assert "Réseau DLA" in card


def test_a_draft_keeps_the_card(client, site):
    url = site["resource_index"].url
    html(client, url)
    page = ResourcePage.objects.get(pk=site["resource"].pk)
    page.title = "Titre en cours de rédaction"
    page.save_revision()  # Wagtail's autosave: visitors still see the live title
    assert "Titre en cours de rédaction" not in html(client, url)


def test_a_cover_image_follows_its_image(client, site):
    url = site["centre"].url
    before = html(client, url)
    image = site["centre"].cover_image
    # What Wagtail's image edit view does when an editor uploads a new file.
    image.file = ImageFactory(title="Autre fichier").file
    image.save()
    image.renditions.all().delete()
    after = html(client, url)
    assert after != before
    old_src = before.split('<figure class="cover">')[1].split("</figure>")[0]
    assert old_src not in after


def test_a_new_cover_image_on_a_card(client, site):
    url = site["resource_index"].url
    resource = site["resources"][1]  # no cover image
    before = html(client, url)
    publish(resource, cover_image=ImageFactory(title="Nouvelle illustration"))
    after = html(client, url)
    assert after.count('class="card-image"') == before.count('class="card-image"') + 1


def test_the_menus_follow_a_renaming(client, site):
    publish(site["centre"], short_name="CRDLA Arts et culture")
    page = html(client, site["news"].url)
    header, footer = page.split("<main")[0], page.split("</main>")[1]
    assert "CRDLA Arts et culture" in header and "CRDLA Arts et culture" in footer
    assert f'href="{site["centre"].url}"' in footer


def test_the_map_follows_the_departements(client, site):
    from crdla.core.models import Departement, Region

    region = Region.objects.create(code="99", name="Région d'essai")
    departement = Departement.objects.create(code="9Z", name="Essai", region=region)
    assert "Essai (9Z)" in html(client, "/trouver-mon-dla/")
    departement.name = "Essai renommé"
    departement.save()
    assert "Essai renommé (9Z)" in html(client, "/trouver-mon-dla/")


@pytest.mark.parametrize("name", ["home", "centre"])
def test_latest_lists_follow_publication_and_audience(client, site, dla_officer, name):
    """The home page's and a centre's lists (body, centres, latest resources and news)."""
    url = site[name].url
    restricted = site["restricted_resource"].title
    client.force_login(dla_officer)
    assert restricted in html(client, url)
    client.logout()
    assert restricted not in html(client, url)
    new = ResourcePageFactory(parent=site["resource_index"], title="Guide du jour", live=False)
    new.save_revision().publish()
    assert "Guide du jour" in html(client, url)
    if name == "home":  # the news of this site are not under the centre
        publish(site["news"], title="Étude renommée")
        assert "Étude renommée" in html(client, url)


def test_the_programme_tracker_follows_approvals_and_reports(client, site):
    """The tracker's rows are one fragment per filter: an approval, a report and its deletion
    show at once."""
    from tests.performance.test_query_counts import approve_with_report
    from tests.public_site import add_network_and_search_pages

    site = add_network_and_search_pages(site)
    programme = site["programme"]
    before = html(client, "/programmes/")
    assert "Structures accompagnées" not in before  # no approved version: no figures yet
    approve_with_report(programme)
    after = html(client, "/programmes/")
    assert "Structures accompagnées" in after
    assert "déposé le" in after  # the mid-year report
    filtered = html(client, f"/programmes/?annee={programme.year}")
    assert "Structures accompagnées" in filtered
    programme.reports.get().delete()
    assert "déposé le" not in html(client, f"/programmes/?annee={programme.year}")


def test_a_centres_upcoming_events_follow_the_clock_and_the_audience(client, site, dla_officer):
    """A centre's news section is kept per hour as well: an event that has ended leaves it at
    the latest in the next hour, without any publication."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    from tests.factories import EventPageFactory, NewsIndexPageFactory

    centre = site["centre"]
    news_index = NewsIndexPageFactory(parent=centre, slug="actualites-du-centre")
    now = timezone.now()
    EventPageFactory(
        parent=news_index,
        title="Atelier bientôt fini",
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(minutes=30),
    )
    EventPageFactory(parent=news_index, title="Réunion interne", visibility="dla")
    page = html(client, centre.url)
    assert "Atelier bientôt fini" in page
    assert "Réunion interne" not in page
    client.force_login(dla_officer)
    assert "Réunion interne" in html(client, centre.url)
    client.logout()
    later = now + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Atelier bientôt fini" not in html(client, centre.url)


def test_the_news_index_follows_the_clock(client, site):
    """Its events move from « à venir » to « passés » when they end, without a publication."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    url, title = site["news_index"].url, site["event"].title
    upcoming, past = html(client, url).split('id="past-title"')
    assert title in upcoming and title not in past
    later = timezone.now() + datetime.timedelta(days=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        upcoming, past = html(client, url).split('id="past-title"')
    assert title not in upcoming and title in past


def test_the_process_memory_drops_its_oldest_values_first(settings):
    """A full per-process memory drops its oldest value, not everything at once."""
    from crdla.pagecache import generation

    generation._memory.clear()
    for number in range(generation.MEMORY_ENTRIES + 5):
        generation.remember(f"probe:{number}", lambda number=number: number)
    assert len(generation._memory) == generation.MEMORY_ENTRIES
    assert "probe:0" not in generation._memory and "probe:4" not in generation._memory
    assert generation._memory["probe:5"] == 5
    assert generation._memory[f"probe:{generation.MEMORY_ENTRIES + 4}"]


# --- The header menu: one fragment per position, the live page per generation -----------------


def current_links(page_html):
    """The header menu's links marked ``aria-current``, as (value, text)."""
    import re

    header = page_html.split("<main")[0]
    return re.findall(r'aria-current="(\w+)">([^<]+)<', header)


def test_the_menu_marks_where_the_visitor_is(client, site):
    """Rendered once per position: each page, seen after the others, gets its own mark."""
    site = add_network_and_search_pages(site)
    centre, network = site["centre"], site["network"]
    centre_name = centre.short_name or centre.title
    expected = {
        centre.url: [("page", centre_name)],
        site["resource"].url: [("true", centre_name)],
        site["dla"].url: [("true", network.title)],
        network.url: [("page", network.title)],
        site["directory"].url: [("page", site["directory"].title)],
        "/ressources/": [("page", "Ressources")],
        "/consultations/": [("page", "Consultations")],
        "/recherche/?q=guide": [("page", "Rechercher")],
        site["news"].url: [],
        "/": [],
    }
    for _ in range(2):  # the second round is served from the fragments
        for url, marks in expected.items():
            assert current_links(html(client, url)) == marks, url


def test_a_page_is_read_once_per_generation(client, site):
    """A page served again costs no query but the generation's (kept in the database by the
    tests' per-process cache, in Redis in production); its publication shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = site["news"].url
    html(client, url)
    with CaptureQueriesContext(connection) as queries:
        html(client, url)
    assert [q["sql"] for q in queries if "pagecache_cachegeneration" not in q["sql"]] == []
    publish(site["news"], title="Étude publiée sur l'emploi")
    assert "Étude publiée sur l&#x27;emploi" in html(client, url)


def test_what_a_request_sets_on_its_page_stays_with_it(rf, site):
    """Each request gets its own copy of the page kept for the generation."""
    from crdla.pagecache import generation
    from crdla.pagecache.routing import live_page

    current = generation.current()
    first = live_page(ResourcePage, site["resource"].pk, current)
    first.title = "Modifié par une requête"
    first.get_view_restrictions = lambda: []
    second = live_page(ResourcePage, site["resource"].pk, current)
    assert second.title == site["resource"].title
    assert "get_view_restrictions" not in vars(second)


def test_a_resources_documents_follow_their_changes(client, site):
    from tests.security.test_media_access import make_document

    page = ResourcePage.objects.get(pk=site["resource"].pk)
    assert "Documents à télécharger" not in html(client, page.url)
    document = make_document("Bilan annuel")
    page.documents.add(page.documents.model(document=document))
    page.save_revision().publish()
    assert "Bilan annuel" in html(client, page.url)
    document.title = "Bilan annuel 2025"
    document.save()  # renaming a document bumps the generation
    assert "Bilan annuel 2025" in html(client, page.url)


def test_the_filter_form_shows_each_visitors_filters(client, site):
    url = site["resource_index"].url
    for kind in ("guide", "etude", "guide"):
        form = html(client, f"{url}?type={kind}").split('class="filters"')[1].split("</form>")[0]
        assert f'value="{kind}" selected' in form
    form = html(client, url).split('class="filters"')[1].split("</form>")[0]
    assert " selected" not in form
