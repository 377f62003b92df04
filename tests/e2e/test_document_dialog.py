"""The document dialog of a new resource, in a real browser (issue 17): autosave waits while
the dialog is open instead of creating the page behind it, the title field shows a readable
name, and the saved document carries the title written in the PDF, in the expert's centre
collection, attached in « Documents joints »."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfWriter
from wagtail.documents import get_document_model

from crdla import access
from crdla.resources.models import ResourceDocument, ResourcePage

TITLE = "Guide trésorerie : anticiper les tensions"


def pdf_file(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": TITLE})
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "guide-tresorerie.pdf"
    path.write_bytes(buffer.getvalue())
    return path


# Injected before the admin's scripts: marks the page when Wagtail starts watching the form
# for edits (2 s after loading) and when autosave was asked but held back.
WATCH_AUTOSAVE = """
document.addEventListener("w-unsaved:watch-edits", () => {
  document.documentElement.dataset.watching = "yes";
});
document.addEventListener("w-autosave:save", (event) => {
  setTimeout(() => {  // once every listener has run
    if (event.defaultPrevented) document.documentElement.dataset.heldAutosave = "yes";
  });
});
"""


def test_autosave_waits_for_an_open_dialog_and_a_new_documents_title_comes_from_the_file(
    page, login, tmp_path, culture, culture_index, culture_expert
):
    login(page, culture_expert.username, next_path="/admin/")
    page.add_init_script(WATCH_AUTOSAVE)
    page.get_by_role("link", name="Rédiger une ressource").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/resources/resourcepage/\d+/"))
    expect(page.locator("html[data-watching=yes]")).to_have_count(1)

    # A dialog opens, and the form changes behind it: autosave is asked, and waits.
    page.get_by_role("button", name="Choisir une image").click()
    dialog = page.locator(".modal")
    expect(dialog).to_be_visible()
    page.locator("#id_title").fill("Fiche : la trésorerie d'une compagnie")
    page.locator("#id_kind").select_option("fiche_pratique")
    page.locator("#id_summary").fill("Anticiper les tensions de trésorerie.")
    expect(page.locator("html[data-held-autosave=yes]")).to_have_count(1)
    assert not ResourcePage.objects.filter(title__startswith="Fiche : la trésorerie").exists()
    # Closed, autosave runs: the page is created as Wagtail 8 does, but not behind a dialog.
    dialog.locator("button.close, [data-dismiss=modal], .button--close").first.click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))

    # A new document: a readable name in the dialog, the PDF's own title once uploaded.
    page.get_by_role("button", name="Ajouter un document").click()
    page.get_by_role("button", name="Choisir un document").click()
    dialog.get_by_role("tab", name="Transférer").click()
    dialog.locator("input[type=file]").set_input_files(str(pdf_file(tmp_path)))
    expect(dialog.locator("input[name$=title]")).to_have_value("Guide tresorerie")
    dialog.get_by_role("button", name="Transférer").click()
    expect(dialog).to_be_hidden()
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("footer button[name='action-submit']").click()
    expect(page.locator(".messages")).to_contain_text("trésorerie")
    # The database is read once the browser has nothing in flight: on SQLite the live server
    # shares this thread's connection, and an autosave answered meanwhile would collide with it.
    document = get_document_model().objects.get()
    assert document.title == TITLE
    assert document.collection == access.centre_collection(culture)
    resource = ResourcePage.objects.get(title__startswith="Fiche : la trésorerie")
    assert ResourceDocument.objects.filter(page=resource, document=document).exists()
