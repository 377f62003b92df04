"""Keyboard-only use: skip link, main menu, the resource listing filters, the search facets
and the alert subscription form.
"""

from playwright.sync_api import expect

from crdla.network.models import AlertSubscription
from tests.public_site import add_network_and_search_pages, build_public_site

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    text: (el.innerText || '').trim(),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    visible: el.getBoundingClientRect().left >= 0 && el.getBoundingClientRect().width > 0,
  };
}"""


def tab_until(page, predicate, limit=60):
    """Press Tab until ``predicate(focused)`` holds; every stop must show a visible focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"], f"focus invisible sur {focused}"
        if predicate(focused):
            return focused
    raise AssertionError("élément jamais atteint au clavier")


def test_skip_link_and_main_menu(page, site_url, home):
    build_public_site(home)
    page.goto(site_url("/"))
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Aller au contenu"
    assert first["visible"] and first["outline"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"

    # The centres are grouped under one menu entry (a disclosure): Enter opens it.
    page.goto(site_url("/"))
    tab_until(page, lambda f: f["tag"] == "summary" and f["text"] == "Centres de ressources")
    page.keyboard.press("Enter")
    focused = tab_until(page, lambda f: f["text"] == "CRDLA Culture")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre de ressources DLA Culture")
    assert focused["tag"] == "a"


def test_listing_filters_with_the_keyboard_only(page, site_url, home):
    site = build_public_site(home)
    page.goto(site_url(site["resource_index"].url))
    order = []
    tab_until(page, lambda f: order.append(f["name"]) or f["name"] == "axe")
    filters = [name for name in order if name in ("type", "secteur", "theme", "public", "axe")]
    assert filters == ["type", "secteur", "theme", "public", "axe"]

    # Choose a type with the arrow keys, then reach the button and submit with Enter.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["name"] == "type"
    page.keyboard.press("ArrowDown")  # first choice after "Tous": Guide
    tab_until(page, lambda f: f["text"] == "Appliquer les filtres")
    page.keyboard.press("Enter")
    page.wait_for_url("**type=guide**")
    expect(page.get_by_role("heading", name="3 ressources")).to_be_visible()
    expect(page.get_by_role("link", name="Effacer les filtres")).to_be_visible()


def test_search_facets_and_alert_subscription_with_the_keyboard_only(page, site_url, home):
    add_network_and_search_pages(build_public_site(home))

    # Search: type the words, submit with Enter, tick a facet with Space, apply with Enter.
    page.goto(site_url("/recherche/"))
    tab_until(page, lambda f: f["id"] == "search-q")
    page.keyboard.type("guide")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=guide**")
    total = page.locator(".result-list > li").count()
    assert total >= 2
    tab_until(page, lambda f: f["name"] == "type")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_until(page, lambda f: f["text"] == "Appliquer les filtres")
    page.keyboard.press("Enter")
    page.wait_for_url("**type=**")
    expect(page.locator(".active-filters a")).to_have_count(1)
    assert page.locator(".search-facets input[type=checkbox]:checked").count() == 1

    # Alerts: e-mail, one sector, one département, consent, submit: all from the keyboard.
    page.goto(site_url("/alertes/"))
    tab_until(page, lambda f: f["name"] == "email")
    page.keyboard.type("clavier@example.org")
    tab_until(page, lambda f: f["name"] == "sectors")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["name"] == "departements")
    page.keyboard.press("ArrowDown")
    tab_until(page, lambda f: f["name"] == "consent")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["text"] == "S'inscrire")
    page.keyboard.press("Enter")
    page.wait_for_url("**/alertes/verifiez-vos-courriels/")
    subscription = AlertSubscription.objects.get(email="clavier@example.org")
    assert subscription.sectors.count() == 1
    assert subscription.departements.count() == 1
