"""« Mon espace »: each role lands where its work is and finds it on its dashboard and in the
public menu (issue 17)."""

import pytest
from django.urls import reverse

from tests.factories import ResourcePageFactory
from tests.network.factories import IntranetPageFactory

PASSWORD = "motdepasse-test"


def login(client, user):
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )


def landing(client, user):
    response = login(client, user)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_expert_lands_on_dashboard_with_write_link_and_drafts(
    client, culture_index, culture_expert
):
    draft = ResourcePageFactory(parent=culture_index, title="Mon guide en cours", live=False)
    draft.owner = culture_expert
    draft.save()
    assert landing(client, culture_expert) == reverse("wagtailadmin_home")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    add_url = reverse(
        "wagtailadmin_pages:add", args=("resources", "resourcepage", culture_index.pk)
    )
    assert html.count(add_url) >= 2  # the dashboard button and the sidebar entry
    assert "Rédiger une ressource" in html
    assert "Mes brouillons" in html and "Mon guide en cours" in html
    assert client.get(add_url).status_code == 200


@pytest.mark.django_db
def test_other_centre_expert_gets_no_link_to_culture(
    client, culture_index, sport_index, make_user, sport
):
    from crdla.accounts import roles

    expert = make_user("expert.sport", roles.CENTRE_STAFF, sport.experts_group)
    client.force_login(expert)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (
        reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", sport_index.pk))
        in html
    )
    assert (
        reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", culture_index.pk))
        not in html
    )


@pytest.mark.django_db
def test_committee_member_lands_on_inbox(client, committee):
    member = committee["dgefp"]
    assert landing(client, member) == reverse("programme:inbox")
    # The public menu links the tasks.
    html = client.get("/").content.decode()
    assert "Mon espace" in html and reverse("programme:inbox") in html


@pytest.mark.django_db
def test_next_parameter_still_wins(client, culture_expert):
    response = client.post(
        reverse("login") + "?next=/recherche/",
        {"username": culture_expert.username, "password": PASSWORD, "next": "/recherche/"},
    )
    assert response["Location"] == "/recherche/"


@pytest.mark.django_db
def test_dla_officer_dashboard_and_public_menu(client, calls_index, officer51, grand_est):
    intranet = IntranetPageFactory(parent=grand_est)
    assert landing(client, officer51) == reverse("wagtailadmin_home")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    add_url = reverse(
        "wagtailadmin_pages:add", args=("network", "callfortenderspage", calls_index.pk)
    )
    assert add_url in html and "Publier une consultation" in html
    assert intranet.url in html
    assert reverse("network:space-list") in html and reverse("network:programme-list") in html
    public = client.get("/").content.decode()
    assert "Mon espace" in public and add_url in public and intranet.url in public


@pytest.mark.django_db
def test_anonymous_menu_has_no_workspace(client, home):
    assert "Mon espace" not in client.get("/").content.decode()
    response = client.get(reverse("workspace"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_sidebar_label_fits_and_no_external_calls(client, culture_editor, settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    client.force_login(culture_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in html.lower()
    # The sidebar keeps its full labels: they wrap (static/css/admin.css) instead of « … ».
    assert "css/admin.css" in html and "Pilotage des programmes" in html


@pytest.mark.django_db
def test_editor_gets_one_publish_button_during_moderation(
    client, culture_index, culture_expert, culture_editor
):
    page = ResourcePageFactory(parent=culture_index, title="À valider", live=False)
    page.save_revision(user=culture_expert)
    page.get_workflow().start(page, culture_expert)
    client.force_login(culture_editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'data-workflow-action-name="approve"' in html
    assert 'name="action-publish"' not in html
    # Without a moderation running, « Publier » is there.
    other = ResourcePageFactory(parent=culture_index, title="Sans modération", live=False)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk])).content.decode()
    assert 'name="action-publish"' in html


@pytest.mark.django_db
def test_editor_dashboard_lists_programme_tasks(client, pilotage, culture, culture_editor):
    programme = pilotage.start(culture_editor, culture)
    client.force_login(culture_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Programmes d&#x27;actions de mon centre" in html
    assert "Rédaction et dépôt du programme" in html and programme.title in html
    assert reverse("programme:inbox") in html
