"""Journey: a centre editor submits the year's programme, the five committee members each give
their opinion from their task list in /pilotage/, the chair approves, and the public programme
page appears on the centre's site.

The draft's content (one action per axis, indicators, financing) is written through the real
HTTP views beforehand (see ``tests.workflows.conftest``): the journey is about the review.
"""

import re
from contextlib import nullcontext

from django.test import Client
from playwright.sync_api import expect

from crdla.accounts.models import Institution
from tests.workflows.conftest import Pilotage, fill_programme
from workflows.models import CommitteeReview, ProgrammePage, ProgrammeStatus


def open_inbox_task(page, name):
    """Open the task ``name`` from the user's own task list."""
    page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state()
    if page.locator("form button[type=submit].button").count() == 0:
        # The task's page is a summary: go to the form.
        page.get_by_role("link", name=re.compile("Exécuter|Traiter|Rendre")).first.click()


def test_editor_submits_committee_reviews_chair_approves_page_appears(
    browser, page, site_url, login, culture, culture_editor, committee
):
    # Transactional test: on_commit callbacks run for real, nothing to capture.
    pilotage = Pilotage(Client(), lambda execute=True: nullcontext())
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)

    # 1. The editor opens the "draft" task in their inbox and submits it to the committee.
    login(page, culture_editor.username, next_path="/pilotage/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes tâches")
    open_inbox_task(page, "Rédaction et dépôt du programme")
    page.get_by_role("button", name="Soumettre au comité de pilotage").click()
    expect(page.get_by_text(re.compile("soumis", re.I)).first).to_be_visible()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED

    # 2. Each of the five members logs in and gives an opinion from their own task list.
    for institution, member in committee.items():
        page.context.clear_cookies()
        login(page, member.username, next_path="/pilotage/inbox/")
        open_inbox_task(page, re.compile("^Avis —"))
        page.get_by_label("Favorable", exact=True).check()
        page.get_by_label(re.compile("Commentaire")).fill(f"Avis de {institution}.")
        page.get_by_role("button", name="Rendre mon avis").click()
        page.wait_for_load_state()
        assert CommitteeReview.objects.filter(programme=programme, reviewer=member).exists(), (
            institution
        )
    assert CommitteeReview.objects.filter(programme=programme, round=1).count() == 5

    # The public page does not exist before the decision.
    assert not ProgrammePage.objects.filter(programme=programme).exists()

    # 3. The chair approves with the allocated budget.
    page.context.clear_cookies()
    login(page, committee[Institution.PORTEUSE].username, next_path="/pilotage/inbox/")
    open_inbox_task(page, "Décision de la présidence")
    expect(page.get_by_role("cell", name="Avis de cdc.")).to_be_visible()
    page.get_by_label("Valider le programme").check()
    page.get_by_label("Motivation").fill("Programme cohérent avec les besoins des DLA.")
    page.get_by_label(re.compile("[Bb]udget")).fill("4000")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED

    # 4. An anonymous visitor reads the public programme page.
    public = ProgrammePage.objects.get(programme=programme)
    visitor = browser.new_context(locale="fr-FR").new_page()
    response = visitor.goto(site_url(public.url))
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(str(programme.year))
    expect(visitor.get_by_text("Action de l'axe 1").first).to_be_visible()
    visitor.context.close()
