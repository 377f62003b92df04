"""Per-centre collections (issue 9, finding 3): each centre's staff manage their own files only.

expert.sport replaced the file of a document used by Culture's public pages and moved a
DLA-only document into the root collection: staff groups held add/change on the root
collection. Now each centre (and each regional network) has its own collection, created with
it, and a file used by a live page the user cannot edit is never replaced or deleted by them.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from crdla import access
from crdla.accounts import roles
from tests.factories import ResourcePageFactory

Document = get_document_model()
PDF = b"%PDF-1.4 original\n%%EOF\n"
NEW_PDF = b"%PDF-1.4 remplacement\n%%EOF\n"


def make_document(title, collection):
    document = Document(title=title, collection=collection)
    document.file.save("fiche.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def sport_expert(make_user, sport):
    return make_user("expert.sport", roles.CENTRE_STAFF, sport.experts_group)


@pytest.fixture
def sport_editor(make_user, sport):
    return make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group)


def test_each_centre_gets_its_collection_with_its_groups(culture, sport):
    for centre in (culture, sport):
        collection = access.centre_collection(centre)
        assert collection is not None and collection.depth == 2
        groups = set(
            GroupCollectionPermission.objects.filter(collection=collection).values_list(
                "group_id", flat=True
            )
        )
        assert groups == {centre.experts_group.pk, centre.editors_group.pk}


def test_no_staff_group_holds_permissions_on_the_root_collection(home, culture_expert):
    root = Collection.get_first_root_node()
    assert not GroupCollectionPermission.objects.filter(
        collection=root, group__name__in=[roles.CENTRE_STAFF, roles.ANIMATORS]
    ).exists()
    # The shared illustrations may be chosen by every centre, changed by none.
    shared = Collection.objects.get(name=roles.SHARED_MEDIA_COLLECTION)
    assert shared in access.collections_for_user(culture_expert, Document, ["choose"])
    assert shared not in access.collections_for_user(culture_expert, Document, ["add", "change"])


def test_uploads_go_to_the_users_centre_collection(client, culture, sport, culture_expert):
    client.force_login(culture_expert)
    root = Collection.get_first_root_node()
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Trame",
            "file": SimpleUploadedFile("trame.pdf", PDF, content_type="application/pdf"),
            "collection": root.pk,  # ignored: the expert has one collection only
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().collection == access.centre_collection(culture)
    assert access.default_collection_for(culture_expert) == access.centre_collection(culture)


def test_a_centre_cannot_edit_another_centres_document(client, culture, sport, sport_expert):
    document = make_document("Fiche culture", access.centre_collection(culture))
    client.force_login(sport_expert)
    response = client.get(f"/admin/documents/edit/{document.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "Remplacé", "file": SimpleUploadedFile("x.pdf", NEW_PDF, "application/pdf")},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    document.refresh_from_db()
    assert document.title == "Fiche culture"
    assert document.file.read() == PDF
    # Not listed, not choosable either.
    body = client.get("/admin/documents/chooser/").content.decode()
    assert "Fiche culture" not in body


def test_replacing_a_file_used_by_another_centres_live_page_is_refused_in_french(
    client, culture, sport_index, culture_expert
):
    document = make_document("Trame partagée", access.centre_collection(culture))
    page = ResourcePageFactory.build(title="Ressource du centre Sport")
    page.documents.add(page.documents.model(document=document))
    sport_index.add_child(instance=page)
    page.save_revision().publish()

    client.force_login(culture_expert)
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Trame partagée",
            "file": SimpleUploadedFile("nouvelle.pdf", NEW_PDF, "application/pdf"),
        },
    )
    document.refresh_from_db()
    assert document.file.read() == PDF
    body = client.get(f"/admin/documents/edit/{document.pk}/").content.decode()
    assert "utilisé par des pages publiées que vous ne pouvez pas modifier" in body
    assert "Ressource du centre Sport" in body
    # Nor deleted: Wagtail counts « delete » as « change », the policy does not.
    assert not access.can_change_media(culture_expert, document)
    response = client.post(f"/admin/documents/delete/{document.pk}/")
    assert Document.objects.filter(pk=document.pk).exists()
    del response


def test_a_file_used_by_the_users_own_centre_may_be_replaced(
    client, culture, culture_index, culture_editor
):
    document = make_document("Trame culture", access.centre_collection(culture))
    page = ResourcePageFactory.build(title="Ressource culture")
    page.documents.add(page.documents.model(document=document))
    culture_index.add_child(instance=page)
    page.save_revision().publish()
    assert access.change_refusal(culture_editor, document) is None
    client.force_login(culture_editor)
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Trame culture",
            "file": SimpleUploadedFile("nouvelle.pdf", NEW_PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file.read() == NEW_PDF


def test_the_animator_manages_their_networks_collection_only(make_user, home):
    from crdla.network.access import sync_network_group
    from tests.factories import NetworkPageFactory

    grand_est = NetworkPageFactory(parent=home, slug="grand-est")
    animator = make_user("animateur.test", roles.ANIMATORS)
    grand_est.animator = animator
    grand_est.save()
    sync_network_group(grand_est)
    collection = access.network_collection(grand_est)
    assert collection is not None
    assert list(access.collections_for_user(animator, Document, ["add"])) == [collection]
