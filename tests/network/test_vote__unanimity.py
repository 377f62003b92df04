"""Common programme: one "contre" sends it back to draft, unanimity adopts and publishes it;
each step is taken by the people its transition allows (``crdla.network.flows``), others 403."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from crdla.accounts import roles
from crdla.network.models import (
    IntranetNewsPage,
    RegionalProgramme,
    RegionalProgrammeStatus,
    RegionalVote,
)
from crdla.network.vote import remind_pending_voters
from crdla.outbox.models import OutboxMessage, OutboxStatus
from crdla.outbox.service import sweep
from tests.outbox.faults import make_due, smtp_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(client, intranet, animator, django_capture_on_commit_callbacks):
    client.force_login(animator)
    response = client.post(
        reverse("network:programme-create"),
        {"year": 2027, "title": "Programme commun 2027", "introduction": "Nos priorités."},
    )
    programme = RegionalProgramme.objects.get()
    assert response["Location"] == reverse("network:programme-edit", args=[programme.pk])
    response = client.post(
        reverse("network:programme-edit", args=[programme.pk]),
        {
            "year": 2027,
            "title": "Programme commun 2027",
            "introduction": "Nos priorités.",
            "actions-TOTAL_FORMS": 2,
            "actions-INITIAL_FORMS": 0,
            "actions-MIN_NUM_FORMS": 0,
            "actions-MAX_NUM_FORMS": 1000,
            "actions-0-need": "temps",
            "actions-0-title": "Banque de trames partagées",
            "actions-0-order": 1,
            "actions-1-need": "isolement",
            "actions-1-title": "Rencontres trimestrielles",
            "actions-1-order": 2,
        },
    )
    assert response.status_code == 302
    return programme


def submit(client, programme, capture):
    with capture(execute=True):
        return client.post(reverse("network:programme-submit", args=[programme.pk]))


def vote(client, user, programme, choice, comment="", capture=None):
    client.force_login(user)
    with capture(execute=True):
        return client.post(
            reverse("network:programme-vote", args=[programme.pk]),
            {"choice": choice, "comment": comment},
        )


def test_one_contre_loops_back_then_unanimity_adopts(
    client, programme, animator, officer51, officer10, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert programme.status == RegionalProgrammeStatus.DRAFT
    submit(client, programme, capture)
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.VOTING
    assert programme.round == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer51.email, officer10.email])
    assert RegionalVote.objects.filter(programme=programme, round=1).count() == 2

    vote(client, officer51, programme, "pour", capture=capture)
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.VOTING  # not everyone has voted

    # A second vote by the same officer is refused.
    assert vote(client, officer51, programme, "contre", "x", capture=capture).status_code == 403

    response = vote(client, officer10, programme, "contre", "", capture=capture)
    assert response.status_code == 400
    assert "Expliquez votre objection" in response.content.decode()
    mail.outbox.clear()
    vote(client, officer10, programme, "contre", "Le budget manque.", capture=capture)
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.DRAFT
    assert "Le budget manque." in programme.objections
    assert any("renvoyé en rédaction" in m.subject for m in mail.outbox)

    # The animator sees the objections, edits and submits again: round 2.
    client.force_login(animator)
    page = client.get(reverse("network:programme-detail", args=[programme.pk]))
    assert "Le budget manque." in page.content.decode()
    submit(client, programme, capture)
    programme.refresh_from_db()
    assert programme.round == 2
    vote(client, officer51, programme, "pour", capture=capture)
    vote(client, officer10, programme, "pour", "Merci pour la prise en compte.", capture=capture)

    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.ADOPTED
    assert programme.adopted_at is not None
    assert not programme.objections
    news = IntranetNewsPage.objects.get()
    assert news.live and "2027" in news.title
    client.force_login(officer51)
    intranet_page = client.get(news.get_parent().url).content.decode()
    assert "Banque de trames partagées" in intranet_page


def test_permissions_per_role(client, programme, officer51, officer35, make_user):
    detail = reverse("network:programme-detail", args=[programme.pk])
    client.logout()
    assert client.get(detail).status_code == 302
    client.force_login(officer35)
    assert client.get(detail).status_code == 403
    client.force_login(officer51)
    assert client.get(detail).status_code == 200
    assert client.get(reverse("network:programme-edit", args=[programme.pk])).status_code == 403
    assert client.post(reverse("network:programme-submit", args=[programme.pk])).status_code == 403
    assert client.get(reverse("network:programme-create")).status_code == 403


def test_submit_requires_an_action(client, intranet, animator, django_capture_on_commit_callbacks):
    client.force_login(animator)
    client.post(reverse("network:programme-create"), {"year": 2028, "title": "Vide"})
    programme = RegionalProgramme.objects.get(year=2028)
    submit(client, programme, django_capture_on_commit_callbacks)
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.DRAFT


def test_reminders_for_pending_voters(
    client, programme, officer51, officer10, django_capture_on_commit_callbacks
):
    submit(client, programme, django_capture_on_commit_callbacks)
    vote(client, officer51, programme, "pour", capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        assert remind_pending_voters() == 0  # too early
    RegionalProgramme.objects.filter(pk=programme.pk).update(
        vote_opened_at=timezone.now() - datetime.timedelta(days=4)
    )
    with capture(execute=True):
        assert remind_pending_voters() == 1
    assert [m.to for m in mail.outbox] == [[officer10.email]]
    with capture(execute=True):
        assert remind_pending_voters() == 0  # once a day
    assert len(mail.outbox) == 1


def test_vote_emails_wait_in_the_outbox_while_the_mail_server_is_down(
    client, programme, officer51, officer10, settings, django_capture_on_commit_callbacks
):
    """Issue 12: the round opens although the mail server is down; each officer's e-mail is
    an outbox row with a French reason, sent once by the sweep when the server is back."""
    with smtp_down(settings):
        response = submit(client, programme, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.VOTING
    assert RegionalVote.objects.filter(programme=programme).count() == 2
    rows = OutboxMessage.objects.filter(task="crdla.outbox.tasks.send_email")
    assert sorted(row.args[0] for row in rows) == sorted([officer51.email, officer10.email])
    assert {row.status for row in rows} == {OutboxStatus.FAILED}
    assert all("courriel ou recherche) était injoignable" in row.reason for row in rows)
    assert not mail.outbox
    make_due()
    sweep()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer51.email, officer10.email])
    assert all("votre avis est attendu" in m.subject for m in mail.outbox)
    assert {row.status for row in rows.all()} == {OutboxStatus.DONE}
    make_due()
    sweep()
    assert len(mail.outbox) == 2


@pytest.fixture
def bretagne_animator(make_user, bretagne):
    user = make_user("animateur.bretagne", roles.ANIMATORS)
    user.profile.network = bretagne
    user.profile.save()
    return user


def test_only_the_networks_animator_submits(
    client,
    programme,
    animator,
    officer51,
    officer35,
    bretagne_animator,
    django_capture_on_commit_callbacks,
):
    """The ``submit`` transition: an animator of the programme's network, nobody else."""
    url = reverse("network:programme-submit", args=[programme.pk])
    detail = reverse("network:programme-detail", args=[programme.pk])
    for user in (officer51, officer35, bretagne_animator):
        client.force_login(user)
        assert client.post(url).status_code == 403, user
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.DRAFT and programme.round == 0

    client.force_login(animator)
    assert "Soumettre au vote des chargés de mission" in client.get(detail).content.decode()
    response = submit(client, programme, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.VOTING and programme.round == 1
    # A second click is no new round, but a message.
    response = submit(client, programme, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.round == 1
    page = client.get(detail).content.decode()
    assert "plus en rédaction" in page
    assert "Soumettre au vote des chargés de mission" not in page


def test_only_the_networks_officers_vote(
    client,
    programme,
    animator,
    officer51,
    officer10,
    officer35,
    bretagne_animator,
    make_user,
    dla51,
    grand_est,
    django_capture_on_commit_callbacks,
):
    """The ``vote`` transition: the officers given a ballot when the round opened, once."""
    capture = django_capture_on_commit_callbacks
    client.force_login(animator)
    # Nobody votes on a draft.
    assert vote(client, officer51, programme, "pour", capture=capture).status_code == 403
    client.force_login(animator)
    submit(client, programme, capture)
    latecomer = make_user("cm.dla51bis", roles.DLA_OFFICERS)
    latecomer.profile.dla, latecomer.profile.network = dla51, grand_est
    latecomer.profile.save()
    for user in (animator, officer35, bretagne_animator, latecomer):
        assert vote(client, user, programme, "pour", capture=capture).status_code == 403, user
        if user in (animator, latecomer):  # of the network: the page shows no vote form
            page = client.get(reverse("network:programme-detail", args=[programme.pk]))
            assert "Votre vote" not in page.content.decode()
    assert not RegionalVote.objects.filter(programme=programme).exclude(choice="").exists()

    client.force_login(officer51)
    page = client.get(reverse("network:programme-detail", args=[programme.pk])).content.decode()
    assert "Votre vote" in page
    assert vote(client, officer51, programme, "pour", capture=capture).status_code == 302
    assert vote(client, officer51, programme, "pour", capture=capture).status_code == 403
    assert vote(client, officer10, programme, "pour", capture=capture).status_code == 302
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.ADOPTED
