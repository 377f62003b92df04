"""Screenshots of the demo site at 1366 px and 390 px, with the browser the tests use.

Start the demo site first (``make run``, or any address with the demo loaded), then:

    .venv/bin/python docs/screenshots/make_screenshots.py [--base-url http://127.0.0.1:8000]

Writes one PNG per page and width into this folder (``<page>-<width>.png``): the first screen,
as a visitor sees it on arrival. The committee inbox is taken as ``comite.avise`` (demo account).
"""

import argparse
import datetime
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CRDLA_CHROMIUM", "/usr/bin/chromium")
WIDTHS = {1366: 900, 390: 844}
DEMO_PASSWORD = "demo-crdla-2026"


def pages(year):
    """(name, path or a function of the Playwright page returning a path, needs login)."""

    def first_resource(page):
        page.goto("/culture/ressources/")
        return page.locator(".card-title a").first.get_attribute("href")

    def inbox(page):
        page.goto("/pilotage/")
        return page.get_by_role("link", name="Mes tâches").get_attribute("href")

    return [
        ("accueil", "/", False),
        ("centre", "/culture/", False),
        ("ressource", first_resource, False),
        ("recherche", "/recherche/?q=tr%C3%A9sorerie", False),
        ("programmes", "/programmes/", False),
        ("programme", f"/culture/programme-{year - 1}/", False),
        ("annuaire", "/annuaire-des-dla/", False),
        ("alertes", "/alertes/", False),
        ("pilotage", inbox, True),
    ]


def log_in(page, username):
    page.goto("/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    year = datetime.date.today().year
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for width, height in WIDTHS.items():
            context = browser.new_context(
                base_url=args.base_url,
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                locale="fr-FR",
            )
            page = context.new_page()
            logged_in = False
            for name, target, needs_login in pages(year):
                if needs_login and not logged_in:
                    log_in(page, "comite.avise")
                    logged_in = True
                path = target(page) if callable(target) else target
                page.goto(path)
                page.wait_for_load_state("networkidle")
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    print(f"  ! {name} at {width} px scrolls sideways by {overflow} px")
                page.screenshot(path=HERE / f"{name}-{width}.png")
                print(f"{name}-{width}.png  {path}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
