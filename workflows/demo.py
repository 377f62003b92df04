"""Demo data of the programme process: committee seats and programmes (idempotent).

The programmes read like the centres' real work (``fixtures/programmes.json``), and their dates
follow the day of loading: Culture's programme of last year is approved with its reports filed
in the past, Sport's programme of this year is approved, and Culture's programme of this year is
under review, with the open review tasks of the demo committee accounts waiting on ``/pilotage/``.
"""

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crdla.accounts.models import Institution
from crdla.centres.models import CentrePage, CommitteeSeat
from crdla.core import emails

from .models import (
    Action,
    ActionProgramme,
    FinancingLine,
    Indicator,
)

FIXTURE = settings.BASE_DIR / "fixtures" / "programmes.json"
HUNDRED = Decimal("100")


def programme_specs():
    with open(FIXTURE, encoding="utf-8") as handle:
        return json.load(handle)


def seat_demo_committees(command, centres):
    User = get_user_model()
    for centre in centres:
        for institution in Institution.values:
            user = User.objects.filter(username=f"comite.{institution}").first()
            if user is None:
                continue
            # The public seat (fixtures/centres.json) gets the demo account that reviews.
            seat, created = CommitteeSeat.objects.get_or_create(
                centre=centre,
                institution=institution,
                defaults={
                    "member_name": user.get_full_name() or user.username,
                    "is_chair": institution == Institution.PORTEUSE
                    and not centre.committee_seats.filter(is_chair=True).exists(),
                },
            )
            linked = seat.user_id is None
            if linked:
                seat.user = user
                seat.save(update_fields=["user"])
            command.count("comptes reliés aux sièges de comité de pilotage", created or linked)


def fill_programme(programme, spec=None, growth=Decimal("1")):
    """Actions with indicators on the four axes and a financing plan equal to the budget.

    ``spec`` is a centre's entry of fixtures/programmes.json (by default the centre's own, else
    Culture's); ``growth`` scales budgets and targets (a year's programme is not a copy of the
    last one).
    """
    if spec is None:
        specs = programme_specs()
        spec = specs.get(programme.centre.slug) or specs["culture"]
    programme.ensure_axis_blocks()
    blocks = {block.axis.number: block for block in programme.axis_blocks.select_related("axis")}
    for number, axis in spec["axes"].items():
        block = blocks[int(number)]
        block.objectives = axis["objectives"]
        block.save(update_fields=["objectives"])
        for order, item in enumerate(axis["actions"]):
            budget = (Decimal(item["budget"]) * growth / 50).quantize(Decimal("1")) * 50
            action = Action.objects.create(
                axis_block=block,
                title=item["title"],
                description=item["description"],
                deliverables=item["deliverables"],
                calendar=item["calendar"],
                lead_kind=item["lead_kind"],
                lead_name=item["lead_name"],
                etp=Decimal(item["etp"]),
                budget=budget,
                order=order,
            )
            for label, unit, target in item["indicators"]:
                target = Decimal(target)
                if target > 10:
                    target = (target * growth).quantize(Decimal("1"), ROUND_HALF_UP)
                Indicator.objects.create(action=action, label=label, unit=unit, target=target)
    total = programme.total_budget
    lines = spec["financing"]
    remaining = total
    for index, (funder, detail, share) in enumerate(lines):
        if index == len(lines) - 1:
            amount = remaining
        else:
            amount = (total * Decimal(share) / HUNDRED / 100).quantize(Decimal("1")) * 100
        remaining -= amount
        FinancingLine.objects.create(
            programme=programme, funder=funder, detail=detail, amount=amount
        )


def at(day, hour=10):
    """An aware datetime on ``day`` at ``hour`` (local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def load_demo(command):
    """Committee seats for Culture and Sport, and three programmes at three stages."""
    centres = {c.slug: c for c in CentrePage.objects.filter(slug__in=["culture", "sport"])}
    seat_demo_committees(command, list(centres.values()))
    users = get_user_model().objects.filter(username__in=["editeur.culture", "editeur.sport"])
    editors = {u.username.split(".")[1]: u for u in users}
    if "culture" not in centres or "culture" not in editors:
        command.log("  (pas de centre Culture ou d'éditeur : pas de programme d'actions)")
        return
    specs = programme_specs()
    today = timezone.localdate()
    year = today.year
    plans = [
        ("culture", year - 1, "approved", Decimal("0.96")),
        ("sport", year, "approved", Decimal("1")),
        ("culture", year, "review", Decimal("1")),
    ]
    for slug, programme_year, stage, growth in plans:
        centre, editor = centres.get(slug), editors.get(slug)
        if centre is None or editor is None:
            continue
        if ActionProgramme.objects.filter(centre=centre, year=programme_year).exists():
            continue
        spec = specs[slug]
        programme = ActionProgramme.objects.create(
            centre=centre,
            year=programme_year,
            title=spec["title"].format(year=programme_year),
            summary=spec["summary"],
            created_by=editor,
        )
        fill_programme(programme, spec, growth)
        if stage == "approved":
            approve_programme(programme, editor, today)
            command.log(
                f"  programme validé : {programme} ({emails.absolute_url(programme.page.url)})"
            )
        else:
            put_under_review(programme, editor, today)
            command.log(f"  programme en cours d'examen : {programme}")
        command.count("programmes d'actions", True)


def _run_task(task, user, record=lambda process: None, summary=""):
    """Complete one human task the way its view does: under the flow lock, as its owner."""
    with task.activation() as activation:

        class Request:
            pass

        Request.user = user
        activation.start(Request)
        record(activation.process)
        activation.task.owner = user
        activation.task.data = {"summary": summary}
        activation.execute()


def _review(programme, task, opinion, comment, when):
    from . import services
    from .models import CommitteeReview

    def record(process):
        CommitteeReview.objects.create(
            programme=programme,
            version=services.current_version(programme),
            round=1,
            institution=task.flow_task.institution,
            reviewer=task.owner,
            opinion=opinion,
            comment=comment,
            created=when,
        )

    _run_task(task, task.owner, record, f"{opinion.label} — {comment}")
    type(task).objects.filter(pk=task.pk).update(finished=when)


def _submit(programme, editor, when):
    """The editor submits version 1; the five review tasks open for the committee."""
    from . import services
    from .flows import ProgrammeFlow

    process = _start_process(programme, editor)
    draft = process.task_set.get(flow_task=ProgrammeFlow.draft)
    _run_task(draft, editor, lambda p: services.submit(p, editor), "Version 1 soumise au comité.")
    programme.versions.update(submitted_at=when)
    process.task_set.update(created=when)
    days = getattr(settings, "WORKFLOWS_REVIEW_DAYS", 21)
    type(process).objects.filter(pk=process.pk).update(
        created=when, review_deadline=when + datetime.timedelta(days=days)
    )
    return process


REVIEWS = {
    "dgefp": ("favourable", "Actions lisibles et indicateurs mesurables ; budget conforme."),
    "cdc": ("reserved", "Favorable ; préciser le calendrier de l'observatoire."),
    "ministere": ("favourable", "Le programme répond aux priorités de la DGCA."),
    "avise": ("favourable", "Bonne articulation avec les autres centres de ressources."),
    "porteuse": ("favourable", "Programme cohérent avec les besoins remontés par les DLA."),
}


def put_under_review(programme, editor, today):
    """Submitted four days ago; two institutions have given their opinion, three have not."""
    from viewflow.workflow.status import STATUS

    from .models import Opinion

    submitted = at(today - datetime.timedelta(days=4), 9)
    process = _submit(programme, editor, submitted)
    for task in process.task_set.filter(flow_task_type="HUMAN", status=STATUS.ASSIGNED):
        institution = task.flow_task.institution
        if institution in ("dgefp", "cdc"):
            opinion, comment = REVIEWS[institution]
            when = submitted + datetime.timedelta(days=2 if institution == "dgefp" else 3)
            _review(programme, task, Opinion(opinion), comment, when)


def approve_programme(programme, editor, today):
    """Reviewed and approved at the start of its year (never after today), its reports filed
    when their due dates have passed."""
    from viewflow.workflow.status import STATUS

    from .flows import ProgrammeFlow
    from .models import CommitteeDecision, Decision, Opinion

    decided = min(datetime.date(programme.year, 1, 28), today - datetime.timedelta(days=10))
    submitted = at(decided - datetime.timedelta(days=30), 9)
    process = _submit(programme, editor, submitted)
    for offset, task in enumerate(
        process.task_set.filter(flow_task_type="HUMAN", status=STATUS.ASSIGNED)
    ):
        opinion, comment = REVIEWS[task.flow_task.institution]
        when = submitted + datetime.timedelta(days=3 + 2 * offset)
        _review(programme, task, Opinion(opinion), comment, when)
    decide = process.task_set.get(flow_task=ProgrammeFlow.decide, status=STATUS.ASSIGNED)
    decided_at = at(decided, 15)

    def approve(p):
        CommitteeDecision.objects.create(
            programme=programme,
            round=1,
            decision=Decision.APPROVE,
            comment="Programme validé à l'unanimité du comité de pilotage.",
            budget_allocated=programme.total_financing,
            decided_by=decide.owner,
            decided_at=decided_at,
        )
        ActionProgramme.objects.filter(pk=programme.pk).update(
            budget_allocated=programme.total_financing
        )
        p.decision = Decision.APPROVE
        p.save(update_fields=["decision"])

    _run_task(decide, decide.owner, approve, "Valider le programme — validé à l'unanimité.")
    type(decide).objects.filter(pk=decide.pk).update(created=submitted, finished=decided_at)
    ActionProgramme.objects.filter(pk=programme.pk).update(decision_date=decided)
    programme.refresh_from_db()
    page = programme.page
    page.decision_date = decided
    page.save_revision().publish()
    process.task_set.filter(finished__isnull=False, finished__gt=decided_at).update(
        finished=decided_at
    )
    mid = datetime.date(programme.year, 7, 8)
    if today > mid + datetime.timedelta(days=60):
        _file_report(process, programme, editor, "mid_year", mid, Decimal("0.55"))
    final = datetime.date(programme.year + 1, 1, 25)
    if today > final + datetime.timedelta(days=20):
        _file_report(process, programme, editor, "final", final, Decimal("1.04"))


REPORT_COMMENTS = {
    "mid_year": (
        "Les actions de l'axe 2 sont engagées comme prévu ; l'observatoire démarre en septembre.",
        "Bilan conforme au programme ; le comité note la forte demande d'appuis-conseils.",
    ),
    "final": (
        "Programme réalisé ; les appuis-conseils ont dépassé la cible, la campagne vers les lieux "
        "intermédiaires a pris du retard.",
        "Bilan pris en compte ; à reconduire en renforçant la mobilisation (axe 1).",
    ),
}


def _file_report(process, programme, editor, kind, filed_on, ratio):
    """The editor files the report (actuals at ``ratio`` of the targets), the chair takes note."""
    from viewflow.workflow.status import STATUS

    from .flows import ProgrammeFlow
    from .models import FollowUpReport, ReportIndicatorValue, ReportSpending

    node = ProgrammeFlow.mid_year_report if kind == "mid_year" else ProgrammeFlow.final_report
    task = process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    filed_at = at(filed_on, 11)
    comment, acknowledgement = REPORT_COMMENTS[kind]

    def record(_process):
        report = FollowUpReport.objects.create(
            programme=programme, kind=kind, comment=comment, filed_by=editor, filed_at=filed_at
        )
        indicators = Indicator.objects.filter(action__axis_block__programme=programme)
        for number, indicator in enumerate(indicators.order_by("pk")):
            # Not every action at the same pace: some ahead, some behind.
            pace = ratio * (Decimal("0.8") + Decimal(number % 5) / 10)
            actual = (indicator.target * pace).quantize(Decimal("1"), ROUND_HALF_UP)
            ReportIndicatorValue.objects.create(report=report, indicator=indicator, actual=actual)
            indicator.actual = actual
            indicator.save(update_fields=["actual"])
        ReportSpending.objects.bulk_create(
            ReportSpending(
                report=report,
                financing_line=line,
                spent=(line.amount * min(ratio, Decimal("1"))).quantize(Decimal("1")),
            )
            for line in programme.financing_lines.all()
        )
        return report

    _run_task(task, editor, record, "Bilan déposé.")
    type(task).objects.filter(pk=task.pk).update(finished=filed_at)
    node = (
        ProgrammeFlow.acknowledge_mid_year
        if kind == "mid_year"
        else ProgrammeFlow.acknowledge_final
    )
    ack = process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    acknowledged_at = filed_at + datetime.timedelta(days=18)

    def acknowledge(_process):
        FollowUpReport.objects.filter(programme=programme, kind=kind).update(
            acknowledgement=acknowledgement,
            acknowledged_by=ack.owner,
            acknowledged_at=acknowledged_at,
        )

    _run_task(ack, ack.owner, acknowledge, f"Pris en compte — {acknowledgement}")
    type(ack).objects.filter(pk=ack.pk).update(created=filed_at, finished=acknowledged_at)


def _start_process(programme, editor):
    """Run the flow's Start node the way its view does, for the demo programme."""
    from .flows import ProgrammeFlow

    activation = ProgrammeFlow.start.activation_class.create(ProgrammeFlow.start, None, None)

    class _Request:
        user = editor

    activation.start(_Request)
    activation.process.programme = programme
    activation.execute()
    return activation.process
