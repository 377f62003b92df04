"""What the common programme vote sends and publishes: its e-mails, its intranet news item.

The vote itself (rounds, ballots, who may do what) is the status machine of ``flows``, which
calls these. Every e-mail of the vote (round open, outcome, reminders) is one outbox row per
recipient, written in the transaction that causes it: a mail server or a broker that is down
delays the e-mail (the outbox sweep retries it) and never loses it or fails the vote.
"""

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crdla.outbox.service import enqueue_email

from .access import network_animators, network_officers
from .alerts import absolute_url
from .models import IntranetNewsPage, IntranetPage, RegionalProgrammeStatus, RegionalVote

REMIND_AFTER = datetime.timedelta(days=3)


def programme_url(programme):
    return absolute_url(reverse("network:programme-detail", args=[programme.pk]))


def notify_round_opened(programme, voters):
    """Each officer given a ballot is asked to vote."""
    subject = _("Vote du programme commun %(year)s : votre avis est attendu") % {
        "year": programme.year
    }
    body = render_to_string(
        "network/emails/vote_open.txt", {"programme": programme, "url": programme_url(programme)}
    )
    for voter in voters:
        if voter.email:
            enqueue_email(
                voter.email, subject, body, event=f"vote:open:{programme.pk}:{programme.round}"
            )


def notify_outcome(programme, objections):
    """The network's animators and officers are told the round's result (with the objections)."""
    body = render_to_string(
        "network/emails/vote_closed.txt",
        {"programme": programme, "objections": objections, "url": programme_url(programme)},
    )
    subject = (
        _("Programme commun %(year)s : renvoyé en rédaction")
        if objections
        else _("Programme commun %(year)s : adopté à l'unanimité")
    ) % {"year": programme.year}
    recipients = {
        u.email
        for u in [*network_animators(programme.network), *network_officers(programme.network)]
        if u.email
    }
    for email in sorted(recipients):
        enqueue_email(email, subject, body, event=f"vote:outcome:{programme.pk}:{programme.round}")


def publish_on_intranet(programme):
    """Publish the adopted programme as a news item of the network's intranet."""
    intranet = IntranetPage.objects.child_of(programme.network).first()
    if intranet is None:
        return None
    body = render_to_string("network/includes/programme_body.html", {"programme": programme})
    news = IntranetNewsPage(
        title=_("Programme commun %(year)s adopté") % {"year": programme.year},
        slug=f"programme-commun-{programme.year}-{programme.pk}",
        intro=_("Le programme commun a été adopté à l'unanimité des chargés de mission."),
        body=[{"type": "paragraph", "value": body}],
    )
    intranet.add_child(instance=news)
    news.save_revision().publish()
    return news


def remind_pending_voters():
    """E-mail the officers whose ballot is still blank after a few days (once a day)."""
    now = timezone.now()
    ballots = RegionalVote.objects.filter(
        choice="",
        programme__status=RegionalProgrammeStatus.VOTING,
        programme__vote_opened_at__lt=now - REMIND_AFTER,
    ).select_related("programme", "voter")
    ballots = [b for b in ballots if b.round == b.programme.round]
    reminded = 0
    for ballot in ballots:
        if ballot.reminded_at and ballot.reminded_at > now - datetime.timedelta(days=1):
            continue
        if not ballot.voter.email:
            continue
        url = programme_url(ballot.programme)
        # The reminder and its date in one transaction: recorded once, sent once.
        with transaction.atomic():
            RegionalVote.objects.filter(pk=ballot.pk).update(reminded_at=now)
            enqueue_email(
                ballot.voter.email,
                _("Rappel : vote du programme commun %(year)s") % {"year": ballot.programme.year},
                render_to_string(
                    "network/emails/vote_reminder.txt", {"programme": ballot.programme, "url": url}
                ),
                event=f"vote:reminder:{ballot.pk}:{now.date().isoformat()}",
            )
        reminded += 1
    return reminded
