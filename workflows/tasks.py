"""Celery tasks of the programme process: task e-mails, reminders and the timer sweep."""

import logging

from celery import shared_task
from django.template.loader import render_to_string
from django.urls import get_resolver, reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from crdla.access import programmes as access
from crdla.core import emails
from crdla.outbox.mail import send_once

from .models import (
    CommitteeDecision,
    CommitteeReview,
    Decision,
    ProgrammePage,
    ProgrammeProcess,
)

logger = logging.getLogger(__name__)

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
DECIDED = "decided"


def load_urls():
    """viewflow builds task URLs from where the flow is mounted: make sure it is (workers)."""
    return get_resolver().url_patterns


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_task_notification(self, task_id, kind):
    """E-mail the owner of a task that just opened ("opened") or is nearly due ("reminder").

    Idempotent: sent once per (task, kind) and recipient (``crdla.outbox.mail.send_once``), so
    a retry or a second timer sweep never sends the same e-mail twice.
    """
    load_urls()
    if kind == DECIDED:
        return send_decision_notifications(task_id)
    task = Task.objects.select_related("owner", "process").filter(pk=task_id).first()
    if task is None or task.owner is None or not task.owner.email:
        return 0
    if kind == "reminder" and task.status not in OPEN_STATUSES:
        return 0
    process = ProgrammeProcess.objects.select_related("programme__centre").get(pk=task.process_id)
    programme = process.programme
    if kind == "opened" and task.flow_task.name == "draft" and programme.round == 0:
        return 0  # the editor who started the programme needs no e-mail about it
    base_url = emails.root_url()
    context = {
        "task": task,
        "kind": kind,
        "programme": programme,
        "deadline": process.review_deadline,
        "task_title": task.title,
        "task_url": base_url + task.flow_task.reverse("index", args=[process.pk, task.pk]),
        "user": task.owner,
    }
    subject = render_to_string("workflows/emails/task_subject.txt", context)
    body, html = emails.render_parts("workflows/emails/task_body", context, subject)
    message = emails.build_message(subject, body, [task.owner.email], html=html)
    return send_once(f"workflows:{kind}:{task_id}", message)


def send_decision_notifications(task_id):
    """The chair decided (task ``task_id``): tell every committee member and the centre's
    editors, with the round's opinions each may read (``access.visible_reviews``: all of them
    once the round is decided) and the public programme page when approved.

    Idempotent per recipient: sent once per (task, recipient) (``send_once``).
    """
    task = Task.objects.select_related("owner", "process").filter(pk=task_id).first()
    if task is None:
        return 0
    process = ProgrammeProcess.objects.select_related("programme__centre").get(pk=task.process_id)
    programme = process.programme
    decision = (
        CommitteeDecision.objects.filter(programme=programme, decided_at__lte=task.finished)
        .order_by("-round")
        .first()
        if task.finished
        else None
    )
    if decision is None:
        return 0
    base_url = emails.root_url()
    page = ProgrammePage.objects.live().filter(programme=programme).first()
    round_reviews = list(
        CommitteeReview.objects.filter(programme=programme, round=decision.round)
        .select_related("reviewer")
        .order_by("institution")
    )
    sent = 0
    for user in access.decision_audience(programme):
        if not user.email:
            continue
        context = {
            "user": user,
            "programme": programme,
            "decision": decision,
            "approved": decision.decision == Decision.APPROVE,
            "reviews": access.visible_reviews(user, programme, round_reviews),
            "page_url": base_url + page.url if page is not None and page.url else "",
            "programme_url": base_url + reverse("programme:programme_detail", args=[programme.pk]),
        }
        subject = render_to_string("workflows/emails/decision_subject.txt", context)
        body, html = emails.render_parts("workflows/emails/decision_body", context, subject)
        message = emails.build_message(subject, body, [user.email], html=html)
        sent += send_once(f"workflows:{DECIDED}:{task_id}", message)
    return sent


@shared_task(acks_late=True)
def fire_workflow_timers():
    """Celery beat entry: fire every due viewflow timer (reminders, deadlines)."""
    return fire_due_timers()
