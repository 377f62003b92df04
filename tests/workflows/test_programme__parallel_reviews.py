"""Five explicit review branches: each institution sees and acts only on its own task."""

from viewflow.workflow.status import STATUS

from workflows.models import CommitteeReview

from .conftest import INSTITUTIONS


def test_each_reviewer_gets_only_their_own_task(submitted_programme, pilotage, committee):
    for institution in INSTITUTIONS:
        task = pilotage.open_task(submitted_programme, f"review_{institution}")
        assert task.owner == committee[institution]


def test_reviewer_cannot_act_on_another_institutions_task(
    submitted_programme, pilotage, client, committee
):
    cdc_task = pilotage.open_task(submitted_programme, "review_cdc")
    url = pilotage.execute_url(cdc_task)
    client.force_login(committee["dgefp"])
    assert client.get(url).status_code == 403
    response = pilotage.post(url, {"opinion": "unfavourable", "comment": "Intrus."})
    assert response.status_code == 403
    detail = cdc_task.flow_task.reverse("detail", args=[cdc_task.process_id, cdc_task.pk])
    assert client.get(detail).status_code == 403
    cdc_task.refresh_from_db()
    assert cdc_task.status == STATUS.ASSIGNED
    assert not CommitteeReview.objects.exists()


def test_reviews_are_independent_and_the_join_waits_for_all_five(
    submitted_programme, pilotage, committee
):
    for institution in INSTITUTIONS[:-1]:
        pilotage.do(
            committee[institution],
            submitted_programme,
            f"review_{institution}",
            {"opinion": "reserved", "comment": "Réserve."},
        )
    process = pilotage.process(submitted_programme)
    assert (
        not process.task_set.filter(flow_task_type="HUMAN", status="ASSIGNED")
        .exclude(owner=committee["avise"])
        .exists()
    )
    last = INSTITUTIONS[-1]
    pilotage.do(
        committee[last],
        submitted_programme,
        f"review_{last}",
        {"opinion": "favourable", "comment": "Ok."},
    )
    decide = pilotage.open_task(submitted_programme, "decide")
    assert decide.owner == committee["porteuse"]
    assert CommitteeReview.objects.filter(programme=submitted_programme).count() == 5


def test_review_form_errors_keep_the_task_open(submitted_programme, pilotage, committee):
    response = pilotage.do(committee["cdc"], submitted_programme, "review_cdc", {"opinion": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert pilotage.open_task(submitted_programme, "review_cdc").status == STATUS.ASSIGNED
