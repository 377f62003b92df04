"""Services of the common programme vote: rounds, ballots, outcome, notifications.

Every e-mail of the vote (round open, outcome, reminders) is one outbox row per recipient,
written in the transaction that causes it: a mail server or a broker that is down delays
the e-mail (the outbox sweep retries it) and never loses it or fails the vote.
"""

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from crdla.outbox.service import enqueue_email

from .access import network_animators, network_officers
from .alerts import absolute_url
from .models import RegionalProgramme, RegionalProgrammeStatus, RegionalVote, VoteChoice

REMIND_AFTER = datetime.timedelta(days=3)


def flow_class():
    from .flows import CommonProgrammeFlow

    return CommonProgrammeFlow


def pending_task(programme, node_name):
    """The NEW task of ``node_name`` for this programme's process, if any."""
    flow = flow_class()
    process = getattr(programme, "process", None)
    if process is None:
        return None
    return (
        flow.task_class.objects.filter(
            process=process, flow_task=getattr(flow, node_name), status=STATUS.NEW
        )
        .order_by("-pk")
        .first()
    )


def start_programme(network, year, title, user, introduction=""):
    """Create a draft programme and its viewflow process."""
    with transaction.atomic():
        programme = RegionalProgramme.objects.create(
            network=network, year=year, title=title, introduction=introduction, created_by=user
        )
        flow_class().start.run(programme=programme)
    return programme


def submit_programme(programme):
    """Run the ``draft`` Handle: the round opens (the flow runs ``open_vote``)."""
    task = pending_task(programme, "draft")
    if task is None:
        return False
    flow_class().draft.run(task)
    return True


def open_round(programme):
    """A new round: one blank ballot per officer of the network, who are notified."""
    programme.round += 1
    programme.status = RegionalProgrammeStatus.VOTING
    programme.vote_opened_at = timezone.now()
    programme.save(update_fields=["round", "status", "vote_opened_at"])
    voters = list(network_officers(programme.network))
    RegionalVote.objects.bulk_create(
        [RegionalVote(programme=programme, round=programme.round, voter=v) for v in voters]
    )
    url = absolute_url(reverse("network:programme-detail", args=[programme.pk]))
    subject = _("Vote du programme commun %(year)s : votre avis est attendu") % {
        "year": programme.year
    }
    body = render_to_string("network/emails/vote_open.txt", {"programme": programme, "url": url})
    for voter in voters:
        if voter.email:
            enqueue_email(
                voter.email, subject, body, event=f"vote:open:{programme.pk}:{programme.round}"
            )


def cast_vote(programme, user, choice, comment):
    """Record a ballot; the last ballot of the round closes it. Returns the ballot or None."""
    with transaction.atomic():
        programme = RegionalProgramme.objects.select_for_update().get(pk=programme.pk)
        if programme.status != RegionalProgrammeStatus.VOTING:
            return None
        ballot = (
            RegionalVote.objects.select_for_update()
            .filter(programme=programme, round=programme.round, voter=user, choice="")
            .first()
        )
        if ballot is None:
            return None
        ballot.choice, ballot.comment, ballot.voted_at = choice, comment, timezone.now()
        ballot.save(update_fields=["choice", "comment", "voted_at"])
        if not programme.current_ballots().filter(choice="").exists():
            task = pending_task(programme, "collect_votes")
            if task is not None:
                flow_class().collect_votes.run(task)
    return ballot


def record_outcome(programme):
    """Close the round: keep the objections and tell the network the result."""
    against = programme.current_ballots().filter(choice=VoteChoice.AGAINST).select_related("voter")
    objections = [f"{b.voter.get_full_name() or b.voter.username} : {b.comment}" for b in against]
    if objections:
        programme.status = RegionalProgrammeStatus.DRAFT
        programme.objections = "\n".join(objections)
    else:
        programme.objections = ""
    programme.save(update_fields=["status", "objections"])
    url = absolute_url(reverse("network:programme-detail", args=[programme.pk]))
    body = render_to_string(
        "network/emails/vote_closed.txt",
        {"programme": programme, "objections": objections, "url": url},
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
    from .models import IntranetNewsPage, IntranetPage

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
        url = absolute_url(reverse("network:programme-detail", args=[ballot.programme_id]))
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
