"""Business rules of the programme process, called by the flow and its views."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from crdla.accounts.models import Institution
from crdla.centres.models import CommitteeSeat
from crdla.core.templatetags.french import euros
from crdla.outbox.service import enqueue

from .models import (
    Action,
    ActionProgramme,
    FinancingLine,
    Indicator,
    ProgrammeAxisBlock,
    ProgrammePage,
    ProgrammeStatus,
    ProgrammeVersion,
)
from .snapshots import build_snapshot


def report_due_date(programme, kind):
    """Mid-year report by 15 July, final report by 31 January of the next year."""
    if kind == "mid_year":
        return datetime.date(programme.year, 7, 15)
    return datetime.date(programme.year + 1, 1, 31)


# --- creating a programme ------------------------------------------------------------------


@transaction.atomic
def create_programme(centre, year, title, summary, user, copy_previous=False):
    """A new programme with its four axis blocks, optionally a copy of the last year's."""
    programme = ActionProgramme.objects.create(
        centre=centre, year=year, title=title, summary=summary, created_by=user
    )
    programme.ensure_axis_blocks()
    if copy_previous:
        previous = (
            ActionProgramme.objects.filter(centre=centre, year__lt=year).order_by("-year").first()
        )
        if previous is not None:
            copy_content(previous, programme)
    return programme


def copy_content(source, target):
    """Copy axes objectives, actions, indicators (targets, not actuals) and financing lines."""
    blocks = {block.axis_id: block for block in target.axis_blocks.all()}
    for block in source.axis_blocks.prefetch_related("actions__indicators"):
        new_block = blocks[block.axis_id]
        new_block.objectives = block.objectives
        new_block.save(update_fields=["objectives"])
        for action in block.actions.all():
            indicators = list(action.indicators.all())
            action.pk = None
            action.axis_block = new_block
            action.save()
            Indicator.objects.bulk_create(
                Indicator(action=action, label=i.label, unit=i.unit, target=i.target)
                for i in indicators
            )
    FinancingLine.objects.bulk_create(
        FinancingLine(programme=target, funder=line.funder, detail=line.detail, amount=line.amount)
        for line in source.financing_lines.all()
    )


# --- submission ------------------------------------------------------------------------------


def submission_problems(programme):
    """Every reason the programme cannot be submitted yet, in French, all at once."""
    problems = []
    blocks = ProgrammeAxisBlock.objects.filter(programme=programme).select_related("axis")
    for block in blocks.annotate(n=Count("actions")):
        if block.n == 0:
            problems.append(_("L'axe %(axis)s n'a aucune action.") % {"axis": block.axis.number})
    actions = Action.objects.filter(axis_block__programme=programme).annotate(
        with_target=Count("indicators", filter=Q(indicators__target__isnull=False))
    )
    for action in actions.select_related("axis_block__axis"):
        if action.with_target == 0:
            problems.append(
                _("L'action « %(action)s » (axe %(axis)s) n'a aucun indicateur avec une cible.")
                % {"action": action.title, "axis": action.axis_block.axis.number}
            )
    budget, financing = programme.total_budget, programme.total_financing
    if financing == 0:
        problems.append(_("Le plan de financement est vide."))
    elif budget != financing:
        problems.append(
            _(
                "Le plan de financement (%(financing)s) ne couvre pas exactement le budget "
                "des actions (%(budget)s) : écart de %(gap)s."
            )
            % {
                "financing": euros(financing),
                "budget": euros(budget),
                "gap": euros(financing - budget),
            }
        )
    # Only a seat linked to an account can review: a seat without one is only shown publicly.
    seats = dict(
        CommitteeSeat.objects.filter(centre_id=programme.centre_id).values_list(
            "institution", "user_id"
        )
    )
    for institution in Institution:
        if institution.value not in seats:
            problems.append(
                _("Le comité de pilotage n'a pas de membre pour : %(institution)s.")
                % {"institution": institution.label}
            )
        elif seats[institution.value] is None:
            problems.append(
                _(
                    "Le siège « %(institution)s » du comité de pilotage n'est relié à aucun "
                    "compte : personne ne peut rendre son avis."
                )
                % {"institution": institution.label}
            )
    if not CommitteeSeat.objects.filter(
        centre_id=programme.centre_id, is_chair=True, user__isnull=False
    ).exists():
        problems.append(_("Le comité de pilotage n'a pas de présidence."))
    return problems


def submit(process, user):
    """Freeze the submitted content as a new version and open the review round."""
    programme = process.programme
    number = (programme.versions.order_by("-number").values_list("number", flat=True).first()) or 0
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=number + 1,
        snapshot=build_snapshot(programme),
        submitted_by=user,
    )
    programme.status = ProgrammeStatus.SUBMITTED
    programme.round += 1
    programme.save(update_fields=["status", "round", "updated"])
    days = getattr(settings, "WORKFLOWS_REVIEW_DAYS", 21)
    process.review_deadline = timezone.now() + datetime.timedelta(days=days)
    process.decision = ""
    process.save(update_fields=["review_deadline", "decision"])
    return version


def current_version(programme):
    return programme.versions.order_by("-number").first()


# --- decisions -------------------------------------------------------------------------------


def approve(process):
    """Freeze the approved version, record the decision date and publish the public page."""
    programme = process.programme
    version = current_version(programme)
    version.is_approved = True
    version.save(update_fields=["is_approved"])
    programme.status = ProgrammeStatus.APPROVED
    programme.decision_date = timezone.localdate()
    programme.save(update_fields=["status", "decision_date", "updated"])
    publish_page(programme)


def reopen(process):
    programme = process.programme
    programme.status = ProgrammeStatus.REVISION
    programme.save(update_fields=["status", "updated"])


def reject(process):
    programme = process.programme
    programme.status = ProgrammeStatus.REJECTED
    programme.decision_date = timezone.localdate()
    programme.save(update_fields=["status", "decision_date", "updated"])


def close(process):
    programme = process.programme
    programme.status = ProgrammeStatus.EVALUATED
    programme.save(update_fields=["status", "updated"])


def publish_page(programme):
    """Create (or update) and publish the programme's public page under its centre."""
    page = ProgrammePage.objects.filter(programme=programme).first()
    title = _("Programme d'actions %(year)s") % {"year": programme.year}
    if page is None:
        centre = programme.centre
        slug = slugify(f"programme-{programme.year}")
        if centre.get_children().filter(slug=slug).exists():
            slug = f"{slug}-{programme.pk}"
        page = ProgrammePage(
            title=title,
            slug=slug,
            programme=programme,
            decision_date=programme.decision_date,
            search_description=programme.summary[:255],
        )
        centre.add_child(instance=page)
    else:
        page.title = title
        page.decision_date = programme.decision_date
    page.save_revision().publish()
    return page


# --- notifications ---------------------------------------------------------------------------


def notify_on_commit(task, kind):
    """Send the e-mail for ``task`` once the transaction that opened it is committed
    (through the outbox: the decision stands even when the broker or mail server is down)."""
    from .tasks import send_task_notification

    enqueue(
        send_task_notification,
        task.pk,
        kind,
        description=_("Notification « %(kind)s » de la tâche %(task)s du pilotage")
        % {"kind": kind, "task": task.pk},
    )


# --- deadlines -------------------------------------------------------------------------------

REPORT_TASKS = {"mid_year_report": "mid_year", "final_report": "final"}


def task_deadline(task, process):
    """When ``task`` is due: the review deadline for the reviews and the chair's decision,
    the report's due date for the reports; None for the other tasks."""
    name = getattr(task.flow_task, "name", "")
    if name.startswith("review_") or name == "decide":
        return process.review_deadline
    if name in REPORT_TASKS:
        return report_due_date(process.programme, REPORT_TASKS[name])
    return None
