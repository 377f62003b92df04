"""Two decisions on the same task: one wins, the other is told clearly and changes nothing."""

import html
import threading

import pytest
from django.db import connection
from django.test import Client
from viewflow.workflow.status import STATUS

from workflows.models import CommitteeDecision, ProgrammeStatus

from .conftest import messages_text, strip_tags


def test_stale_decision_gets_a_clear_message(
    pilotage, client, submitted_programme, committee, chair
):
    pilotage.review_all(committee, submitted_programme)
    task = pilotage.open_task(submitted_programme, "decide")
    url = pilotage.execute_url(task)
    client.force_login(chair)
    assert client.get(url).status_code == 200  # both tabs show the form

    first = pilotage.post(
        url, {"decision": "approve", "comment": "Oui.", "budget_allocated": "4000"}
    )
    assert first.status_code == 302
    second = pilotage.post(url, {"decision": "reject", "comment": "Non."}, follow=True)
    assert second.status_code == 200
    assert "Cette étape a déjà été traitée" in messages_text(second)
    assert "Votre saisie n'a pas été enregistrée." in messages_text(second)
    submitted_programme.refresh_from_db()
    assert submitted_programme.status == ProgrammeStatus.APPROVED
    assert list(CommitteeDecision.objects.values_list("decision", flat=True)) == ["approve"]


def test_stale_review_from_another_tab(pilotage, submitted_programme, committee):
    task = pilotage.open_task(submitted_programme, "review_avise")
    url = pilotage.execute_url(task)
    pilotage.as_user(committee["avise"])
    assert pilotage.post(url, {"opinion": "favourable", "comment": "Un."}).status_code == 302
    again = pilotage.post(url, {"opinion": "unfavourable", "comment": "Deux."}, follow=True)
    assert "Cette étape a déjà été traitée" in messages_text(again)
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.data["summary"].endswith("Un.")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_simultaneous_decisions_on_postgresql(request):
    """Two real concurrent requests: select_for_update serialises them on the process row."""
    # the shared fixtures need the transactional database of this test
    pilotage = request.getfixturevalue("pilotage")
    programme = request.getfixturevalue("submitted_programme")
    committee = request.getfixturevalue("committee")
    chair = request.getfixturevalue("chair")
    pilotage.review_all(committee, programme)
    task = pilotage.open_task(programme, "decide")
    url = pilotage.execute_url(task)
    barrier = threading.Barrier(2)
    results = []

    def decide(decision):
        browser = Client()
        browser.force_login(chair)
        barrier.wait()
        data = {"decision": decision, "comment": decision, "budget_allocated": "4000"}
        response = browser.post(url, data, follow=True)
        # The page as this thread's browser got it: ``response.context`` cannot be used here,
        # the test client collects it from a process-wide signal, so it would mix in the
        # templates the other thread rendered meanwhile (the winner's message, seen once).
        page = strip_tags(html.unescape(response.content.decode()))
        results.append((decision, response.status_code, page))
        connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert CommitteeDecision.objects.count() == 1
    winner = CommitteeDecision.objects.get().decision
    loser = [r for r in results if r[0] != winner][0]
    assert loser[1] == 200
    assert "déjà été traitée" in loser[2] or "en ce moment" in loser[2], loser[2]
    assert "Décision enregistrée" not in loser[2]
    winning = [r for r in results if r[0] == winner][0]
    assert "Décision enregistrée" in winning[2]
