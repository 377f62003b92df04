"""A renamed centre keeps its collection (issue 15, item 4: linked by id, never by name).

The collection was found by the centre's name: once the centre was renamed its experts lost
their default upload collection, and the next roles set-up created a second one.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from crdla import access
from crdla.accounts import roles
from crdla.centres.roles import setup_roles

Document = get_document_model()
PDF = b"%PDF-1.4 trame\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def sport_expert(make_user, sport):
    return make_user("expert.sport", roles.CENTRE_STAFF, sport.experts_group)


def rename(centre, short_name):
    centre.short_name = short_name
    centre.save_revision().publish()
    centre.refresh_from_db()


def upload(client, user, title):
    client.force_login(user)
    response = client.post(
        "/admin/documents/add/",
        {"title": title, "file": SimpleUploadedFile("trame.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    return Document.objects.get(title=title)


def test_a_renamed_centres_experts_still_upload_into_its_collection(
    client, culture, sport, culture_expert, sport_expert
):
    collection = access.centre_collection(culture)
    rename(culture, "CRDLA Arts et culture")

    assert access.centre_collection(culture) == collection
    collection.refresh_from_db()
    assert collection.name == "CRDLA Arts et culture"  # renamed with the centre, on publication
    assert access.default_collection_for(culture_expert) == collection
    document = upload(client, culture_expert, "Trame après renommage")
    assert document.collection == collection
    assert access.can_view_media(culture_expert, document)

    # Another centre's staff neither see nor choose it.
    assert not access.can_view_media(sport_expert, document)
    assert collection not in access.collections_for_user(sport_expert, Document)
    client.force_login(sport_expert)
    assert "Trame après renommage" not in client.get("/admin/documents/chooser/").content.decode()
    assert upload(client, sport_expert, "Trame sport").collection == access.centre_collection(sport)


def test_the_roles_set_up_after_a_rename_makes_no_second_collection(culture, sport):
    before = set(Collection.objects.values_list("pk", flat=True))
    rename(culture, "CRDLA Arts et culture")
    setup_roles()
    setup_roles()
    assert set(Collection.objects.values_list("pk", flat=True)) == before
    assert not Collection.objects.filter(name="CRDLA Culture").exists()


def test_a_draft_with_a_new_name_does_not_rename_the_collection(culture):
    culture.short_name = "Nom de brouillon"
    culture.save_revision()
    assert access.centre_collection(culture).name == "CRDLA Culture"
