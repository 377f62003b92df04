"""Page permissions are scoped to each centre, and moderation goes expert → centre editor."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from crdla.accounts import roles
from crdla.centres.roles import setup_roles
from crdla.resources.models import ResourcePage
from tests.factories import ResourcePageFactory


@pytest.fixture
def sport_resource(sport_index):
    return ResourcePageFactory(parent=sport_index, title="Ressource du centre Sport")


@pytest.fixture
def culture_resource(culture_index):
    return ResourcePageFactory(parent=culture_index, title="Ressource du centre Culture")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_each_centre_gets_its_groups_and_workflow(culture, sport):
    from wagtail.models import WorkflowPage

    for centre in (culture, sport):
        assert centre.experts_group.name == roles.expert_group_name(centre)
        assert centre.editors_group.name == roles.editor_group_name(centre)
        workflow = WorkflowPage.objects.get(page=centre).workflow
        task = workflow.tasks.get().specific
        assert list(task.groups.all()) == [centre.editors_group]


def test_setup_roles_is_idempotent(culture, sport):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, Workflow

    setup_roles()
    counts = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count())
    setup_roles()
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
    )


def assert_refused(response):
    """Wagtail's answer to a refused admin page: back to the dashboard (with a message)."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_expert_edits_own_centre_only(client, culture_expert, culture_resource, sport_resource):
    client.force_login(culture_expert)
    assert client.get(edit_url(culture_resource)).status_code == 200
    # Wagtail refuses an admin page with a redirect to the dashboard and a message.
    assert_refused(client.get(edit_url(sport_resource)))
    # and cannot post an edit either
    assert_refused(client.post(edit_url(sport_resource), {"title": "Piraté"}))
    sport_resource.refresh_from_db()
    assert sport_resource.title == "Ressource du centre Sport"


def test_expert_cannot_create_in_another_centre(client, culture_expert, sport_index, culture_index):
    client.force_login(culture_expert)
    add = "wagtailadmin_pages:add"
    assert (
        client.get(reverse(add, args=["resources", "resourcepage", culture_index.pk])).status_code
        == 200
    )
    assert_refused(client.get(reverse(add, args=["resources", "resourcepage", sport_index.pk])))


def test_expert_cannot_publish_but_submits_for_moderation(
    client, culture_expert, culture_editor, culture_index
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    client.force_login(culture_expert)
    data = nested_form_data(
        {
            "title": "Guide du mécénat culturel",
            "slug": "guide-mecenat-culturel",
            "kind": "guide",
            "visibility": "public",
            "summary": "Comment une compagnie diversifie ses financements par le mécénat.",
            "body": streamfield([]),
            "documents": inline_formset([]),
            "published_date": "2026-11-01",
            "action-publish": "action-publish",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", culture_index.pk])
    client.post(url, data)
    page = ResourcePage.objects.get(slug="guide-mecenat-culturel")
    assert not page.live, "an expert must not be able to publish"

    data.pop("action-publish")
    data["action-submit"] = "action-submit"
    response = client.post(edit_url(page), data)
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # the centre editor approves: the page is published
    client.force_login(culture_editor)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    response = client.post(approve, {"comment": "Relu, parfait."})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_sport_editor_cannot_approve_culture_submission(
    client, culture_expert, make_user, sport, culture_index
):
    page = ResourcePageFactory(parent=culture_index, title="À valider", live=False)
    page.save_revision(user=culture_expert)
    workflow = page.get_workflow()
    state = workflow.start(page, culture_expert)
    sport_editor = make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group)
    client.force_login(sport_editor)
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    assert_refused(client.post(approve, {"comment": ""}))
    page.refresh_from_db()
    assert not page.live
