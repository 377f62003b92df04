"""The demo hook: committee seats, two approved programmes and one under review (idempotent)."""

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from crdla.accounts import roles
from crdla.centres.models import CommitteeSeat
from workflows.demo import load_demo
from workflows.models import (
    Action,
    ActionProgramme,
    Indicator,
    ProgrammeProcess,
)
from workflows.services import submission_problems


class FakeCommand:
    def __init__(self):
        self.counts = {}
        self.lines = []

    def log(self, message):
        self.lines.append(message)

    def count(self, name, created):
        if created:
            self.counts[name] = self.counts.get(name, 0) + 1


def test_load_demo_is_idempotent(make_user, culture, sport, django_capture_on_commit_callbacks):
    committee = {
        institution: make_user(f"comite.{institution}")
        for institution in ("porteuse", "dgefp", "cdc", "ministere", "avise")
    }
    make_user("editeur.culture", roles.CENTRE_STAFF, culture.editors_group)
    make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group)
    command = FakeCommand()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(command)
        load_demo(FakeCommand())
    assert CommitteeSeat.objects.count() == 10
    assert CommitteeSeat.objects.get(centre=sport, is_chair=True).user.username == (
        "comite.porteuse"
    )
    today = timezone.localdate()
    assert ActionProgramme.objects.count() == 3
    for centre, year in ((culture, today.year - 1), (sport, today.year)):
        approved = ActionProgramme.objects.get(centre=centre, year=year)
        assert approved.status == "approved" and approved.page.live
        assert approved.reviews.count() == 5
        assert approved.decision_date <= today
        assert approved.decision_date.year in (year, year - 1)
        assert submission_problems(approved) == []
        for report in approved.reports.all():
            assert report.filed_at.date() <= today
            assert report.filed_at.date() >= approved.decision_date
    programme = ActionProgramme.objects.get(centre=culture, year=today.year)
    assert programme.status == "submitted"
    process = ProgrammeProcess.objects.get(programme=programme)
    assert process.review_deadline.date() > today
    open_reviews = Task.objects.filter(
        process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN"
    )
    owners = {task.owner.username for task in open_reviews}
    assert owners == {"comite.ministere", "comite.avise", "comite.porteuse"}
    assert committee["avise"].username in owners
    assert command.counts["programmes d'actions"] == 3
    # Credible content: no placeholder, varied amounts, ETP and units.
    actions = Action.objects.filter(axis_block__programme=programme)
    assert not actions.filter(description__icontains="démonstration").exists()
    assert actions.values("budget").distinct().count() > 5
    assert actions.values("etp").distinct().count() > 3
    assert Indicator.objects.values("unit").distinct().count() > 8
    assert not Indicator.objects.filter(label__startswith="Nombre de a").exists()


def test_committee_inbox_shows_work_on_first_login(
    client, make_user, culture, sport, django_capture_on_commit_callbacks
):
    for institution in ("porteuse", "dgefp", "cdc", "ministere", "avise"):
        make_user(f"comite.{institution}")
    make_user("editeur.culture", roles.CENTRE_STAFF, culture.editors_group)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(FakeCommand())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="comite.avise"))
    body = client.get("/pilotage/", follow=True).content.decode()
    assert "Programme d" in body and "actions" in body
