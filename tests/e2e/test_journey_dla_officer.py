"""Journey: a DLA officer logs in, searches the knowledge base, narrows the results with the
facets and opens a DLA-only tool; an anonymous visitor can neither find it (listing, search,
suggestions) nor read it.
"""

import re

from playwright.sync_api import expect

from tests.factories import ResourcePageFactory, ThemeFactory

TITLE = "Trame de diagnostic partagé (réservée au réseau)"


def published(**fields):
    """A resource published through a revision, as an editor would (this indexes it)."""
    themes = fields.pop("themes", [])
    page = ResourcePageFactory(**fields)
    page.themes.set(themes)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_dla_officer_searches_filters_and_opens_restricted_tool(
    browser, page, site_url, login, culture_index, dla_officer
):
    theme = ThemeFactory(slug="diagnostic", name="Diagnostic")
    tool = published(
        parent=culture_index,
        title=TITLE,
        summary="Une trame de diagnostic pour les chargés de mission.",
        kind="outil",
        visibility="dla",
        slug="trame",
        themes=[theme],
    )
    published(
        parent=culture_index,
        title="Guide du diagnostic de territoire",
        summary="Le diagnostic partagé d'un territoire, pas à pas.",
        kind="guide",
        slug="guide-diagnostic",
        themes=[theme],
    )

    # The anonymous visitor does not see it in the listing, the search or the suggestions,
    # and cannot read it: the login page shows.
    visitor = browser.new_context(locale="fr-FR")
    anonymous = visitor.new_page()
    anonymous.goto(site_url(culture_index.url))
    expect(anonymous.get_by_role("link", name=TITLE)).to_have_count(0)
    anonymous.goto(site_url("/recherche/?q=diagnostic"))
    expect(anonymous.locator(".results-count")).to_contain_text("1 ressource trouvée")
    expect(anonymous.get_by_text(TITLE)).to_have_count(0)
    suggestions = anonymous.request.get(site_url("/recherche/suggestions/?q=trame"))
    assert suggestions.ok and "Trame de diagnostic" not in suggestions.text()
    anonymous.goto(site_url(tool.url))
    expect(anonymous).to_have_url(re.compile(r"/connexion/\?next="))
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(anonymous.get_by_text(TITLE)).to_have_count(0)
    visitor.close()

    # The officer logs in, searches, sees both resources, then keeps only the tools.
    login(page, dla_officer.username, next_path="/recherche/")
    expect(page).to_have_url(re.compile(r"/recherche/$"))
    page.get_by_label("Mots-clés").fill("diagnostic")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    results = page.locator(".result-list")
    expect(page.locator(".results-count")).to_contain_text("2 ressources trouvées")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    facets = page.locator(".search-facets")
    facets.get_by_role("group", name="Type de ressource").get_by_label(re.compile("^Outil")).check()
    facets.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"type=outil"))
    expect(page.locator(".results-count")).to_contain_text("1 ressource trouvée")
    expect(results.get_by_role("link", name="Guide du diagnostic de territoire")).to_have_count(0)
    expect(results.get_by_text("Réservé au réseau DLA")).to_be_visible()

    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Réservé au réseau DLA")).to_be_visible()
