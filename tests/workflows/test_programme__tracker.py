"""The public programme tracker (/programmes/): approved figures only, filters, and the page
cache dropping the tracker and the programme page when the workflow data change."""

import html

import pytest
from django.core.cache import cache
from django.test import Client

from workflows.models import ActionProgramme, CommitteeReview, ProgrammePage
from workflows.services import create_programme

from .conftest import fill_programme

DRAFT_MARKER = "Brouillon-confidentiel-7731"
REVIEW_MARKER = "Avis-confidentiel-4410"


def public_body(url):
    """What an anonymous visitor sees (a fresh client: no session, the page cache applies)."""
    response = Client().get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def approved_programme(pilotage, submitted_programme, committee, chair):
    programme = submitted_programme
    pilotage.review_all(committee, programme)
    CommitteeReview.objects.filter(programme=programme).update(comment=REVIEW_MARKER)
    assert pilotage.decide(chair, programme, "approve", budget="4000").status_code == 302
    programme.refresh_from_db()
    return programme


@pytest.fixture
def sport_draft(sport, sport_editor):
    programme = create_programme(
        sport, 2026, f"Programme {DRAFT_MARKER}", DRAFT_MARKER, sport_editor
    )
    fill_programme(programme)
    return programme


def test_under_review_shows_its_stage_and_nothing_else(submitted_programme, sport_draft):
    body = public_body("/programmes/")
    assert "En cours d'examen par le comité" in body
    assert "En préparation" in body
    assert submitted_programme.title not in body
    assert DRAFT_MARKER not in body
    assert "Action de l'axe 1" not in body


def test_approved_programme_shows_budget_etp_indicators_and_report_dates(
    approved_programme, sport_draft
):
    body = public_body("/programmes/")
    assert "Validé" in body
    assert approved_programme.title in body
    page = ProgrammePage.objects.get(programme=approved_programme)
    assert page.url in body
    snapshot = approved_programme.approved_version.snapshot
    assert snapshot["financing"][0]["funder_label"] in body
    assert "Action de l'axe 1" in body
    assert "<progress" in body and "<table" in body  # the chart and the same figures
    assert "attendu pour le 15/07/2026" in body  # the mid-year report is due
    assert REVIEW_MARKER not in body and DRAFT_MARKER not in body
    # The centre page links its programme and the tracker.
    centre_body = public_body(approved_programme.centre.url)
    assert page.url in centre_body and "/programmes/?centre=culture" in centre_body


def test_filters_by_centre_and_year(approved_programme, sport_draft):
    body = public_body("/programmes/?centre=sport")
    assert "1 programme" in body and approved_programme.title not in body
    assert "1 programme" in public_body("/programmes/?centre=culture&annee=2026")
    assert "Aucun programme" not in public_body("/programmes/?annee=2026")
    # Unknown or malformed filters are ignored, not errors.
    assert "2 programmes" in public_body("/programmes/?centre=inconnu&annee=abcd")


def test_reports_reach_the_cached_public_pages_at_once(
    settings, pilotage, approved_programme, culture_editor
):
    """Filing a report changes no Wagtail page: the workflow data drop the cached copies."""
    settings.CRDLA_PAGE_CACHE_SECONDS = 300
    cache.clear()
    page = ProgrammePage.objects.get(programme=approved_programme)
    for _ in range(2):
        public_body(page.url)
    assert Client().get(page.url)["X-Page-Cache"] == "hit"
    assert "pas encore renseigné" in public_body(page.url)

    indicators = list(approved_programme.indicators().order_by("pk"))
    report = {"comment": "Premier semestre."}
    report.update({f"actual_{i.pk}": "7" for i in indicators})
    report.update({f"spent_{line.pk}": "100" for line in approved_programme.financing_lines.all()})
    response = pilotage.do(culture_editor, approved_programme, "mid_year_report", report)
    assert response.status_code == 302

    response = Client().get(page.url)
    assert "X-Page-Cache" not in response
    body = html.unescape(response.content.decode())
    assert "pas encore renseigné" not in body and "7 " in body
    assert "En suivi" in public_body("/programmes/")
    assert ActionProgramme.objects.get(pk=approved_programme.pk).reports.count() == 1
    cache.clear()
