"""Renaming a centre keeps its groups (linked to it by id, renamed after it): its editors still
edit and approve its pages and still draft and submit its programme."""

from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState

from crdla.access import programmes as access
from crdla.accounts import roles
from tests.factories import ResourcePageFactory
from workflows.flows import responsible_editor
from workflows.models import ProgrammeProcess

from .conftest import fill_programme


def rename(centre, short_name, title):
    centre.short_name, centre.title = short_name, title
    centre.save_revision().publish()
    centre.refresh_from_db()


def test_a_renamed_centre_keeps_its_groups_editors_and_programme(
    pilotage, client, committee, culture, culture_index, culture_editor, culture_expert
):
    experts, editors = culture.experts_group, culture.editors_group
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)

    # A draft of the new name renames nothing; its publication renames the groups.
    culture.short_name = "CRDLA Arts et culture"
    culture.save_revision()
    assert Group.objects.get(pk=editors.pk).name == "Éditeurs — CRDLA Culture"
    rename(culture, "CRDLA Arts et culture", "Centre de ressources Arts et culture")
    assert (culture.experts_group, culture.editors_group) == (experts, editors)
    assert culture.editors_group.name == "Éditeurs — CRDLA Arts et culture"
    assert culture.experts_group.name == roles.expert_group_name(culture)
    assert not Group.objects.filter(name__endswith="— CRDLA Culture").exists()

    # The editor still moderates: an expert's submission is approved and published.
    page = ResourcePageFactory(parent=culture_index, title="À valider", live=False)
    page.save_revision(user=culture_expert)
    state = page.get_workflow().start(page, culture_expert)
    client.force_login(culture_editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    assert client.post(approve, {"comment": "Relu."}).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED

    # The programme's responsible editor is still found, and still submits it.
    assert access.is_centre_editor(culture_editor, culture.pk)
    assert responsible_editor(ProgrammeProcess.objects.get(programme=programme)) == culture_editor
    assert pilotage.submit(culture_editor, programme).status_code == 302
    programme.refresh_from_db()
    assert programme.status == "submitted"
