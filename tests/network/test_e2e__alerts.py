"""Browser journey (Playwright + Debian chromium): a provider subscribes, then confirms."""

import os
import re
import shutil

import pytest
from django.core import mail

from crdla.network.models import AlertSubscription

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(CHROMIUM is None, reason="chromium absent"),
]


@pytest.fixture
def browser_page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are
    # still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="fr-FR")
        yield page
        browser.close()


def test_provider_subscribes_and_confirms(live_server, home, culture_sector, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/alertes/")
    assert page.locator("h1").inner_text() == "Recevoir les consultations des DLA par courriel"
    assert not page.get_by_label(re.compile("J'accepte que les centres")).is_checked()

    page.get_by_role("textbox", name="Adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="S'inscrire").click()
    assert "n'est pas valide" in page.content()
    assert not AlertSubscription.objects.exists()

    page.get_by_role("textbox", name="Adresse électronique").fill("cabinet@example.org")
    page.get_by_label("Culture", exact=True).check()
    page.get_by_role("listbox", name="Départements").select_option(["51", "10"])
    page.get_by_label(re.compile("J'accepte que les centres")).check()
    page.get_by_role("button", name="S'inscrire").click()
    page.wait_for_url(re.compile("/alertes/verifiez-vos-courriels/"))
    assert page.locator("h1").inner_text() == "Vérifiez vos courriels"

    confirm = re.search(r"http://[^\s]+/alertes/confirmer/[^\s]+/", mail.outbox[-1].body).group(0)
    page.goto(confirm.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Je confirme mon inscription").click()
    assert "Votre inscription est confirmée" in page.content()
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is not None
    assert sorted(subscription.departements.values_list("code", flat=True)) == ["10", "51"]
