"""viewflow's own pages under /pilotage/, themed with our base template, in French."""

from django.urls import reverse
from viewflow.workflow.status import STATUS

from crdla.centres.models import CentrePage, CommitteeSeat
from workflows.models import ProgrammePage

from .conftest import strip_tags


def test_lists_and_process_pages_render_for_a_committee_member(
    pilotage, client, submitted_programme, committee
):
    process = pilotage.process(submitted_programme)
    task = pilotage.open_task(submitted_programme, "review_cdc")
    client.force_login(committee["cdc"])
    pages = {
        reverse("programme:inbox"): "Mes tâches",
        reverse("programme:queue"): "Tâches à prendre",
        reverse("programme:archive"): "Tâches traitées",
        reverse("programme:task_list"): "Toutes les tâches",
        reverse("programme:process_list"): "Processus de validation",
        reverse("programme:process_detail", args=[process.pk]): "Historique",
        task.flow_task.reverse("detail", args=[process.pk, task.pk]): "Avis — Banque",
    }
    for url, title in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="fr">' in html and title in strip_tags(html), url
        assert 'class="skip-link"' in html  # our base template, not viewflow's material one
    index = client.get(task.flow_task.reverse("index", args=[process.pk, task.pk]))
    assert index.status_code == 302 and index["Location"].endswith("/execute/")
    chart = client.get(reverse("programme:process_chart", args=[process.pk]))
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


def test_programme_page_links_the_open_task(pilotage, client, culture_editor, culture, committee):
    programme = pilotage.start(culture_editor, culture)
    client.force_login(culture_editor)
    html = client.get(reverse("programme:programme_detail", args=[programme.pk])).content.decode()
    draft = pilotage.open_task(programme, "draft")
    assert draft.flow_task.reverse("index", args=[draft.process_id, draft.pk]) in html


def test_administrator_reassigns_a_review_to_a_new_member(
    pilotage, client, submitted_programme, committee, admin_user, make_user, culture
):
    """The CDC changes its representative: the site administrator frees the task, the new
    member takes it (viewflow's assign view) and answers."""
    task = pilotage.open_task(submitted_programme, "review_cdc")
    newcomer = make_user("comite.cdc2")
    CommitteeSeat.objects.filter(centre=culture, institution="cdc").update(user=newcomer)
    client.force_login(newcomer)
    assign_url = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    assert client.post(assign_url).status_code == 403  # still assigned to the former member
    client.force_login(admin_user)
    unassign_url = task.flow_task.reverse("unassign", args=[task.process_id, task.pk])
    assert client.get(unassign_url).status_code == 200
    assert pilotage.post(unassign_url).status_code == 302
    client.force_login(committee["dgefp"])
    assert client.post(assign_url).status_code == 403  # not their seat
    client.force_login(newcomer)
    assert pilotage.post(assign_url).status_code == 302
    task.refresh_from_db()
    assert task.owner == newcomer and task.status == STATUS.ASSIGNED
    response = pilotage.do(
        newcomer, submitted_programme, "review_cdc", {"opinion": "favourable", "comment": "Ok."}
    )
    assert response.status_code == 302


def test_cancel_pages_are_for_site_administrators_only(
    pilotage, client, submitted_programme, culture_editor, admin_user
):
    process = pilotage.process(submitted_programme)
    url = reverse("programme:process_cancel", args=[process.pk])
    client.force_login(culture_editor)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_programme_pages_are_only_created_by_the_approval():
    assert not ProgrammePage.is_creatable
    assert ProgrammePage in CentrePage.allowed_subpage_models()
    assert ProgrammePage.allowed_parent_page_models() == [CentrePage]


def test_pages_of_tasks_without_owner_render(
    pilotage, client, submitted_programme, committee, chair, culture_editor
):
    """Issue 9, finding 8: an automatic step (no owner) and an unassigned task were a 500."""
    from viewflow.workflow.models import Task

    from workflows.flows import ProgrammeFlow

    pilotage.review_all(committee, submitted_programme)
    pilotage.decide(chair, submitted_programme, "approve")
    approve = Task.objects.get(flow_task=ProgrammeFlow.approve)
    assert approve.owner_id is None
    report = pilotage.open_task(submitted_programme, "mid_year_report")
    Task.objects.filter(pk=report.pk).update(owner=None, status=STATUS.NEW)
    client.force_login(culture_editor)
    response = client.get(
        approve.flow_task.reverse("detail", args=[approve.process_id, approve.pk])
    )
    assert response.status_code == 200
    assert "Validation : version figée et page publiée" in strip_tags(response.content.decode())
    dashboard = client.get(
        reverse("programme:centre_dashboard", args=[submitted_programme.centre_id])
    )
    assert dashboard.status_code == 200
    assert "Bilan à mi-parcours" in strip_tags(dashboard.content.decode())
