"""The demo hook: committee seats for the demo users and Culture's 2026 draft (idempotent)."""

from crdla.accounts import roles
from workflows.demo import load_demo
from workflows.models import ActionProgramme, CommitteeMembership, ProgrammeProcess
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
    for institution in ("porteuse", "dgefp", "cdc", "ministere", "avise"):
        make_user(f"comite.{institution}", roles.COMMITTEE_MEMBERS)
    make_user("editeur.culture", roles.CENTRE_STAFF, roles.editor_group_name(culture))
    command = FakeCommand()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(command)
        load_demo(FakeCommand())
    assert CommitteeMembership.objects.count() == 10
    assert CommitteeMembership.objects.get(centre=sport, is_chair=True).user.username == (
        "comite.porteuse"
    )
    assert ActionProgramme.objects.count() == 2
    approved = ActionProgramme.objects.get(year=2025)
    assert approved.status == "approved" and approved.page.live
    assert approved.reviews.count() == 5
    programme = ActionProgramme.objects.get(year=2026)
    assert (programme.centre, programme.status) == (culture, "draft")
    assert ProgrammeProcess.objects.filter(programme=programme).count() == 1
    assert submission_problems(programme) == []
    assert command.counts["programmes d'actions"] == 2
