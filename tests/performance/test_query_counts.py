"""SQL query counts of the public pages do not grow with the number of resources."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ResourcePageFactory
from tests.public_site import build_public_site, public_urls

PAGES = [
    "accueil",
    "centre",
    "ressources",
    "ressources-filtrees",
    "ressource",
    "actualites",
    "reseau",
]


def count_queries(client, url):
    client.get(url)  # warm Wagtail's per-process caches (site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_resources(site, count):
    for number in range(count):
        resource = ResourcePageFactory(parent=site["resource_index"], slug=f"plus-{number}")
        resource.themes.set([site["theme"]])
        resource.audiences.set([site["audience"]])
        resource.save()


def test_query_counts_do_not_grow_with_the_number_of_resources(
    client, home, django_assert_max_num_queries, dla_officer
):
    from django.test import Client

    officer = Client()
    officer.force_login(dla_officer)  # also sees the restricted content
    site = build_public_site(home, resources=10)
    urls = public_urls(site)
    small = {name: count_queries(client, urls[name]) for name in PAGES}
    small_officer = {name: count_queries(officer, urls[name]) for name in PAGES}

    add_resources(site, 190)
    urls["ressources-page-2"] = site["resource_index"].url + "?page=2"
    small["ressources-page-2"] = small["ressources"]
    small_officer["ressources-page-2"] = small_officer["ressources"]
    for visitor, limits in ((client, small), (officer, small_officer)):
        for name, limit in limits.items():
            with django_assert_max_num_queries(limit, info=name):
                assert visitor.get(urls[name]).status_code == 200


def test_detail_and_listing_stay_within_budget(client, home):
    """Absolute budgets (uncached): a regression here shows as a failing number."""
    site = build_public_site(home, resources=20)
    urls = public_urls(site)
    # ressource: 28 + 1 since the knowledge base's "similar resources" block (one query).
    # Cover images: a list's renditions cost one query (prefetched with the cards); a page's
    # own cover costs two (the image, its renditions): +3 on the home (hero and two card lists).
    # +1 everywhere since the menu and the footer reach every section (issue 10: the pages
    # under the home page in one query, beside the centres).
    budgets = {"ressources": 25, "ressources-filtrees": 25, "ressource": 32, "accueil": 21}
    counts = {name: count_queries(client, urls[name]) for name in budgets}
    assert all(counts[name] <= budget for name, budget in budgets.items()), counts
