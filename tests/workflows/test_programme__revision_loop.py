"""Sent back for revision twice: the draft reopens with the reviews, and a third round approves."""

from django.urls import reverse
from viewflow.workflow.status import STATUS

from workflows.models import CommitteeDecision, CommitteeReview, ProgrammePage, ProgrammeStatus

from .conftest import strip_tags


def test_two_revision_rounds_then_approval(
    pilotage, client, submitted_programme, committee, chair, culture_editor
):
    programme = submitted_programme
    for round_number in (1, 2):
        pilotage.review_all(committee, programme, opinion="reserved")
        assert pilotage.decide(chair, programme, "revise").status_code == 302
        programme.refresh_from_db()
        assert programme.status == ProgrammeStatus.REVISION
        assert programme.round == round_number
        draft = pilotage.open_task(programme, "draft")
        assert draft.owner == culture_editor

        # the editors see the reviews on the reopened draft, and may edit again
        client.force_login(culture_editor)
        page = client.get(pilotage.execute_url(draft))
        text = strip_tags(page.content.decode())
        assert "Demande de révision du comité" in text
        assert "Avis de cdc." in text
        action = programme.actions().first()
        response = client.post(
            reverse("programme:action_edit", args=[programme.pk, action.pk]),
            {
                "action-title": f"Action revue au tour {round_number}",
                "action-lead_kind": "team",
                "action-etp": "0,5",
                "action-budget": "1000",
                "indicators-TOTAL_FORMS": "1",
                "indicators-INITIAL_FORMS": "1",
                "indicators-0-id": action.indicators.get().pk,
                "indicators-0-label": "Structures accompagnées",
                "indicators-0-unit": "structures",
                "indicators-0-target": "12",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert pilotage.submit(culture_editor, programme).status_code == 302
        programme.refresh_from_db()
        assert programme.status == ProgrammeStatus.SUBMITTED
        assert programme.round == round_number + 1
        # a fresh set of five review tasks for the new round
        open_reviews = pilotage.process(programme).task_set.filter(
            flow_task_type="HUMAN", status=STATUS.ASSIGNED
        )
        assert open_reviews.count() == 5

    pilotage.review_all(committee, programme)
    pilotage.decide(chair, programme, "approve")
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED
    assert list(programme.versions.values_list("number", "is_approved")) == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert programme.approved_version.snapshot["axes"][0]["actions"][0]["title"] == (
        "Action revue au tour 2"
    )
    assert CommitteeReview.objects.filter(programme=programme).count() == 15
    assert list(
        CommitteeDecision.objects.filter(programme=programme).values_list("round", "decision")
    ) == [(1, "revise"), (2, "revise"), (3, "approve")]
    assert ProgrammePage.objects.get(programme=programme).live


def test_rejection_ends_the_process_without_a_page(
    pilotage, submitted_programme, committee, chair, client, culture_editor
):
    pilotage.review_all(committee, submitted_programme, opinion="unfavourable")
    pilotage.decide(chair, submitted_programme, "reject")
    submitted_programme.refresh_from_db()
    process = pilotage.process(submitted_programme)
    assert submitted_programme.status == ProgrammeStatus.REJECTED
    assert process.status == "DONE" and process.finished is not None
    assert not ProgrammePage.objects.exists()
    assert not submitted_programme.versions.filter(is_approved=True).exists()
    # a rejected programme can no longer be edited
    client.force_login(culture_editor)
    url = reverse("programme:programme_edit", args=[submitted_programme.pk])
    assert client.get(url).status_code == 403


def test_decision_form_requires_a_budget_to_approve(
    pilotage, submitted_programme, committee, chair
):
    pilotage.review_all(committee, submitted_programme)
    response = pilotage.decide(chair, submitted_programme, "approve", budget="")
    assert response.status_code == 200
    assert "Indiquez le budget alloué pour valider le programme." in response.content.decode()
    assert pilotage.open_task(submitted_programme, "decide").status == STATUS.ASSIGNED
    response = pilotage.decide(chair, submitted_programme, "approve", budget="-5")
    assert response.status_code == 200
    submitted_programme.refresh_from_db()
    assert submitted_programme.status == ProgrammeStatus.SUBMITTED
