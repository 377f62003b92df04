"""DLA-only resources: readable by the network only; never listed, mapped or fed to others."""

import pytest

from tests.factories import ResourcePageFactory


@pytest.fixture
def resources(culture_index):
    public = ResourcePageFactory(parent=culture_index, title="Guide public de la trésorerie")
    restricted = ResourcePageFactory(
        parent=culture_index, title="Outil réservé au réseau DLA", visibility="dla"
    )
    return public, restricted


def test_restricted_resource_redirects_anonymous_to_login(client, resources):
    _public, restricted = resources
    response = client.get(restricted.url)
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_restricted_resource_is_readable_by_a_dla_officer(client, resources, dla_officer):
    _public, restricted = resources
    client.force_login(dla_officer)
    response = client.get(restricted.url)
    assert response.status_code == 200
    assert "Outil réservé au réseau DLA" in response.content.decode()


def test_restricted_resource_is_refused_to_a_logged_in_user_without_role(
    client, resources, make_user
):
    _public, restricted = resources
    client.force_login(make_user("sans.role"))
    response = client.get(restricted.url)
    assert response.status_code in (302, 403, 404)
    assert "Outil réservé au réseau DLA" not in response.content.decode()


def test_listing_hides_restricted_resources_from_anonymous(client, resources, culture_index):
    body = client.get(culture_index.url).content.decode()
    assert "Guide public de la trésorerie" in body
    assert "Outil réservé au réseau DLA" not in body
    assert "1 ressource" in body


def test_listing_shows_restricted_resources_to_the_network(
    client, resources, culture_index, dla_officer
):
    client.force_login(dla_officer)
    body = client.get(culture_index.url).content.decode()
    assert "Outil réservé au réseau DLA" in body
    assert "2 ressources" in body


def test_home_and_centre_do_not_link_restricted_resources(client, resources, home, culture):
    for page in (home, culture):
        body = client.get(page.url).content.decode()
        assert "Guide public de la trésorerie" in body
        assert "Outil réservé au réseau DLA" not in body


def test_sitemap_excludes_restricted_resources(client, resources):
    public, restricted = resources
    body = client.get("/sitemap.xml").content.decode()
    assert public.slug in body
    assert restricted.slug not in body


def test_feed_excludes_restricted_resources(client, resources, dla_officer):
    client.force_login(dla_officer)  # even a network member gets the public feed only
    body = client.get("/flux/ressources/").content.decode()
    assert "Guide public de la trésorerie" in body
    assert "Outil réservé au réseau DLA" not in body


def test_draft_change_to_public_keeps_live_page_restricted(client, resources):
    """An unpublished edit must not lift the restriction of the live DLA-only page."""
    _public, restricted = resources
    restricted.visibility = "public"
    restricted.save_revision()  # draft only
    assert client.get(restricted.url).status_code == 302
    restricted.get_latest_revision().publish()
    assert client.get(restricted.url).status_code == 200


def test_documents_of_restricted_resources_are_restricted_too(client, culture_index, dla_officer):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    document = Document(title="Trame confidentielle")
    document.file.save("trame.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    page = ResourcePageFactory.build(title="Outil réservé avec pièce jointe", visibility="dla")
    page.documents.add(page.documents.model(document=document))
    culture_index.add_child(instance=page)
    page.save_revision().publish()

    response = client.get(document.url)
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    client.force_login(dla_officer)
    assert client.get(document.url).status_code == 200
