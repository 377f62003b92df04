"""The document upload dialog (issue 17): a French root collection, the upload in the user's
centre collection, and a title from the document rather than its raw file name."""

import importlib
import io

import docx
import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.models import Collection, GroupCollectionPermission

from crdla import access
from crdla.accounts import roles
from crdla.core.document_titles import document_title, readable_name

Document = get_document_model()
TITLE = "Guide trésorerie : anticiper les tensions"


def pdf_bytes(title=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if title:
        writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(title):
    document = docx.Document()
    document.add_paragraph("Texte")
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


# --- The root collection ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_root_collection_has_a_french_name():
    assert Collection.get_first_root_node().name == roles.ROOT_COLLECTION_NAME
    assert not Collection.objects.filter(name="Root").exists()


@pytest.mark.django_db
def test_the_migration_renames_wagtails_root_only():
    migration = importlib.import_module(
        "crdla.accounts.migrations.0003_root_collection_french_name"
    )
    root = Collection.get_first_root_node()
    Collection.objects.filter(pk=root.pk).update(name="Root")
    migration.rename_root(django_apps, None)
    assert (
        Collection.objects.get(pk=root.pk).name
        == roles.ROOT_COLLECTION_NAME
        == (migration.FRENCH_ROOT_NAME)
    )
    Collection.objects.filter(pk=root.pk).update(name="Médiathèque")  # renamed by hand
    migration.rename_root(django_apps, None)
    assert Collection.objects.get(pk=root.pk).name == "Médiathèque"


# --- The upload's collection ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_defaults_to_the_users_centre_collection(culture, culture_editor):
    """Even for someone who may also add to the root collection (listed first)."""
    root = Collection.get_first_root_node()
    group = culture_editor.groups.get(pk=culture.editors_group.pk)
    for codename in ("add_document", "choose_document"):
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission_id=_permission(codename)
        )
    form = get_document_form(Document)(user=culture_editor, prefix="document-chooser-upload")
    assert form.fields["collection"].queryset.first() == root
    assert form.initial["collection"] == access.centre_collection(culture).pk


def _permission(codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename=codename, content_type__app_label="wagtaildocs").pk


# --- The title --------------------------------------------------------------------------------------


def test_readable_name_of_a_file():
    assert readable_name("guide-tresorerie_2026.pdf") == "Guide tresorerie 2026"
    assert readable_name("bilan.annuel.odt") == "Bilan annuel"


# The files are built in the test, not at collection: a DOCX holds its creation time, and
# pytest-xdist refuses to run when its workers collect different parameters.
@pytest.mark.parametrize(
    "name, make", [("guide-tresorerie.pdf", pdf_bytes), ("guide-tresorerie.docx", docx_bytes)]
)
def test_a_title_that_repeats_the_file_name_becomes_the_documents_own(name, make):
    content = make(TITLE)
    for prefilled in ("guide-tresorerie", "Guide tresorerie", ""):
        assert document_title(prefilled, upload(name, content)) == TITLE


def test_without_metadata_the_title_is_the_readable_name_and_a_typed_title_stays():
    assert document_title("guide-tresorerie", upload("guide-tresorerie.pdf", pdf_bytes())) == (
        "Guide tresorerie"
    )
    broken = upload("guide-tresorerie.pdf", b"%PDF-1.4 broken")
    assert document_title("guide-tresorerie", broken) == "Guide tresorerie"
    typed = "Guide de la trésorerie, édition 2026"
    assert document_title(typed, upload("guide-tresorerie.pdf", pdf_bytes(TITLE))) == typed


@pytest.mark.django_db
def test_the_upload_dialog_files_the_document_in_the_centre_with_its_title(
    client, culture, culture_expert
):
    client.force_login(culture_expert)
    response = client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "guide-tresorerie",
            "document-chooser-upload-file": upload("guide-tresorerie.pdf", pdf_bytes(TITLE)),
        },
    )
    assert response.status_code == 200
    document = Document.objects.get()
    assert document.title == TITLE
    assert document.collection == access.centre_collection(culture)
