"""Every page checks the role on the server: anonymous → login, wrong role → 403."""

import pytest
from django.urls import reverse

from crdla.accounts import roles
from crdla.centres.models import CommitteeSeat

from .conftest import fill_programme


@pytest.fixture
def sport_draft(pilotage, sport_editor, sport):
    programme = pilotage.start(sport_editor, sport)
    fill_programme(programme)
    return programme


def programme_urls(programme, process):
    action = programme.actions().first()
    return [
        reverse("programme:programme_detail", args=[programme.pk]),
        reverse("programme:programme_edit", args=[programme.pk]),
        reverse("programme:financing_edit", args=[programme.pk]),
        reverse("programme:action_create", args=[programme.pk, 1]),
        reverse("programme:action_edit", args=[programme.pk, action.pk]),
        reverse("programme:programme_csv", args=[programme.pk]),
        reverse("programme:centre_dashboard", args=[programme.centre_id]),
        reverse("programme:process_detail", args=[process.pk]),
        reverse("programme:process_chart", args=[process.pk]),
    ]


def test_anonymous_is_sent_to_login(client, pilotage, sport_draft):
    process = pilotage.process(sport_draft)
    draft = pilotage.open_task(sport_draft, "draft")
    urls = programme_urls(sport_draft, process) + [
        reverse("programme:index"),
        reverse("programme:inbox"),
        reverse("programme:queue"),
        reverse("programme:archive"),
        reverse("programme:process_list"),
        reverse("programme:start:execute"),
        pilotage.execute_url(draft),
        draft.flow_task.reverse("detail", args=[draft.process_id, draft.pk]),
    ]
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_culture_editor_cannot_see_sports_draft(client, pilotage, sport_draft, culture_editor):
    process = pilotage.process(sport_draft)
    draft = pilotage.open_task(sport_draft, "draft")
    client.force_login(culture_editor)
    for url in programme_urls(sport_draft, process):
        assert client.get(url).status_code == 403, url
    assert client.get(pilotage.execute_url(draft)).status_code == 403
    assert client.post(pilotage.execute_url(draft)).status_code == 403
    detail = draft.flow_task.reverse("detail", args=[draft.process_id, draft.pk])
    assert client.get(detail).status_code == 403
    # nor does Sport's programme appear in their lists
    for name in ("process_list", "queue", "task_list"):
        assert sport_draft.title not in client.get(reverse(f"programme:{name}")).content.decode()


def test_sport_editor_sees_their_own_draft(client, pilotage, sport_draft, sport_editor):
    client.force_login(sport_editor)
    for url in programme_urls(sport_draft, pilotage.process(sport_draft)):
        assert client.get(url).status_code == 200, url
    assert sport_draft.title in client.get(reverse("programme:process_list")).content.decode()


def test_committee_member_reads_but_does_not_edit(client, pilotage, submitted_programme, committee):
    client.force_login(committee["avise"])
    assert (
        client.get(reverse("programme:programme_detail", args=[submitted_programme.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("programme:programme_edit", args=[submitted_programme.pk])).status_code
        == 403
    )


def test_committee_member_of_another_centre_gets_403(
    client, pilotage, submitted_programme, make_user, sport
):
    outsider = make_user("comite.sport")
    CommitteeSeat.objects.create(centre=sport, institution="cdc", user=outsider)
    client.force_login(outsider)
    assert (
        client.get(reverse("programme:programme_detail", args=[submitted_programme.pk])).status_code
        == 403
    )


def test_wrong_roles_on_tasks(
    client, pilotage, submitted_programme, committee, chair, culture_editor
):
    # an editor cannot review, a reviewer cannot decide, the chair cannot file a report
    review = pilotage.open_task(submitted_programme, "review_dgefp")
    client.force_login(culture_editor)
    assert client.get(pilotage.execute_url(review)).status_code == 403
    pilotage.review_all(committee, submitted_programme)
    decide = pilotage.open_task(submitted_programme, "decide")
    client.force_login(committee["dgefp"])
    assert client.get(pilotage.execute_url(decide)).status_code == 403
    client.force_login(culture_editor)
    assert client.get(pilotage.execute_url(decide)).status_code == 403
    pilotage.decide(chair, submitted_programme, "approve")
    report = pilotage.open_task(submitted_programme, "mid_year_report")
    client.force_login(chair)
    assert client.get(pilotage.execute_url(report)).status_code == 403


def test_only_editors_can_start_a_programme(client, committee, make_user):
    client.force_login(committee["cdc"])
    assert client.get(reverse("programme:start:execute")).status_code == 403
    client.force_login(make_user("nobody"))
    assert client.get(reverse("programme:index")).status_code == 403


def test_editor_cannot_start_for_another_centre(client, pilotage, culture_editor, sport):
    client.force_login(culture_editor)
    response = pilotage.post(
        reverse("programme:start:execute"),
        {"centre": sport.pk, "year": 2026, "title": "Intrus", "summary": "x"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not sport.action_programmes.exists()


def test_any_editor_of_the_centre_may_submit(
    pilotage, culture, culture_editor, committee, make_user
):
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    colleague = make_user("editeur2.culture", roles.CENTRE_STAFF, culture.editors_group)
    assert pilotage.submit(colleague, programme).status_code == 302
    draft = programme.processes.get().task_set.get(flow_task_type="HUMAN", status="DONE")
    assert draft.owner == colleague
