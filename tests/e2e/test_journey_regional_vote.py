"""Journey: the network's animator puts the regional programme to the vote, each DLA officer
of the network logs in and votes "pour" from /reseaux/vote/; unanimity adopts the programme and
publishes it in the network's intranet, which the officers (and only they) can read.

The programme's actions are written beforehand through the real HTTP views (see
``tests.network.test_vote__unanimity``): the journey is about the vote.
"""

import re

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from crdla.network.models import IntranetNewsPage, RegionalProgramme, RegionalProgrammeStatus


def draft_programme(animator):
    client = Client()
    client.force_login(animator)
    client.post(
        reverse("network:programme-create"),
        {"year": 2027, "title": "Programme commun 2027", "introduction": "Nos priorités."},
    )
    programme = RegionalProgramme.objects.get()
    response = client.post(
        reverse("network:programme-edit", args=[programme.pk]),
        {
            "year": 2027,
            "title": "Programme commun 2027",
            "introduction": "Nos priorités.",
            "actions-TOTAL_FORMS": 1,
            "actions-INITIAL_FORMS": 0,
            "actions-MIN_NUM_FORMS": 0,
            "actions-MAX_NUM_FORMS": 1000,
            "actions-0-need": "temps",
            "actions-0-title": "Banque de trames partagées",
            "actions-0-order": 1,
        },
    )
    assert response.status_code == 302
    return programme


def test_officers_vote_the_regional_programme_unanimously(
    browser, page, site_url, login, intranet, animator, officer51, officer10
):
    programme = draft_programme(animator)

    # 1. The animator submits it to the vote from the programme page.
    login(page, animator.username, next_path="/reseaux/vote/")
    page.get_by_role("link", name="Programme commun 2027").click()
    page.get_by_role("button", name="Soumettre au vote des chargés de mission").click()
    expect(page.get_by_role("heading", name="Vote en cours")).to_be_visible()
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.VOTING

    # 2. Each officer logs in and votes "pour".
    for officer in (officer51, officer10):
        page.context.clear_cookies()
        login(page, officer.username, next_path="/reseaux/vote/")
        page.get_by_role("link", name="Programme commun 2027").click()
        expect(page.get_by_role("heading", name="Votre vote")).to_be_visible()
        page.get_by_label("Pour", exact=True).check()
        page.get_by_role("button", name="Voter").click()
        page.wait_for_load_state()
        if officer == officer51:
            expect(page.get_by_text("Vous avez voté « Pour ».")).to_be_visible()

    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.ADOPTED

    # 3. The adopted programme is published in the intranet: the officer reads it there,
    # an anonymous visitor is sent to the login page.
    news = IntranetNewsPage.objects.get()
    page.goto(site_url(intranet.url))
    expect(page.get_by_role("link", name=re.compile("2027")).first).to_be_visible()
    page.goto(site_url(news.url))
    expect(page.get_by_text("Banque de trames partagées").first).to_be_visible()
    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(site_url(news.url))
    expect(visitor).to_have_url(re.compile(r"/connexion/\?next="))
    visitor.context.close()
