"""« Trouver mon DLA » and the menu with the keyboard alone, in a real browser: the map's
départements are links that Tab reaches and Enter follows, with a visible focus."""

import json

from playwright.sync_api import expect

from tests.e2e.test_accessibility import axe_source, axe_violations  # noqa: F401
from tests.public_site import add_network_and_search_pages, build_public_site

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el.querySelector('path') || el);
  return {
    tag: el.tagName.toLowerCase(),
    label: el.getAttribute('aria-label') || (el.innerText || '').trim(),
    inMap: !!el.closest('.france-map'),
    outline: getComputedStyle(el).outlineStyle !== 'none',
    fill: style.fill,
  };
}"""


def tab_to(page, predicate, limit=160):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if predicate(focused):
            return focused
    raise AssertionError("élément jamais atteint au clavier")


def test_the_map_works_with_the_keyboard_alone(page, site_url, home):
    add_network_and_search_pages(build_public_site(home))
    page.goto(site_url("/trouver-mon-dla/"))
    first = tab_to(page, lambda f: f["inMap"])
    assert first["tag"] == "a" and first["label"].endswith(")")  # « Ain (01) »
    assert first["outline"] and first["fill"] == "rgb(240, 165, 0)"  # the focus shows
    marne = tab_to(page, lambda f: f["label"] == "Marne (51)")
    assert marne["inMap"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Le DLA du département : Marne (51)")).to_be_visible()
    expect(page.locator(".finder-dla")).to_have_count(1)


def test_search_form_and_choice_with_the_keyboard(page, site_url, home):
    add_network_and_search_pages(build_public_site(home))
    page.goto(site_url("/"))
    tab_to(page, lambda f: f["tag"] == "input" or f["label"] == "Code postal ou commune")
    page.keyboard.type("saint denis")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Plusieurs communes pour « saint denis »")
    ).to_be_visible()
    tab_to(page, lambda f: f["label"] == "Saint-Denis" and not f["inMap"])
    page.keyboard.press("Enter")
    heading = "Le DLA du département : Seine-Saint-Denis (93)"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_tracker_with_approved_figures_has_no_wcag_violation(page, site_url, home, axe_source):  # noqa: F811
    """The tracker's chart and tables (the shared scan sees a programme with no approved version)."""
    from workflows.models import ProgrammeVersion
    from workflows.snapshots import build_snapshot

    site = add_network_and_search_pages(build_public_site(home))
    programme = site["programme"]
    ProgrammeVersion.objects.create(
        programme=programme, number=1, snapshot=build_snapshot(programme), is_approved=True
    )
    page.goto(site_url("/programmes/"))
    expect(page.locator("progress")).to_have_count(programme.indicators().count())
    violations = axe_violations(page, axe_source)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=2)
