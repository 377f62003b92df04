"""Journey: an expert writes a resource in the Wagtail admin and submits it for moderation,
the centre editor approves it, and an anonymous visitor finds it in the centre's listing and
with the knowledge-base search form (/recherche/), indexed when it was published.
"""

import re

from playwright.sync_api import expect

from crdla.resources.models import ResourcePage

TITLE = "Guide de la billetterie mutualisée"


def admin_login(page, site_url, username, password="motdepasse-test"):
    page.goto(site_url("/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_footer_action(page, name):
    """Open the action menu of the page editor footer and click one of its items."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator(f"footer button[name='{name}']").click()


def test_expert_submits_editor_approves_visitor_finds(
    browser, page, site_url, culture_index, culture_expert, culture_editor
):
    # 1. The expert writes the resource and submits it to the centre's moderation workflow.
    admin_login(page, site_url, culture_expert.username)
    page.goto(site_url(f"/admin/pages/add/resources/resourcepage/{culture_index.pk}/"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_kind").select_option("guide")
    page.locator("#id_summary").fill("Mutualiser la billetterie entre lieux culturels.")
    open_footer_action(page, "action-submit")
    expect(page.locator(".messages")).to_contain_text(TITLE)

    resource = ResourcePage.objects.get(title=TITLE)
    assert not resource.live
    assert resource.current_workflow_state.status == "in_progress"

    # Not published yet: the anonymous listing does not show it.
    visitor = browser.new_context(locale="fr-FR")
    anonymous = visitor.new_page()
    anonymous.goto(site_url(culture_index.url))
    expect(anonymous.get_by_role("heading", name=TITLE)).to_have_count(0)
    anonymous.goto(site_url("/recherche/?q=billetterie"))
    expect(anonymous.get_by_role("link", name=TITLE)).to_have_count(0)

    # 2. The centre editor approves: the page is published.
    page.context.clear_cookies()
    admin_login(page, site_url, culture_editor.username)
    page.goto(site_url(f"/admin/pages/{resource.pk}/edit/"))
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator(
        "footer button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    expect(page.locator(".messages")).to_contain_text(TITLE)
    resource.refresh_from_db()
    assert resource.live

    # 3. The anonymous visitor finds it in the centre's listing and opens it.
    anonymous.goto(site_url(culture_index.url))
    link = anonymous.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    link.click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(TITLE)

    # 4. And with the search form of the knowledge base.
    anonymous.goto(site_url("/recherche/"))
    anonymous.get_by_label("Mots-clés").fill("billetterie mutualisée")
    anonymous.get_by_role("button", name="Rechercher", exact=True).click()
    expect(anonymous).to_have_url(re.compile(r"/recherche/\?.*q=billetterie"))
    expect(anonymous.locator(".results-count")).to_contain_text("1 ressource trouvée")
    anonymous.locator(".result-list").get_by_role("link", name=TITLE).click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(TITLE)
    visitor.close()
