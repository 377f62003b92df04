"""axe-core scan (WCAG 2.0/2.1 A and AA) of every public page type: zero violations.

axe-core comes from npm (``.ci/fetch-axe`` installs the pinned version into node_modules/,
never committed). To check a new page type, add it to ``tests.public_site.public_urls``.
"""

import json
import os
from pathlib import Path

import pytest

from tests.public_site import (
    add_network_and_search_pages,
    build_public_site,
    network_and_search_urls,
    public_urls,
)

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE_NAMES = [
    "accueil",
    "centre",
    "ressources",
    "ressources-filtrees",
    "ressources-sans-resultat",
    "ressource",
    "actualites",
    "actualite",
    "evenement",
    "evenement-passe",
    "reseau",
    "dla",
    "page-standard",
    "connexion",
    "connexion-erreur",
    "page-introuvable",
]
# Knowledge-base search, alerts, programme and network pages: scanned in one test (one site
# built, one browser page) to keep the browser suite short.
LATER_PAGE_NAMES = [
    "recherche",
    "recherche-resultats",
    "recherche-facettes",
    "recherche-sans-resultat",
    "alertes",
    "alertes-erreur",
    "programme",
    "consultations",
    "consultations-filtrees",
    "consultations-index",
    "consultation",
    "annuaire",
    "trouver-mon-dla",
    "trouver-mon-dla-reponse",
    "trouver-mon-dla-choix",
    "trouver-mon-dla-inconnu",
    "trouver-mon-dla-sans-reseau",
    "programmes",
    "ressources-tous",
    "donnees",
    "donnees-api",
]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        message = f"axe-core absent ({AXE_JS}) : lancez .ci/fetch-axe"
        if os.environ.get("CRDLA_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, axe_source):
    """Run axe in the page (evaluated, so the site's CSP does not get in the way)."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


# A wide screen and a phone: the menu and the search facets change form below 48rem.
WIDTHS = [1366, 390]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_public_page_has_no_wcag_violation(name, width, page, site_url, home, axe_source):
    page.set_viewport_size({"width": width, "height": 900})
    site = build_public_site(home)
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_errors.append(message.text)
        ),
    )
    if name == "connexion-erreur":
        page.goto(site_url("/connexion/"))
        page.get_by_role("button", name="Se connecter").last.click()
        page.wait_for_load_state()
        assert page.locator(".error, .form-errors").count() > 0
    else:
        response = page.goto(site_url(public_urls(site)[name]))
        assert response.status == (404 if name == "page-introuvable" else 200)
    violations = axe_violations(page, axe_source)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=2)
    assert csp_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_search_network_and_programme_pages_have_no_wcag_violation(
    width, page, site_url, home, axe_source
):
    page.set_viewport_size({"width": width, "height": 900})
    site = add_network_and_search_pages(build_public_site(home))
    urls = network_and_search_urls(site)
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_errors.append(message.text)
        ),
    )
    problems = {}
    for name in LATER_PAGE_NAMES:
        if name == "alertes-erreur":
            page.goto(site_url("/alertes/"))
            page.get_by_role("textbox", name="Adresse électronique").fill("pas-une-adresse")
            page.get_by_role("button", name="S'inscrire").click()
            page.wait_for_load_state()
            assert page.get_by_text("n'est pas valide").count() > 0
        else:
            response = page.goto(site_url(urls[name]))
            assert response.status == 200, name
        violations = axe_violations(page, axe_source)
        if violations or csp_errors:
            problems[name] = {"axe": violations, "csp": list(csp_errors)}
        csp_errors.clear()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=2)
    # The pages really show what they are about.
    page.goto(site_url(urls["recherche-resultats"]))
    assert page.locator(".result-list li").count() >= 1
    page.goto(site_url(urls["recherche-facettes"]))
    assert page.locator(".search-facets input[type=checkbox]:checked").count() == 3
    # No sideways scrolling, even on a phone.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow
    page.goto(site_url(urls["consultations"]))
    assert page.get_by_role("link", name=site["call"].title).count() == 1


def test_no_page_scrolls_sideways_at_320_px(page, site_url, home):
    """The smallest phone width WCAG 1.4.10 (reflow) asks for: nothing wider than the screen."""
    page.set_viewport_size({"width": 320, "height": 640})
    site = add_network_and_search_pages(build_public_site(home))
    urls = {**public_urls(site), **network_and_search_urls(site)}
    wide = {}
    for name, url in urls.items():
        if url is None:
            continue
        page.goto(site_url(url))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide[name] = overflow
    assert wide == {}
