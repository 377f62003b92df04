"""The steering committee's approval, follow-up and evaluation of an action programme.

A viewflow ``Flow`` whose human nodes carry their own permissions (``nodes``: the centre's
editors, one committee seat, the chair) and views; the /pilotage/ viewset serves them. Path:

- ``start`` (an editor of the centre) → ``draft``: the editors write the programme and submit
  it once it is complete;
- ``split_reviews`` → five parallel reviews, one per committee institution, each assigned to
  its seat holder and reminded before the deadline → ``join_reviews``;
- ``decide`` (the chair) → ``approve`` (frozen version, budget recorded, public page
  published) / ``reopen`` (back to ``draft`` with the reviews, as many rounds as needed) /
  ``reject`` (end);
- after approval: ``mid_year_report`` (editors) → ``acknowledge_mid_year`` (chair) →
  ``final_report`` → ``acknowledge_final`` → ``evaluate`` (chair) → ``close`` → end.

Reports are reminded before they are due by non-interrupting timers (``send_reminder``).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock

from crdla.access import programmes as access
from crdla.accounts.models import Institution
from crdla.centres.models import CommitteeSeat

from . import services, views
from .models import (
    Decision,
    ProgrammeProcess,
    ReportKind,
)
from .nodes import CommitteeTask, EditorTask

# viewflow's own pages show a task's result (``task.brief``): a review's shows no opinion, the
# opinion is only shown through the access policy (sealed until the chair decides).
REVIEW_RESULT = _("Avis rendu")


def review_title(institution):
    # Evaluated when displayed, in the visitor's language (not once at import, in French).
    return _("Avis — %(institution)s") % {"institution": Institution(institution).label}


def review_task(institution):
    """One explicit review branch for one committee institution.

    The seat holder is assigned when the branch opens, e-mailed, and reminded before the
    deadline by a non-interrupting timer: the review stays open after the reminder.
    """
    return (
        CommitteeTask(views.ReviewView.as_view(), institution=institution)
        .Annotation(
            title=lazy(review_title, str)(institution),
            result_template=REVIEW_RESULT,
        )
        .Assign(lambda activation: seat_holder(activation.process, institution=institution))
        .onCreate(this.notify_task_opened)
        .OnTimeout(
            this.review_reminder_at,
            this.send_reminder,
            interrupting=False,
            title=_("Relance avant la date limite"),
        )
        .Next(this.join_reviews)
    )


def seat_holder(process, institution=None):
    """The committee member sitting for ``institution`` (the chair when None), or None."""
    seats = CommitteeSeat.objects.filter(centre_id=process.programme.centre_id)
    seats = seats.filter(institution=institution) if institution else seats.filter(is_chair=True)
    seat = seats.select_related("user").first()
    return seat.user if seat else None


def responsible_editor(process):
    """Who gets the centre's tasks: the last submitter or the creator, if still an editor."""
    programme = process.programme
    editors = access.centre_editors(programme.centre_id)
    last_version = programme.versions.order_by("-number").first()
    for candidate in (last_version and last_version.submitted_by, programme.created_by):
        if candidate and editors.filter(pk=candidate.pk).exists():
            return candidate
    return editors.order_by("pk").first()


def at_local(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class ProgrammeFlow(flow.Flow):
    """Committee approval of a resource centre's annual action programme.

    draft (centre editors) → submit, validated → five parallel reviews, one per committee
    institution, each reminded before the deadline → chair decision: approve (frozen version,
    budget recorded, public page published) / revise (back to draft with the reviews, as many
    rounds as needed) / reject → mid-year report → acknowledgement → final report →
    acknowledgement → yearly evaluation → end.
    """

    process_class = ProgrammeProcess
    # Five reviewers may finish at the same moment: the Join must see a consistent state.
    lock_impl = select_for_update_lock

    process_title = _("Validation des programmes d'actions")
    process_description = _(
        "Examen par le comité de pilotage, décision, suivi et évaluation annuelle."
    )
    process_summary_template = (
        "{{ process.programme.title }} ({{ process.programme.year }}) — "
        "{{ process.programme.get_status_display }}"
    )

    start = (
        flow.Start(views.StartProgrammeView.as_view())
        .Annotation(title=_("Nouveau programme d'actions"))
        .Available(lambda user: access.can_start_programme(user))
        .Next(this.draft)
    )

    draft = (
        EditorTask(views.SubmitProgrammeView.as_view())
        .Annotation(
            title=_("Rédaction et dépôt du programme"),
            result_template="{{ task.data.summary }}",
        )
        .Assign(lambda activation: responsible_editor(activation.process))
        .onCreate(this.notify_task_opened)
        .Next(this.split_reviews)
    )

    split_reviews = (
        flow.Split()
        .Annotation(title=_("Envoi aux membres du comité"))
        .Next(this.review_porteuse)
        .Next(this.review_dgefp)
        .Next(this.review_cdc)
        .Next(this.review_ministere)
        .Next(this.review_avise)
    )

    review_porteuse = review_task(Institution.PORTEUSE)
    review_dgefp = review_task(Institution.DGEFP)
    review_cdc = review_task(Institution.CDC)
    review_ministere = review_task(Institution.MINISTERE)
    review_avise = review_task(Institution.AVISE)

    join_reviews = flow.Join().Annotation(title=_("Tous les avis sont rendus")).Next(this.decide)

    decide = (
        CommitteeTask(views.DecisionView.as_view())
        .Annotation(title=_("Décision de la présidence"), result_template="{{ task.data.summary }}")
        .Assign(lambda activation: seat_holder(activation.process))
        .onCreate(this.notify_task_opened)
        .Next(this.route_decision)
    )

    route_decision = (
        flow.Switch()
        .Annotation(title=_("Suite donnée à la décision"))
        .Case(this.approve, lambda activation: activation.process.decision == Decision.APPROVE)
        .Case(this.reopen, lambda activation: activation.process.decision == Decision.REVISE)
        .Default(this.reject)
    )

    approve = (
        flow.Function(this.approve_programme)
        .Annotation(title=_("Validation : version figée et page publiée"))
        .Next(this.mid_year_report)
    )
    reopen = (
        flow.Function(this.reopen_programme)
        .Annotation(title=_("Retour en rédaction avec les avis"))
        .Next(this.draft)
    )
    reject = (
        flow.Function(this.reject_programme)
        .Annotation(title=_("Refus du programme"))
        .Next(this.rejected)
    )
    rejected = flow.End().Annotation(title=_("Programme refusé"))

    mid_year_report = (
        EditorTask(views.ReportView.as_view(kind=ReportKind.MID_YEAR))
        .Annotation(title=_("Bilan à mi-parcours"), result_template="{{ task.data.summary }}")
        .Assign(lambda activation: responsible_editor(activation.process))
        .onCreate(this.notify_task_opened)
        .OnTimeout(this.mid_year_reminder_at, this.send_reminder, interrupting=False)
        .Next(this.acknowledge_mid_year)
    )
    acknowledge_mid_year = (
        CommitteeTask(views.AcknowledgeView.as_view(kind=ReportKind.MID_YEAR))
        .Annotation(
            title=_("Prise en compte du bilan à mi-parcours"),
            result_template="{{ task.data.summary }}",
        )
        .Assign(lambda activation: seat_holder(activation.process))
        .onCreate(this.notify_task_opened)
        .Next(this.final_report)
    )
    final_report = (
        EditorTask(views.ReportView.as_view(kind=ReportKind.FINAL))
        .Annotation(title=_("Bilan final"), result_template="{{ task.data.summary }}")
        .Assign(lambda activation: responsible_editor(activation.process))
        .onCreate(this.notify_task_opened)
        .OnTimeout(this.final_reminder_at, this.send_reminder, interrupting=False)
        .Next(this.acknowledge_final)
    )
    acknowledge_final = (
        CommitteeTask(views.AcknowledgeView.as_view(kind=ReportKind.FINAL))
        .Annotation(
            title=_("Prise en compte du bilan final"), result_template="{{ task.data.summary }}"
        )
        .Assign(lambda activation: seat_holder(activation.process))
        .onCreate(this.notify_task_opened)
        .Next(this.evaluate)
    )
    evaluate = (
        CommitteeTask(views.EvaluationView.as_view())
        .Annotation(title=_("Évaluation annuelle"), result_template="{{ task.data.summary }}")
        .Assign(lambda activation: seat_holder(activation.process))
        .onCreate(this.notify_task_opened)
        .Next(this.close)
    )
    close = (
        flow.Function(this.close_programme).Annotation(title=_("Clôture de l'année")).Next(this.end)
    )
    end = flow.End().Annotation(title=_("Année close"))

    send_reminder = (
        flow.Function(this.remind_task_owner)
        .Annotation(title=_("Relance par courriel"))
        .Next(this.reminder_sent)
    )
    reminder_sent = flow.End().Annotation(title=_("Relance envoyée"))

    # --- callbacks -------------------------------------------------------------------------

    def notify_task_opened(self, activation):
        services.notify_on_commit(activation.task, "opened")

    def review_reminder_at(self, activation):
        days = getattr(settings, "WORKFLOWS_REMINDER_DAYS_BEFORE", 3)
        deadline = activation.process.review_deadline or timezone.now()
        return deadline - timedelta(days=days)

    def mid_year_reminder_at(self, activation):
        return self.report_reminder_at(activation, "mid_year")

    def final_reminder_at(self, activation):
        return self.report_reminder_at(activation, "final")

    def report_reminder_at(self, activation, kind):
        """A few days before the report is due (at once if that moment has passed)."""
        days = getattr(settings, "WORKFLOWS_REMINDER_DAYS_BEFORE", 3)
        due = services.report_due_date(activation.process.programme, kind)
        return at_local(due - timedelta(days=days))

    def remind_task_owner(self, activation):
        # this task ← its timer boundary ← the host task still waiting for its owner
        boundary = activation.task.previous.first()
        host = boundary.previous.first() if boundary else None
        if host is not None:
            services.notify_on_commit(host, "reminder")

    def approve_programme(self, activation):
        services.approve(activation.process)

    def reopen_programme(self, activation):
        services.reopen(activation.process)

    def reject_programme(self, activation):
        services.reject(activation.process)

    def close_programme(self, activation):
        services.close(activation.process)

    # --- permissions -----------------------------------------------------------------------

    def has_view_permission(self, user, obj=None):
        if not user.is_authenticated:
            return False
        if obj is not None and hasattr(obj, "programme_id"):
            return access.can_view_centre(user, obj.programme.centre_id)
        return access.has_pilotage_access(user)

    def has_manage_permission(self, user, obj=None):
        return access.is_site_admin(user)
