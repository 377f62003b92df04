"""SQL query counts of the public pages: at most 10 each, and the same with many more resources.

Counted on a second view (per-process caches warm: Wagtail's site root paths, the menu, the
footer and the filter options of the cache generation), the page cache being off as in the
test settings: this is the cost of rendering a page, not of a cached copy.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ResourcePageFactory
from tests.public_site import (
    add_network_and_search_pages,
    build_public_site,
    network_and_search_urls,
    public_urls,
)

BUDGET = 10

# The public pages of issue 13: home, a centre, listing (plain, filtered, a later page), a
# resource, news, event, directory, « Trouver mon DLA » answer, calls listing, programme
# tracker and a programme; plus the network page, a DLA and the cross-centre listing.
PAGES = [
    "accueil",
    "centre",
    "ressources",
    "ressources-filtrees",
    "ressources-page-2",
    "ressource",
    "actualites",
    "actualite",
    "evenement",
    "annuaire",
    "trouver-mon-dla-reponse",
    "consultations",
    "consultations-filtrees",
    "programmes",
    "programme",
    "reseau",
    "dla",
    "ressources-tous",
]


def count_queries(client, url):
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_resources(site, count):
    for number in range(count):
        resource = ResourcePageFactory(parent=site["resource_index"], slug=f"plus-{number}")
        resource.themes.set([site["theme"]])
        resource.audiences.set([site["audience"]])
        resource.save()


def approve_with_report(programme):
    """An approved version of ``programme`` and a mid-year report with every indicator's actual."""
    from workflows.models import (
        FollowUpReport,
        ProgrammeVersion,
        ReportIndicatorValue,
        ReportKind,
    )
    from workflows.snapshots import build_snapshot

    ProgrammeVersion.objects.create(
        programme=programme, number=1, snapshot=build_snapshot(programme), is_approved=True
    )
    report = FollowUpReport.objects.create(
        programme=programme, kind=ReportKind.MID_YEAR, comment="Bilan à mi-parcours."
    )
    ReportIndicatorValue.objects.bulk_create(
        ReportIndicatorValue(report=report, indicator=indicator, actual=4)
        for indicator in programme.indicators()
    )


def add_programmes(site, years):
    """More approved programmes of the site's centre, each with its report (the tracker lists
    them all with their figures)."""
    from tests.workflows.conftest import fill_programme
    from workflows.models import ActionProgramme, ProgrammeStatus

    for year in years:
        programme = ActionProgramme.objects.create(
            centre=site["centre"],
            year=year,
            title=f"Programme d'actions {year}",
            status=ProgrammeStatus.APPROVED,
        )
        programme.ensure_axis_blocks()
        fill_programme(programme)
        approve_with_report(programme)


def site_urls(home, resources):
    site = add_network_and_search_pages(build_public_site(home, resources=resources))
    urls = {**public_urls(site), **network_and_search_urls(site)}
    urls["ressources-page-2"] = site["resource_index"].url + "?page=2"
    return site, urls


def test_public_pages_stay_within_ten_queries_whatever_the_number_of_resources(
    client, home, dla_officer
):
    from django.test import Client

    officer = Client()
    officer.force_login(dla_officer)  # also sees the restricted content
    site, urls = site_urls(home, resources=10)
    approve_with_report(site["programme"])
    small = {name: count_queries(client, urls[name]) for name in PAGES}
    small_officer = {name: count_queries(officer, urls[name]) for name in PAGES}
    assert all(count <= BUDGET for count in small.values()), small

    add_resources(site, 190)
    add_programmes(site, [2022, 2023, 2024])
    large = {name: count_queries(client, urls[name]) for name in PAGES}
    large_officer = {name: count_queries(officer, urls[name]) for name in PAGES}
    # The added resources have no cover image; the added programmes appear in the tracker only.: a page of them may save the renditions query.
    assert all(large[name] <= small[name] for name in PAGES), (small, large)
    assert all(large_officer[name] <= small_officer[name] for name in PAGES), (
        small_officer,
        large_officer,
    )
