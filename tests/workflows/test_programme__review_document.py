"""The review as a document (issue 17): the submitted programme open and printable on the
review page, the reviewer's previous opinion in a revision round, deadlines in task lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from workflows.models import ProgrammeProcess

pytestmark = pytest.mark.django_db


def review_page(client, pilotage, programme, user, institution):
    task = pilotage.open_task(programme, f"review_{institution}")
    client.force_login(user)
    response = client.get(pilotage.execute_url(task))
    assert response.status_code == 200
    return response.content.decode()


def test_the_submitted_programme_is_open_and_printable(
    client, pilotage, submitted_programme, committee
):
    html = review_page(client, pilotage, submitted_programme, committee["cdc"], "cdc")
    assert "Contenu soumis" not in html  # not folded in a box
    assert 'class="submitted-programme"' in html
    assert "Action de l&#x27;axe 1" in html or "Action de l'axe 1" in html
    assert "data-print" in html and "workflows/print" in html
    assert 'class="choice"' in html  # each radio beside its label


def test_a_revision_round_shows_the_reviewer_previous_opinion(
    client, pilotage, submitted_programme, committee, chair, culture_editor
):
    html = review_page(client, pilotage, submitted_programme, committee["dgefp"], "dgefp")
    assert "Votre avis au tour" not in html
    pilotage.review_all(committee, submitted_programme, opinion="reserved")
    assert pilotage.decide(chair, submitted_programme, "revise").status_code == 302
    assert pilotage.submit(culture_editor, submitted_programme).status_code == 302
    submitted_programme.refresh_from_db()
    html = review_page(client, pilotage, submitted_programme, committee["dgefp"], "dgefp")
    assert "Votre avis au tour" in html
    assert "Avis de dgefp." in html
    assert "Avis de cdc." not in html  # only their own


def test_task_lists_show_deadline_and_state(client, pilotage, submitted_programme, committee):
    process = ProgrammeProcess.objects.get(programme=submitted_programme)
    process.review_deadline = timezone.make_aware(datetime.datetime(2026, 3, 15, 12, 0))
    process.save(update_fields=["review_deadline"])
    client.force_login(committee["cdc"])
    for name in ("programme:inbox", "programme:index"):
        html = client.get(reverse(name)).content.decode()
        assert "15/03/2026 à 12 h" in html, name
    html = client.get(reverse("programme:inbox")).content.decode()
    task = pilotage.open_task(submitted_programme, "review_cdc")
    assert "Échéance" in html and str(task.get_status_display()) in html
