"""Uploads through the Wagtail admin: allowed types and sizes, SVG and HTML refused (in French)."""

import html

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def editor_client(client, culture_editor):
    client.force_login(culture_editor)
    return client


def text(response):
    """The response body with French non-breaking spaces made plain."""
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def upload_document(client, name, content, content_type="application/octet-stream"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Pièce jointe",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_pdf_is_accepted(editor_client):
    response = upload_document(editor_client, "guide.pdf", PDF, "application/pdf")
    assert response.status_code == 302
    assert Document.objects.get().file.name.endswith(".pdf")


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "svg",
        ),
        ("page.html", b"<html><body><script>alert(1)</script></body></html>", "html"),
        ("page.htm", b"<html></html>", "htm"),
        ("programme.exe", b"MZ\x90\x00", "exe"),
    ],
)
def test_forbidden_types_are_refused_in_french(editor_client, name, content, message):
    response = upload_document(editor_client, name, content)
    assert response.status_code == 200
    body = text(response)
    assert f"Le type de fichier « {message} » n'est pas accepté. Types acceptés : csv," in body
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("notes.txt", b"  <!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("donnees.csv", b"<svg onload=alert(1)>"),
    ],
)
def test_html_or_svg_disguised_under_an_allowed_extension_is_refused(editor_client, name, content):
    response = upload_document(editor_client, name, content)
    assert response.status_code == 200
    assert "contient du HTML ou du SVG" in response.content.decode()
    assert not Document.objects.exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_too_large_documents_are_refused_with_the_limit(editor_client):
    response = upload_document(editor_client, "gros.pdf", PDF + b"0" * 2048, "application/pdf")
    assert response.status_code == 200
    body = text(response)
    assert "Ce fichier est trop gros (2,0 Kio)" in body
    assert "La taille de fichier maximale est de 1,0 Kio" in body
    assert "n’est pas autorisée" not in body
    assert not Document.objects.exists()


def test_svg_images_are_refused(editor_client):
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "Logo",
            "file": SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"
            ),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    assert "svg" in response.content.decode().lower()
    assert not Image.objects.exists()


def test_documents_other_than_pdf_download_as_attachments(client, home, admin_user):
    document = Document.objects.create(title="Trame")
    document.file.save("trame.txt", ContentFile(b"Trame de diagnostic"), save=True)
    client.force_login(admin_user)  # used by no live page yet: staff only (issue 9)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
