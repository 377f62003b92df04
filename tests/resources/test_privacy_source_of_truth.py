"""One source of truth for a page's privacy (issue 9, finding 9), tested both ways.

The « visibilité » field drives the Wagtail view restriction on publication; a change made
through Wagtail's privacy dialog is written back into the field (live row and latest
revision), so the next publication keeps it instead of silently undoing it.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from crdla.accounts import roles
from crdla.resources.models import ResourcePage
from tests.factories import ResourcePageFactory


def network_groups():
    return set(Group.objects.filter(name__in=roles.dla_network_group_names()))


def own_restriction(page):
    return PageViewRestriction.objects.filter(page=page).first()


@pytest.fixture
def page(culture_index):
    page = ResourcePageFactory(parent=culture_index, title="Fiche pratique")
    page.save_revision().publish()
    return ResourcePage.objects.get(pk=page.pk)


@pytest.fixture
def editor_client(client, culture_editor):
    client.force_login(culture_editor)
    return client


def test_the_field_drives_the_restriction(client, page):
    page.visibility = "dla"
    page.save_revision().publish()
    restriction = own_restriction(page)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert set(restriction.groups.all()) == network_groups()
    assert client.get(page.url).status_code == 302

    page = ResourcePage.objects.get(pk=page.pk)
    page.visibility = "public"
    page.save_revision().publish()
    assert own_restriction(page) is None
    assert client.get(page.url).status_code == 200


def test_restricting_through_the_privacy_dialog_sets_the_field(client, editor_client, page):
    some_group = Group.objects.get(name=roles.DLA_OFFICERS)
    response = editor_client.post(
        f"/admin/pages/{page.pk}/privacy/",
        {"restriction_type": "groups", "groups": [some_group.pk]},
    )
    assert response.status_code == 200
    page = ResourcePage.objects.get(pk=page.pk)
    assert page.visibility == "dla"
    assert page.get_latest_revision().content["visibility"] == "dla"
    # « groups » means the DLA network, whatever boxes were ticked: one meaning for « dla ».
    assert set(own_restriction(page).groups.all()) == network_groups()
    client.logout()
    assert client.get(page.url).status_code == 302

    # The next publication keeps what the dialog set (it used to delete the restriction).
    page.get_latest_revision().publish()
    assert own_restriction(page) is not None
    assert client.get(page.url).status_code == 302


def test_lifting_the_restriction_through_the_dialog_makes_the_field_public(
    client, editor_client, page
):
    page.visibility = "dla"
    page.save_revision().publish()
    response = editor_client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "none"})
    assert response.status_code == 200
    page = ResourcePage.objects.get(pk=page.pk)
    assert page.visibility == "public"
    assert page.get_latest_revision().content["visibility"] == "public"
    client.logout()
    page.get_latest_revision().publish()
    assert own_restriction(page) is None
    assert client.get(page.url).status_code == 200


def test_the_dialog_offers_the_network_restriction_only(editor_client, page):
    body = editor_client.get(f"/admin/pages/{page.pk}/privacy/").json()["html"]
    assert 'value="groups"' in body
    assert 'value="password"' not in body
    assert 'value="login"' not in body
    response = editor_client.post(
        f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "password", "password": "x"}
    )
    assert own_restriction(ResourcePage.objects.get(pk=page.pk)) is None
    del response
