"""Journeys from the login page to the work done, through each role's dashboard alone (no
typed URL after the login page): an expert writes a resource and submits it, a committee
member gives a review, a DLA officer publishes a call for tenders (issue 17).

Each journey counts its clicks and saves a screenshot of the role's dashboard (1366 px wide)
in docs/screenshots/.
"""

import re
from contextlib import nullcontext
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from crdla.network.models import CallForTendersPage
from crdla.resources.models import ResourcePage
from tests.factories import ResourcePageFactory
from tests.network.factories import IntranetPageFactory
from tests.workflows.conftest import Pilotage, fill_programme
from workflows.models import CommitteeReview

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH = 1366


@pytest.fixture
def desk(browser):
    """A fresh browser tab 1366 px wide, and a click counter."""
    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": 900})
    tab = context.new_page()
    tab.clicks = 0
    yield tab
    context.close()


def click(tab, locator):
    locator.click()
    tab.clicks += 1


def sign_in(tab, site_url, username, password="motdepasse-test"):
    """The only typed address: the login page."""
    tab.goto(site_url("/connexion/"))
    tab.get_by_label("Nom d’utilisateur").fill(username)
    tab.get_by_label("Mot de passe").fill(password)
    click(tab, tab.get_by_role("button", name="Se connecter").last)
    tab.wait_for_load_state()


def screenshot(tab, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def footer_action(tab, name):
    click(tab, tab.locator("footer [data-w-dropdown-target='toggle']").first)
    click(tab, tab.locator(f"footer button[name='{name}']"))


def test_expert_writes_and_submits_from_the_dashboard(
    desk, site_url, culture_index, culture_expert
):
    sign_in(desk, site_url, culture_expert.username)
    expect(desk).to_have_url(re.compile(r"/admin/$"))
    panel = desk.get_by_role("region", name="Mes ressources")
    expect(panel).to_contain_text("Mes brouillons")
    screenshot(desk, "dashboard-expert")

    click(desk, panel.get_by_role("link", name="Rédiger une ressource"))
    expect(desk).to_have_url(re.compile(r"/admin/pages/add/resources/resourcepage/\d+/"))
    desk.locator("#id_title").fill("Fiche pratique : la billetterie solidaire")
    desk.locator("#id_kind").select_option("fiche_pratique")
    desk.locator("#id_summary").fill("Proposer des places à prix solidaire dans un lieu culturel.")
    centre_sector = culture_index.get_parent().specific.sector
    expect(desk.locator(f"input[name=sectors][value='{centre_sector.pk}']")).to_be_checked()
    footer_action(desk, "action-submit")
    expect(desk.locator(".messages")).to_contain_text("billetterie solidaire")

    resource = ResourcePage.objects.get(title__contains="billetterie solidaire")
    assert resource.current_workflow_state.status == "in_progress"
    assert list(resource.sectors.values_list("pk", flat=True)) == [centre_sector.pk]
    print(f"\nexpert: {desk.clicks} clics de la connexion à la soumission")
    assert desk.clicks <= 4


def test_editor_publishes_a_submitted_resource_from_the_dashboard(
    desk, site_url, culture_index, culture_expert, culture_editor
):
    resource = ResourcePageFactory(
        parent=culture_index, title="Fiche : la billetterie solidaire", live=False
    )
    resource.save_revision(user=culture_expert)
    resource.get_workflow().start(resource, culture_expert)

    sign_in(desk, site_url, culture_editor.username)
    expect(desk).to_have_url(re.compile(r"/admin/$"))
    click(desk, desk.locator("#awaiting-review-content").get_by_role("link", name=resource.title))
    click(desk, desk.locator("footer [data-w-dropdown-target='toggle']").first)
    # One way to publish while the moderation runs: « Approuver et publier », no « Publier ».
    expect(desk.locator("footer button[name='action-publish']")).to_have_count(0)
    click(
        desk,
        desk.locator(
            "footer button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
        ),
    )
    expect(desk.locator(".messages")).to_contain_text(resource.title)
    resource.refresh_from_db()
    assert resource.live
    print(f"\néditeur·rice : {desk.clicks} clics de la connexion à la publication")
    assert desk.clicks <= 4


def test_committee_member_reviews_from_the_inbox(
    desk, site_url, culture, culture_editor, committee
):
    pilotage = Pilotage(Client(), lambda execute=True: nullcontext())
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    pilotage.submit(culture_editor, programme)
    member = committee["dgefp"]

    sign_in(desk, site_url, member.username)
    expect(desk).to_have_url(re.compile(r"/pilotage/inbox/$"))
    expect(desk.get_by_role("columnheader", name="Échéance")).to_be_visible()
    screenshot(desk, "dashboard-committee")

    click(desk, desk.get_by_role("link", name=re.compile("^Avis —")).first)
    desk.wait_for_load_state()
    if desk.get_by_role("button", name="Rendre mon avis").count() == 0:
        click(desk, desk.get_by_role("link", name=re.compile("Exécuter|Traiter|Rendre")).first)
    expect(desk.locator(".submitted-programme")).to_be_visible()  # open, not folded
    click(desk, desk.get_by_label("Favorable", exact=True))
    desk.get_by_label(re.compile("Commentaire")).fill("Programme solide.")
    click(desk, desk.get_by_role("button", name="Rendre mon avis"))
    desk.wait_for_load_state()
    assert CommitteeReview.objects.filter(programme=programme, reviewer=member).exists()
    print(f"\ncomité : {desk.clicks} clics de la connexion à l'avis rendu")
    assert desk.clicks <= 5


def test_dla_officer_publishes_a_call_from_the_dashboard(
    desk, site_url, grand_est, calls_index, officer10, dla10, culture_sector
):
    IntranetPageFactory(parent=grand_est)
    sign_in(desk, site_url, officer10.username)
    expect(desk).to_have_url(re.compile(r"/admin/$"))
    panel = desk.get_by_role("region", name="Mon réseau DLA")
    expect(panel.get_by_role("link", name=re.compile("Intranet"))).to_be_visible()
    expect(panel.get_by_role("link", name="Espaces d'échanges")).to_be_visible()
    screenshot(desk, "dashboard-dla-officer")

    click(desk, panel.get_by_role("link", name="Publier une consultation"))
    expect(desk).to_have_url(re.compile(r"/admin/pages/add/network/callfortenderspage/\d+/"))
    expect(desk.locator("#id_dla")).to_have_value(str(dla10.pk))
    expect(desk.locator("#id_departement")).to_have_value(str(dla10.departement_id))
    desk.locator("#id_title").fill("Accompagnement à la stratégie de mécénat")
    desk.locator("#id_reference").fill("DLA10-2026-001")
    desk.locator("#id_kind").select_option("individuel")
    desk.locator("#id_structure_type").fill("Association employeuse")
    desk.locator("#id_sector").select_option(str(culture_sector.pk))
    desk.locator("#id_structure_size").select_option("1-9")
    editor = desk.locator("[data-contentpath='description'] [contenteditable='true']")
    click(desk, editor)
    editor.type("Structurer une stratégie de mécénat sur deux ans.")
    desk.locator("#id_lots-0-title").fill("Diagnostic et plan d'action")
    desk.locator("#id_lots-0-days").fill("4")
    desk.locator("#id_lots-0-ceiling").fill("3200")
    desk.locator("#id_deadline").fill("15/01/2099 12:00")
    footer_action(desk, "action-publish")
    expect(desk.locator(".messages")).to_contain_text("mécénat")

    call = CallForTendersPage.objects.get(reference="DLA10-2026-001")
    assert call.live and call.dla_id == dla10.pk
    assert list(call.territories.values_list("pk", flat=True)) == [dla10.departement_id]
    print(f"\nchargé·e de mission : {desk.clicks} clics de la connexion à la publication")
    assert desk.clicks <= 5
