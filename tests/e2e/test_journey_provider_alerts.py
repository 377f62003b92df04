"""Journey: a provider subscribes to the alerts, confirms from the e-mail, receives the alert
when a DLA officer publishes a call for tenders in the Wagtail admin, and unsubscribes in one
click from the alert's link.

E-mails are read from Django's locmem backend: the live server runs in this process.
"""

import re

from django.core import mail
from playwright.sync_api import expect

from crdla.network.models import AlertSubscription
from tests.e2e.test_journey_resource_publication import admin_login, open_footer_action
from tests.network.factories import CallForTendersPageFactory

EMAIL = "cabinet@example.org"
CONSENT = re.compile("J'accepte que les centres")


def link_in(message, word, base_url):
    url = re.search(rf"http://[^\s]+/alertes/{word}/[^\s]+/", message.body).group(0)
    return url.replace("http://testserver", base_url)


def test_provider_subscribes_confirms_is_alerted_and_unsubscribes(
    browser,
    page,
    live_server,
    site_url,
    calls_index,
    culture_sector,
    officer51,
):
    # 1. Subscription, with a first error then a valid form; nothing is pre-ticked.
    page.goto(site_url("/alertes/"))
    expect(page.locator("h1")).to_have_text("Recevoir les consultations des DLA par courriel")
    expect(page.get_by_label(CONSENT)).not_to_be_checked()
    page.get_by_role("textbox", name="Adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("n'est pas valide")).to_be_visible()
    assert not AlertSubscription.objects.exists()

    page.get_by_role("textbox", name="Adresse électronique").fill(EMAIL)
    page.get_by_label("Culture", exact=True).check()
    page.get_by_role("listbox", name="Départements").select_option(["51", "10"])
    page.get_by_label(CONSENT).check()
    page.get_by_role("button", name="S'inscrire").click()
    page.wait_for_url(re.compile("/alertes/verifiez-vos-courriels/"))
    expect(page.locator("h1")).to_have_text("Vérifiez vos courriels")

    # 2. Confirmation from the e-mail (opening the link alone confirms nothing).
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    page.goto(link_in(mail.outbox[-1], "confirmer", live_server.url))
    assert AlertSubscription.objects.get().confirmed_at is None
    page.get_by_role("button", name="Je confirme mon inscription").click()
    expect(page.get_by_text("Votre inscription est confirmée")).to_be_visible()
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is not None
    assert sorted(subscription.departements.values_list("code", flat=True)) == ["10", "51"]

    # 3. A DLA officer publishes a call for tenders (a draft) from the Wagtail admin.
    call = CallForTendersPageFactory(
        parent=calls_index, sector=culture_sector, live=False, title="Accompagnement billetterie"
    )
    call.save_revision()
    officer = browser.new_context(locale="fr-FR").new_page()
    admin_login(officer, site_url, officer51.username)
    officer.goto(site_url(f"/admin/pages/{call.pk}/edit/"))
    officer.locator("#id_lots-0-title").fill("Diagnostic de la billetterie")
    officer.locator("#id_lots-0-days").fill("4")
    officer.locator("#id_lots-0-ceiling").fill("3200")
    open_footer_action(officer, "action-publish")
    expect(officer.locator(".messages")).to_contain_text(call.title)
    call.refresh_from_db()
    assert call.live
    officer.context.close()

    # 4. The alert arrives, with a one-click unsubscribe link.
    alerts = [m for m in mail.outbox if call.reference in m.subject]
    assert [m.to for m in alerts] == [[EMAIL]]
    page.goto(link_in(alerts[0], "desinscription", live_server.url))
    expect(page.locator("h1")).to_have_text("Se désinscrire des alertes")
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.locator("h1")).to_have_text("Vous êtes désinscrit·e")
    assert not AlertSubscription.objects.exists()

    # The public listing shows the call.
    page.goto(site_url("/consultations/"))
    expect(page.get_by_role("link", name=re.compile(call.title))).to_be_visible()
