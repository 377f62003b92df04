"""Documents and images follow the live pages that use them (issue 9, findings 1 and 2).

Decided answers, per case:
- anonymous visitor, file not public → 302 to the login page (a member not signed in yet);
- signed-in user outside the file's audience → 403;
- allowed user → 200 and the file's bytes.
The audience is computed from Wagtail's reference index, which reflects each page's *live*
content: a draft (or an unpublished page) never makes a file public, nor restricted.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from crdla import access
from tests.factories import ImageFactory, ResourcePageFactory

Document = get_document_model()
Image = get_image_model()

PDF = b"%PDF-1.4 confidentiel DLA\n%%EOF\n"


def make_document(title, content=PDF, collection=None):
    document = Document(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def publish_resource(parent, title, visibility="public", documents=(), **fields):
    """A live resource; ``documents`` are attached in its « Documents joints » panel, the one
    way to attach a file to a resource (issue 17)."""
    page = ResourcePageFactory.build(title=title, visibility=visibility, **fields)
    for document in documents:
        page.documents.add(page.documents.model(document=document))
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def download(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


@pytest.fixture(autouse=True)
def fresh_rendition_cache():
    """Wagtail caches renditions by image id, which each test's new database reuses."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def outsider(make_user):
    """Signed in, but outside the DLA network (a committee member)."""
    return make_user("comite.test")


# --- Finding 1: documents in the body of a DLA-only page ----------------------------------------


def test_document_attached_to_a_dla_only_page_is_protected(
    client, culture_index, dla_officer, outsider
):
    document = make_document("Trame budget confidentielle")
    publish_resource(
        culture_index,
        "Outil réservé avec document joint",
        visibility="dla",
        documents=[document],
    )
    assert access.media_audience(document) == access.MediaAudience.NETWORK

    assert_login_redirect(client.get(document.url))
    client.force_login(outsider)
    assert client.get(document.url).status_code == 403
    client.force_login(dla_officer)
    response, body = download(client, document.url)
    assert response.status_code == 200
    assert body == PDF


def test_document_linked_from_rich_text_of_a_dla_only_page_is_protected(
    client, culture_index, dla_officer
):
    document = make_document("Note interne")
    link = f'<p>Voir <a linktype="document" id="{document.pk}">la note</a>.</p>'
    publish_resource(
        culture_index,
        "Outil réservé avec lien",
        visibility="dla",
        body=[("paragraph", RichText(link))],
    )
    assert_login_redirect(client.get(document.url))
    client.force_login(dla_officer)
    response, body = download(client, document.url)
    assert (response.status_code, body) == (200, PDF)


def test_document_used_by_no_live_page_is_for_its_collection_managers_only(
    client, culture, culture_expert, dla_officer, make_user
):
    document = make_document("Brouillon de trame", collection=access.centre_collection(culture))
    assert access.media_audience(document) == access.MediaAudience.STAFF
    assert_login_redirect(client.get(document.url))
    client.force_login(dla_officer)
    assert client.get(document.url).status_code == 403
    client.force_login(culture_expert)
    response, body = download(client, document.url)
    assert (response.status_code, body) == (200, PDF)


def test_a_draft_does_not_make_a_document_public(client, culture_index):
    """Only live content counts: a draft referencing a file leaves its audience unchanged."""
    document = make_document("Annexe en préparation")
    page = publish_resource(culture_index, "Guide public en cours de révision")
    page.documents.add(page.documents.model(document=document))
    page.save_revision()  # draft only
    assert access.media_audience(document) == access.MediaAudience.STAFF
    assert_login_redirect(client.get(document.url))
    page.get_latest_revision().publish()
    assert access.media_audience(document) == access.MediaAudience.PUBLIC
    response, body = download(client, document.url)
    assert (response.status_code, body) == (200, PDF)


# --- Finding 2: a document shared by a public and a DLA-only page -------------------------------


def test_a_document_shared_by_a_public_and_a_dla_only_page_stays_public(client, culture_index):
    document = make_document("Grille d'analyse du plan de financement")
    public = ResourcePageFactory.build(title="Outil : grille d'analyse")
    public.documents.add(public.documents.model(document=document))
    culture_index.add_child(instance=public)
    public.save_revision().publish()
    restricted = ResourcePageFactory.build(title="Retour d'expérience réservé", visibility="dla")
    restricted.documents.add(restricted.documents.model(document=document))
    culture_index.add_child(instance=restricted)
    restricted.save_revision().publish()  # the last publication no longer decides

    assert access.media_audience(document) == access.MediaAudience.PUBLIC
    response, body = download(client, document.url)
    assert (response.status_code, body) == (200, PDF)

    public.unpublish()
    assert access.media_audience(document) == access.MediaAudience.NETWORK
    assert_login_redirect(client.get(document.url))


def test_files_never_move_between_collections(culture_index, culture):
    collection = access.centre_collection(culture)
    document = make_document("Trame du centre", collection=collection)
    page = ResourcePageFactory.build(title="Ressource réservée", visibility="dla")
    page.documents.add(page.documents.model(document=document))
    culture_index.add_child(instance=page)
    page.save_revision().publish()
    document.refresh_from_db()
    assert document.collection_id == collection.pk
    assert not Collection.objects.filter(name="Documents réservés au réseau DLA").exists()


# --- Images: originals and renditions through /media/ -------------------------------------------


def rendition_url(image):
    return image.get_rendition("fill-100x60").url


def test_images_of_a_dla_only_page_are_served_to_the_network_only(
    client, culture_index, dla_officer, outsider
):
    image = ImageFactory(title="Photo de l'atelier confidentiel")
    publish_resource(culture_index, "Compte rendu réservé", visibility="dla", cover_image=image)
    original, rendition = image.file.url, rendition_url(image)
    assert original.startswith("/media/original_images/")
    assert rendition.startswith("/media/images/")
    for url in (original, rendition):
        client.logout()
        assert_login_redirect(client.get(url))
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        client.force_login(dla_officer)
        response, body = download(client, url)
        assert response.status_code == 200
        assert body[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"GIF8")
        assert response["Cache-Control"] == "private, no-store"


def test_images_of_a_public_page_are_public_and_cacheable(client, culture_index):
    image = ImageFactory(title="Illustration publique")
    publish_resource(culture_index, "Guide public illustré", cover_image=image)
    url = rendition_url(image)
    response, body = download(client, url)
    assert response.status_code == 200
    assert body == image.get_rendition("fill-100x60").file.open("rb").read()
    assert response["Cache-Control"].startswith("public")


def test_an_image_used_by_no_live_page_is_not_served_to_visitors(client, home, admin_user):
    image = ImageFactory(title="Image pas encore utilisée")
    assert_login_redirect(client.get(image.file.url))
    client.force_login(admin_user)
    assert client.get(image.file.url).status_code == 200


def test_media_serves_no_document_file_and_nothing_unknown(client, culture_index):
    document = make_document("Document public")
    publish_resource(
        culture_index,
        "Guide public avec document",
        documents=[document],
    )
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get("/media/original_images/absent.png").status_code == 404
    assert client.get("/media/../manage.py").status_code == 404


# --- The policy's querysets -----------------------------------------------------------------------


def test_public_and_visible_media_querysets(culture_index, dla_officer, make_user):
    public_doc = make_document("Document public")
    network_doc = make_document("Document réseau")
    unused_doc = make_document("Document inutilisé")
    publish_resource(culture_index, "Public", documents=[public_doc])
    publish_resource(
        culture_index,
        "Réservé",
        visibility="dla",
        documents=[network_doc],
    )
    everyone = Document.objects.all()
    assert set(access.public_media(everyone)) == {public_doc}
    assert set(access.visible_media(dla_officer, everyone)) == {public_doc, network_doc}
    admin = make_user("admin.media", is_superuser=True)
    assert set(access.visible_media(admin, everyone)) == {public_doc, network_doc, unused_doc}
