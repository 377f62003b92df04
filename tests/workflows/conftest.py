"""Fixtures of the programme process: committees, editors, a complete draft, HTTP helpers."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from crdla.accounts import roles
from crdla.accounts.models import Institution
from crdla.centres.models import CommitteeSeat
from workflows.flows import ProgrammeFlow
from workflows.models import (
    Action,
    ActionProgramme,
    FinancingLine,
    FundingSource,
    Indicator,
    ProgrammeProcess,
)

INSTITUTIONS = [choice.value for choice in Institution]


@pytest.fixture
def committee(make_user, culture):
    """Culture's committee: one member per institution, the structure porteuse chairs."""
    members = {}
    for institution in INSTITUTIONS:
        user = make_user(f"comite.{institution}")
        CommitteeSeat.objects.create(
            centre=culture,
            institution=institution,
            member_name=f"Membre {institution}",
            user=user,
            is_chair=institution == Institution.PORTEUSE,
        )
        members[institution] = user
    return members


@pytest.fixture
def chair(committee):
    return committee[Institution.PORTEUSE]


@pytest.fixture
def sport_editor(make_user, sport):
    return make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group)


def fill_programme(programme, budget=Decimal("1000")):
    """One action per axis, each with an indicator with a target; financing equals budget."""
    for block in programme.axis_blocks.select_related("axis"):
        action = Action.objects.create(
            axis_block=block,
            title=f"Action de l'axe {block.axis.number}",
            etp=Decimal("0.5"),
            budget=budget,
        )
        Indicator.objects.create(
            action=action, label="Structures accompagnées", unit="structures", target=10
        )
    FinancingLine.objects.create(programme=programme, funder=FundingSource.DGEFP, amount=budget * 3)
    FinancingLine.objects.create(programme=programme, funder=FundingSource.CDC, amount=budget)


class Pilotage:
    """Drives the programme process through its real HTTP views, one user at a time."""

    def __init__(self, client, django_capture_on_commit_callbacks):
        self.client = client
        self.capture = django_capture_on_commit_callbacks

    def as_user(self, user):
        self.client.force_login(user)
        return self

    def post(self, url, data=None, **kwargs):
        with self.capture(execute=True):
            return self.client.post(url, data or {}, **kwargs)

    def start(self, editor, centre, year=2026, **extra):
        self.as_user(editor)
        data = {
            "centre": centre.pk,
            "year": year,
            "title": f"Programme {year}",
            "summary": "Synthèse du programme.",
            **extra,
        }
        response = self.post(reverse("programme:start:execute"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return ActionProgramme.objects.get(centre=centre, year=year)

    @staticmethod
    def process(programme):
        return ProgrammeProcess.objects.get(programme=programme)

    @staticmethod
    def open_task(programme, name):
        return Task.objects.get(
            process__programmeprocess__programme=programme,
            flow_task=getattr(ProgrammeFlow, name),
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )

    @staticmethod
    def execute_url(task):
        return task.flow_task.reverse("execute", args=[task.process_id, task.pk])

    def do(self, user, programme, name, data=None):
        task = self.open_task(programme, name)
        self.as_user(user)
        return self.post(self.execute_url(task), data)

    def submit(self, editor, programme):
        return self.do(editor, programme, "draft")

    def review_all(self, committee, programme, opinion="favourable"):
        for institution, user in committee.items():
            response = self.do(
                user,
                programme,
                f"review_{institution}",
                {"opinion": opinion, "comment": f"Avis de {institution}."},
            )
            assert response.status_code == 302, response.content.decode()[:2000]

    def decide(self, chair, programme, decision, budget="4000"):
        return self.do(
            chair,
            programme,
            "decide",
            {
                "decision": decision,
                "comment": "Motivation de la décision.",
                "budget_allocated": budget,
            },
        )


@pytest.fixture
def pilotage(client, django_capture_on_commit_callbacks):
    return Pilotage(client, django_capture_on_commit_callbacks)


@pytest.fixture
def submitted_programme(pilotage, culture_editor, culture, committee):
    """Culture's 2026 programme, complete and submitted: five reviews are open."""
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    response = pilotage.submit(culture_editor, programme)
    assert response.status_code == 302, response.content.decode()[:3000]
    programme.refresh_from_db()
    return programme


def messages_text(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def strip_tags(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
