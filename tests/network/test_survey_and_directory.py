"""Satisfaction survey (one answer per officer, results for the animator) and DLA directory."""

import csv
import io
import re

import pytest
from django.urls import reverse

from crdla.network.models import DirectoryPage, SurveyField, SurveyPage, SurveySubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(grand_est, officer51, officer10, animator):
    page = SurveyPage(title="Enquête de satisfaction 2026", slug="enquete-2026", year=2026)
    grand_est.add_child(instance=page)
    SurveyField.objects.create(
        page=page, label="Satisfaction globale", field_type="radio", choices="1\n2\n3\n4\n5"
    )
    SurveyField.objects.create(
        page=page, label="Suggestions", field_type="multiline", required=False
    )
    page.save_revision().publish()
    return page


def answer(client, user, survey, rating, text=""):
    client.force_login(user)
    return client.post(survey.url, {"satisfaction_globale": rating, "suggestions": text})


def test_one_answer_per_officer(client, survey, officer51):
    response = answer(client, officer51, survey, "4", "Plus de rencontres")
    assert response.status_code == 200
    assert SurveySubmission.objects.filter(page=survey, user=officer51).count() == 1
    again = answer(client, officer51, survey, "1")
    assert "déjà répondu" in again.content.decode()
    assert SurveySubmission.objects.filter(page=survey).count() == 1
    assert SurveySubmission.objects.get().form_data["satisfaction_globale"] == "4"


def test_survey_access_per_role(client, survey, officer35):
    assert client.get(survey.url).status_code == 302
    client.force_login(officer35)
    assert client.get(survey.url).status_code == 403
    assert answer(client, officer35, survey, "5").status_code == 403
    assert not SurveySubmission.objects.exists()


def test_animator_results_and_csv(client, survey, officer51, officer10, animator):
    answer(client, officer51, survey, "4", "Plus de rencontres")
    answer(client, officer10, survey, "2")
    client.force_login(animator)
    assert client.get(survey.url)["Location"] == reverse("network:survey-results", args=[survey.pk])
    response = client.get(reverse("network:survey-results", args=[survey.pk]))
    assert response.status_code == 200
    rating = response.context["results"][0]
    assert rating["answers"] == 2
    assert rating["average"] == 3.0
    assert dict((label, count) for label, count, _ in rating["counts"]) == {
        "1": 0,
        "2": 1,
        "3": 0,
        "4": 1,
        "5": 0,
    }
    assert re.search(
        r'<progress class="bar" max="100" value="50(\.0+)?"', response.content.decode()
    )
    assert response.context["results"][1]["texts"] == ["Plus de rencontres"]

    export = client.get(reverse("network:survey-export", args=[survey.pk]))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Date", "Satisfaction globale", "Suggestions"]
    assert sorted(row[1] for row in rows[1:]) == ["2", "4"]


def test_results_forbidden_to_officers(client, survey, officer51):
    client.force_login(officer51)
    assert client.get(reverse("network:survey-results", args=[survey.pk])).status_code == 403
    assert client.get(reverse("network:survey-export", args=[survey.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("network:survey-results", args=[survey.pk])).status_code == 302


@pytest.fixture
def directory(home, dla51, dla10, dla35):
    page = DirectoryPage(title="Annuaire des DLA", slug="annuaire")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_directory_lists_dla_by_region_with_filters(client, directory, officer51, dla10, dla51):
    response = client.get(directory.url)
    assert response.status_code == 200
    regions = [region.name for region, _dlas in response.context["results"]["regions"]]
    assert regions == sorted(regions) and len(regions) == 2
    assert response.context["results"]["count"] == 3
    assert "cm.dla51" in response.content.decode()  # officers are listed

    response = client.get(directory.url, {"region": "53"})
    assert [d.title for _r, dlas in response.context["results"]["regions"] for d in dlas] == [
        "DLA d'Ille-et-Vilaine"
    ]
    response = client.get(directory.url, {"departement": "10"})
    assert response.context["results"]["count"] == 1
    response = client.get(directory.url, {"q": "marne"})
    assert [d.title for _r, dlas in response.context["results"]["regions"] for d in dlas] == [
        "DLA de la Marne"
    ]
    # The results are kept per filter and generation: each filter its own, a new DLA at once.
    assert dla10.url in client.get(directory.url, {"departement": "10"}).content.decode()
    assert dla10.url not in client.get(directory.url, {"region": "53"}).content.decode()
    dla51.title = "DLA de la Marne renommé"
    dla51.save_revision().publish()
    assert "DLA de la Marne renommé" in client.get(directory.url).content.decode()


def test_survey_csv_neutralises_formulas(client, survey, officer51, animator):
    """Issue 9, finding 7: a free-text answer is never written as a live formula."""
    answer(client, officer51, survey, "4", '=HYPERLINK("http://evil.example","clic")')
    client.force_login(animator)
    export = client.get(reverse("network:survey-export", args=[survey.pk]))
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","clic")'


def test_directory_keeps_only_known_filters(client, directory, dla10):
    """Unknown codes and free text are answered but never kept: only the referential's
    régions and départements make fragments (bounded keys)."""
    from crdla.pagecache import generation

    client.get(directory.url)  # creates the site settings (a new generation, once)
    client.get(directory.url, {"departement": "zz"})  # the menu, map and footer are kept
    kept = len(generation._memory)
    for code in ("zz", "999", "<b>", "00"):
        response = client.get(directory.url, {"departement": code})
        assert response.status_code == 200 and response.context["results_key"] == ""
        assert response.context["results"]["count"] == 0
    assert client.get(directory.url, {"q": "aube"}).context["results_key"] == ""
    assert len(generation._memory) == kept  # nothing new kept for any of them
    response = client.get(directory.url, {"departement": "10"})
    assert response.context["results_key"] == "|10"
    assert 'value="10" selected' in response.content.decode()
    assert len(generation._memory) == kept + 2  # its filters and its results
