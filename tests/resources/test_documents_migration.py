"""Migration resources 0004 (issue 17): the body's document blocks of a resource become its
« Documents joints », in the live content and in the latest draft, and the access policy
(Wagtail's reference index, ``crdla.access.media``) still serves each file to its audience."""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import connection
from wagtail.documents import get_document_model

from crdla import access
from crdla.resources.models import ResourceDocument
from tests.factories import ResourcePageFactory

Document = get_document_model()
migration = importlib.import_module(
    "crdla.resources.migrations.0004_resource_documents_in_one_place"
)


def make_document(title, collection):
    document = Document(title=title, collection=collection)
    document.file.save("fiche.pdf", ContentFile(b"%PDF-1.4 fiche\n%%EOF\n"), save=False)
    document.save()
    return document


def document_block(document):
    return {"type": "document", "value": {"document": document.pk, "title": ""}, "id": "d"}


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": "p"}


@pytest.mark.django_db
def test_document_blocks_become_attached_documents(client, culture, culture_index, dla_officer):
    collection = access.centre_collection(culture)
    live_doc = make_document("Trame réservée", collection)
    draft_doc = make_document("Annexe du brouillon", collection)
    page = ResourcePageFactory(parent=culture_index, title="Outil réservé", visibility="dla")
    page.save_revision().publish()
    # The body as an older version of the site stored it (a block type it no longer has).
    value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE resources_resourcepage SET body = {value} WHERE page_ptr_id = %s",
            [json.dumps([paragraph("Avant"), document_block(live_doc)]), page.pk],
        )
    revision = page.save_revision()
    revision.content["body"] = json.dumps([document_block(live_doc), document_block(draft_doc)])
    revision.save()

    migration.move_document_blocks(django_apps, None)

    page.refresh_from_db()
    assert [block.block_type for block in page.body] == ["paragraph"]
    assert list(ResourceDocument.objects.filter(page=page).values_list("document", flat=True)) == [
        live_doc.pk
    ]
    draft = page.get_latest_revision().content
    assert [link["document"] for link in draft["documents"]] == [live_doc.pk, draft_doc.pk]
    assert json.loads(draft["body"]) == []

    # Published, the draft's documents follow the page's audience (the DLA network).
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert {d.document_id for d in page.documents.all()} == {live_doc.pk, draft_doc.pk}
    for document in (live_doc, draft_doc):
        assert access.media_audience(document) == access.MediaAudience.NETWORK
    response = client.get(draft_doc.url)
    assert response.status_code == 302  # to the login page
    client.force_login(dla_officer)
    response = client.get(draft_doc.url)
    assert response.status_code == 200
    assert "Annexe du brouillon" in client.get(page.url).content.decode()
