"""The public test site with, beside each public item, a DLA-only or unpublished twin whose
text carries a marker that no open-data output may ever contain."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from crdla.resources.models import ResourceDocument
from tests.public_site import add_network_and_search_pages, build_public_site

MARKER = "CANARI-OPENDATA"


def document(title, name):
    doc = Document.objects.create(title=title)
    doc.file.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return doc


@pytest.fixture
def open_site(home):
    """``build_public_site`` + calls, directory and programme, plus the planted markers."""
    from tests.factories import ResourcePageFactory

    site = add_network_and_search_pages(build_public_site(home, resources=2))
    public_doc = document("Guide public en PDF", "guide-public.pdf")
    ResourceDocument.objects.create(page=site["resource"], document=public_doc)
    site["resource"].save_revision().publish()
    restricted = site["restricted_resource"]
    restricted.title = f"{MARKER} ressource réservée"
    restricted.summary = f"{MARKER} résumé réservé"
    secret_doc = document(f"{MARKER} document réservé", "reserve.pdf")
    ResourceDocument.objects.create(page=restricted, document=secret_doc)
    restricted.save_revision().publish()
    for key in ("restricted_news", "restricted_event"):
        page = site[key]
        page.title = f"{MARKER} {page.title}"
        page.save_revision().publish()
    draft = ResourcePageFactory(
        parent=site["resource_index"], title=f"{MARKER} brouillon", slug="brouillon", live=False
    )
    draft_doc = document(f"{MARKER} document du brouillon", "brouillon.pdf")
    ResourceDocument.objects.create(page=draft, document=draft_doc)
    draft.save()
    # The programme's approved version is public; the edits of a later revision are not.
    from workflows.models import ProgrammeVersion
    from workflows.snapshots import build_snapshot

    programme = site["programme"]
    ProgrammeVersion.objects.create(
        programme=programme, number=1, snapshot=build_snapshot(programme), is_approved=True
    )
    programme.summary = f"{MARKER} synthèse en révision"
    programme.save()
    programme.indicators().update(label=f"{MARKER} indicateur en révision")
    # A live page whose pending draft must not show.
    site["news"].title = f"{MARKER} titre en brouillon"
    site["news"].save_revision()
    site.update(public_doc=public_doc, secret_doc=secret_doc, draft=draft, draft_doc=draft_doc)
    return site
