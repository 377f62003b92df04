"""Issue 9, « also noticed »: decided and tested.

- The page chooser (browse and search) and the explorer list live pages and the pages the user
  may edit, never another centre's unpublished draft (``access.editable_or_live_pages``).
  Wagtail's admin page search already filters by the user's page permissions.
- A DLA-only page answers 302 to the login page for an anonymous visitor (a member who is not
  signed in yet must be able to get in), 403 to a signed-in user outside its audience, and a
  missing page 404. The 302 reveals that the address exists, not its content: accepted.
"""

import pytest

from crdla.accounts import roles
from tests.factories import ResourcePageFactory

DRAFT_TITLE = "Brouillon confidentiel du centre Culture"


@pytest.fixture
def culture_draft(culture_index):
    page = ResourcePageFactory.build(title=DRAFT_TITLE, live=False)
    culture_index.add_child(instance=page)
    page.save_revision()
    return page


@pytest.fixture
def sport_expert(make_user, sport):
    return make_user("expert.sport", roles.CENTRE_STAFF, sport.experts_group)


def test_page_chooser_hides_other_centres_drafts(
    client, culture_draft, culture_index, sport_expert
):
    client.force_login(sport_expert)
    search = client.get("/admin/choose-page/search/", {"q": "Brouillon"})
    assert search.status_code == 200
    assert DRAFT_TITLE not in search.content.decode()
    browse = client.get(f"/admin/choose-page/{culture_index.pk}/")
    assert browse.status_code == 200
    assert DRAFT_TITLE not in browse.content.decode()


def test_page_chooser_shows_own_centres_drafts(
    client, culture_draft, culture_index, culture_expert
):
    client.force_login(culture_expert)
    browse = client.get(f"/admin/choose-page/{culture_index.pk}/")
    assert DRAFT_TITLE in browse.content.decode()


def test_admin_search_hides_other_centres_drafts(client, culture_draft, sport_expert):
    client.force_login(sport_expert)
    response = client.get("/admin/pages/search/", {"q": "Brouillon"})
    assert response.status_code == 200
    assert DRAFT_TITLE not in response.content.decode()


def test_restricted_page_answers_are_exact(client, culture_index, make_user, dla_officer):
    page = ResourcePageFactory(parent=culture_index, title="Page réservée", visibility="dla")
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")
    client.force_login(make_user("comite.test"))
    assert client.get(page.url).status_code == 403
    assert client.get(culture_index.url + "page-absente/").status_code == 404
    client.force_login(dla_officer)
    assert client.get(page.url).status_code == 200
