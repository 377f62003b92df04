# ruff: noqa: F811 (the network and workflows fixtures are imported, then requested by name)
"""Every kind of e-mail the platform sends, triggered the way users and workers trigger it.

Each is checked alike (``crdla.core.emails`` builds them all): a one-line plain-text subject
(no HTML entity such as ``&#x27;``), a text part and an HTML part, and every link absolute,
starting with the site's root URL (the default Wagtail Site's address). Titles carry
apostrophes so that an escaped subject or text part shows.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from crdla.network.alerts import preferences_url
from crdla.network.flows import cast_vote, start_programme, submit_programme
from crdla.network.models import AlertSubscription, RegionalVote
from crdla.network.tasks import renew_consents
from crdla.network.vote import remind_pending_voters
from crdla.outbox.models import SentEmail
from tests.network.conftest import (  # noqa: F401 (fixtures)
    animator,
    calls_index,
    culture_sector,
    dla10,
    dla51,
    grand_est,
    intranet,
    officer10,
    officer51,
)
from tests.network.factories import AlertSubscriptionFactory, CallForTendersPageFactory, add_lot
from tests.workflows.conftest import (  # noqa: F401 (fixtures)
    chair,
    committee,
    pilotage,
)
from workflows.tasks import send_task_notification

pytestmark = pytest.mark.django_db

ROOT = "https://crdla.example.org"
HREF = re.compile(r"""\bhref=["']([^"']+)["']""")
TEXT_URL = re.compile(r"https?://[^\s<>«»\"]+")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-z]+);")


@pytest.fixture(autouse=True)
def site_address(home):
    Site.objects.filter(is_default_site=True).update(hostname="crdla.example.org", port=443)


def check(message):
    """The checks every e-mail passes; returns its HTML part."""
    assert message.subject and "\n" not in message.subject and "\r" not in message.subject
    assert message.subject == " ".join(message.subject.split())
    assert not ENTITY.search(message.subject), message.subject
    assert message.body.strip(), "a text part"
    assert not ENTITY.search(message.body), "the text part is not HTML-escaped"
    parts = {mime: body for body, mime in message.alternatives}
    assert parts.get("text/html", "").strip(), "an HTML part"
    links = [html.unescape(link) for link in HREF.findall(parts["text/html"])]
    text_links = TEXT_URL.findall(message.body)
    assert links and text_links, "links in both parts"
    for link in links + text_links:
        assert link.startswith(ROOT + "/"), link
    for header in ("List-Unsubscribe",):
        if header in message.extra_headers:
            assert message.extra_headers[header].startswith(f"<{ROOT}/")
    return parts["text/html"]


def only(mailoutbox, to=None):
    messages = [m for m in mailoutbox if to is None or m.to == [to]]
    assert messages, [m.to for m in mailoutbox]
    return messages


# --- provider alerts ---------------------------------------------------------------------


def test_alert_subscription_confirmation(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:alerts-subscribe"), {"email": "asso@example.org", "consent": "on"}
        )
    assert response.status_code == 302
    (message,) = only(mailoutbox, "asso@example.org")
    check(message)
    assert f"{ROOT}/alertes/" in message.body


def test_alert_reconsent(mailoutbox, django_capture_on_commit_callbacks):
    stale = AlertSubscriptionFactory(
        last_activity_at=timezone.now() - datetime.timedelta(days=3 * 365 + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert renew_consents()["asked"] == 1
    (message,) = only(mailoutbox, stale.email)
    check(message)


def test_call_for_tenders_alert(
    calls_index, culture_sector, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = AlertSubscriptionFactory(email="veille@example.org")
    # Links built under an earlier address of the site are not reused (a worker outlives it).
    Site.objects.filter(is_default_site=True).update(hostname="ancienne.example.org", port=80)
    assert preferences_url(subscriber).startswith("http://ancienne.example.org/")
    Site.objects.filter(is_default_site=True).update(hostname="crdla.example.org", port=443)
    call = CallForTendersPageFactory(
        parent=calls_index, sector=culture_sector, title="Appel d'offres « l'été des assos »"
    )
    add_lot(call)
    with django_capture_on_commit_callbacks(execute=True):
        call.save_revision().publish()
    (message,) = only(mailoutbox, subscriber.email)
    check(message)
    assert "Appel d'offres « l'été des assos »" in message.subject
    assert AlertSubscription.objects.filter(pk=subscriber.pk).exists()


# --- the regional vote -------------------------------------------------------------------


def test_vote_opening_reminder_and_outcome(
    grand_est,
    intranet,
    animator,
    officer51,
    officer10,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        programme = start_programme(grand_est, 2027, "Programme d'été", animator)
        programme.actions.create(need="temps", title="Banque de trames")
        assert submit_programme(programme)
    opening = only(mailoutbox, officer51.email)
    check(opening[-1])
    assert "programme commun 2027" in opening[-1].subject

    mailoutbox.clear()
    programme.refresh_from_db()
    type(programme).objects.filter(pk=programme.pk).update(
        vote_opened_at=timezone.now() - datetime.timedelta(days=4)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_pending_voters() == 2
    check(only(mailoutbox, officer10.email)[-1])

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(programme, officer51, "pour", "")
        cast_vote(programme, officer10, "pour", "")
    assert not RegionalVote.objects.filter(programme=programme, choice="").exists()
    outcome = only(mailoutbox, animator.email)
    check(outcome[-1])
    assert "adopté" in outcome[-1].subject


# --- accounts ------------------------------------------------------------------------------


def test_password_reset(client, dla_officer, mailoutbox, django_capture_on_commit_callbacks):
    dla_officer.email = "cm@example.org"
    dla_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mot-de-passe-oublie/", {"email": "cm@example.org"})
    (message,) = only(mailoutbox, "cm@example.org")
    check(message)
    assert "/nouveau-mot-de-passe/" in message.body


# --- the programme process -------------------------------------------------------------------


def test_programme_task_opened_reminder_and_decision(
    pilotage, culture, culture_editor, committee, chair, mailoutbox
):
    culture.title = "Centre d'appui"
    culture.save()
    from tests.workflows.conftest import fill_programme

    programme = pilotage.start(culture_editor, culture, title="Programme d'actions 2026")
    fill_programme(programme)
    mailoutbox.clear()
    pilotage.submit(culture_editor, programme)
    opened = only(mailoutbox, committee["cdc"].email)
    check(opened[-1])
    assert "Programme d'actions 2026" in opened[-1].subject

    mailoutbox.clear()
    task = pilotage.open_task(programme, "review_cdc")
    assert send_task_notification.delay(task.pk, "reminder").get() == 1
    assert send_task_notification.delay(task.pk, "reminder").get() == 0, "sent once"
    check(only(mailoutbox, committee["cdc"].email)[-1])

    pilotage.review_all(committee, programme)
    mailoutbox.clear()
    assert pilotage.decide(chair, programme, "approve").status_code == 302
    decided = only(mailoutbox, culture_editor.email)
    check(decided[-1])
    assert SentEmail.objects.filter(event__startswith="workflows:decided:").exists()
