"""Journey: a DLA officer logs in and opens a DLA-only tool that an anonymous visitor cannot see.

Still to add when the search package lands: the officer searches the knowledge base and
filters by facets before opening the tool.
"""

import re

from playwright.sync_api import expect

from tests.factories import ResourcePageFactory

TITLE = "Trame de diagnostic partagé (réservée au réseau)"


def test_dla_officer_opens_restricted_tool_anonymous_gets_login(
    browser, page, site_url, login, culture_index, dla_officer
):
    tool = ResourcePageFactory(
        parent=culture_index, title=TITLE, kind="outil", visibility="dla", slug="trame"
    )

    # The anonymous visitor neither sees it in the listing nor reads it: the login page shows.
    visitor = browser.new_context(locale="fr-FR")
    anonymous = visitor.new_page()
    anonymous.goto(site_url(culture_index.url))
    expect(anonymous.get_by_role("link", name=TITLE)).to_have_count(0)
    anonymous.goto(site_url(tool.url))
    expect(anonymous).to_have_url(re.compile(r"/connexion/\?next="))
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(anonymous.get_by_text(TITLE)).to_have_count(0)
    visitor.close()

    # The officer logs in with the public form, finds the tool in the listing and reads it.
    login(page, dla_officer.username, next_path=culture_index.url)
    expect(page).to_have_url(re.compile(re.escape(culture_index.url) + "$"))
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Réservé au réseau DLA")).to_be_visible()
