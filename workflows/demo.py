"""Demo data of the programme process: committee seats and programmes (idempotent)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from crdla.accounts.models import Institution
from crdla.centres.models import CentrePage
from crdla.core.templatetags.french import de

from .models import (
    Action,
    ActionProgramme,
    CommitteeMembership,
    FinancingLine,
    Funder,
    Indicator,
    LeadKind,
)

ACTIONS = {
    1: [
        ("Fiches repères sur le modèle économique des lieux culturels", "structures", 12),
        ("Webinaires mensuels pour les chargés de mission DLA", "webinaires", 10),
    ],
    2: [("Appui-conseil aux DLA sur les accompagnements complexes", "appuis", 40)],
    3: [("Observatoire des accompagnements DLA du secteur culturel", "études", 1)],
    4: [("Animation du réseau des têtes de réseau culturelles", "rencontres", 4)],
}
FINANCING = [(Funder.DGEFP, "90000"), (Funder.CDC, "50000"), (Funder.MINISTERE, "30000")]


def seat_demo_committees(command, centres):
    User = get_user_model()
    for centre in centres:
        for institution in Institution.values:
            user = User.objects.filter(username=f"comite.{institution}").first()
            if user is None:
                continue
            _seat, created = CommitteeMembership.objects.get_or_create(
                centre=centre,
                institution=institution,
                defaults={"user": user, "is_chair": institution == Institution.PORTEUSE},
            )
            command.count("sièges de comité de pilotage", created)


def fill_programme(programme):
    """Actions with indicators on the four axes and a financing plan equal to the budget."""
    programme.ensure_axis_blocks()
    blocks = {block.axis.number: block for block in programme.axis_blocks.select_related("axis")}
    for number, actions in ACTIONS.items():
        for order, (title, unit, target) in enumerate(actions):
            action = Action.objects.create(
                axis_block=blocks[number],
                title=title,
                description="Action de démonstration.",
                calendar="Toute l'année",
                lead_kind=LeadKind.TEAM if order == 0 else LeadKind.NETWORK,
                lead_name="" if order == 0 else "Réseau associé de démonstration",
                etp=Decimal("0.5"),
                budget=Decimal("34000"),
                order=order,
            )
            Indicator.objects.create(
                action=action, label=f"Nombre {de(unit)}", unit=unit, target=Decimal(target)
            )
    for funder, amount in FINANCING:
        FinancingLine.objects.create(programme=programme, funder=funder, amount=Decimal(amount))


@transaction.atomic
def load_demo(command):
    """Committee seats for Culture and Sport, and Culture's 2026 programme as a draft."""
    centres = list(CentrePage.objects.filter(slug__in=["culture", "sport"]))
    seat_demo_committees(command, centres)
    culture = next((c for c in centres if c.slug == "culture"), None)
    editor = get_user_model().objects.filter(username="editeur.culture").first()
    if culture is None or editor is None:
        command.log("  (pas de centre Culture ou d'éditeur : pas de programme de démonstration)")
        return
    if not ActionProgramme.objects.filter(centre=culture, year=2025).exists():
        approved = approved_programme(culture, editor)
        command.count("programmes d'actions", True)
        command.log(f"  programme validé de démonstration : {approved} ({approved.page.url_path})")
    if ActionProgramme.objects.filter(centre=culture, year=2026).exists():
        return
    programme = ActionProgramme.objects.create(
        centre=culture,
        year=2026,
        title="Programme d'actions 2026 du CRDLA Culture",
        summary="Outiller les DLA sur les modèles économiques culturels et animer le réseau.",
        created_by=editor,
    )
    fill_programme(programme)
    process = _start_process(programme, editor)
    command.count("programmes d'actions", True)
    command.log(f"  programme de démonstration : {programme} (processus n° {process.pk})")


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


def approved_programme(centre, editor):
    """Culture's 2025 programme, reviewed by the five institutions and approved by the chair."""
    from viewflow.workflow.status import STATUS

    from . import services
    from .flows import ProgrammeFlow
    from .models import CommitteeDecision, CommitteeReview, Decision, Opinion

    programme = ActionProgramme.objects.create(
        centre=centre,
        year=2025,
        title="Programme d'actions 2025 du CRDLA Culture",
        summary="Consolider l'appui aux DLA sur l'emploi culturel.",
        created_by=editor,
    )
    fill_programme(programme)
    process = _start_process(programme, editor)
    draft = process.task_set.get(flow_task=ProgrammeFlow.draft)
    _run_task(draft, editor, lambda p: services.submit(p, editor), "Version 1 soumise au comité.")
    for task in process.task_set.filter(flow_task_type="HUMAN", status=STATUS.ASSIGNED):
        institution = task.flow_task.institution

        def review(p, task=task, institution=institution):
            CommitteeReview.objects.create(
                programme=programme,
                version=services.current_version(programme),
                round=1,
                institution=institution,
                reviewer=task.owner,
                opinion=Opinion.FAVOURABLE,
                comment="Programme cohérent avec les besoins des DLA.",
            )

        _run_task(task, task.owner, review, "Favorable — Programme cohérent.")
    decide = process.task_set.get(flow_task=ProgrammeFlow.decide, status=STATUS.ASSIGNED)

    def approve(p):
        CommitteeDecision.objects.create(
            programme=programme,
            round=1,
            decision=Decision.APPROVE,
            comment="Programme validé à l'unanimité.",
            budget_allocated=programme.total_financing,
            decided_by=decide.owner,
        )
        ActionProgramme.objects.filter(pk=programme.pk).update(
            budget_allocated=programme.total_financing
        )
        p.decision = Decision.APPROVE
        p.save(update_fields=["decision"])

    _run_task(decide, decide.owner, approve, "Valider le programme — validé à l'unanimité.")
    programme.refresh_from_db()
    return programme


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
