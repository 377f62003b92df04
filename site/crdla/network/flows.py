"""Adoption of a network's common programme by unanimity of its DLA officers.

Path: the animator starts the process with a draft programme (``start``) → edits it and
submits it (``draft``, a Handle run by the submit view) → the round opens: one blank ballot
per officer, officers notified (``open_vote``) → each officer votes pour / contre with a
comment in the ballot model; the vote view runs ``collect_votes`` (a Handle) when the last
ballot arrives → ``unanimous``: all "pour" → ``adopt`` (published on the intranet) → end;
any "contre" → back to ``draft`` with the objections. Free viewflow has no one-task-per-item
split, so the ballots live in ``RegionalVote`` and the Handle closes the round.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import RegionalProgrammeStatus, RegionalVoteProcess, VoteChoice


class CommonProgrammeFlow(flow.Flow):
    """Draft → unanimous vote of the network's officers → adoption (or back to draft)."""

    process_class = RegionalVoteProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Adoption du programme commun")

    start = flow.StartHandle(this.start_process).Next(this.draft)
    draft = flow.Handle(this.submit_draft).Next(this.open_vote)
    open_vote = flow.Function(this.open_round).Next(this.collect_votes)
    collect_votes = flow.Handle(this.close_round).Next(this.unanimous)
    unanimous = flow.If(this.is_unanimous).Then(this.adopt).Else(this.draft)
    adopt = flow.Function(this.adopt_programme).Next(this.end)
    end = flow.End()

    def start_process(self, activation, programme):
        activation.process.programme = programme
        return activation.process

    def submit_draft(self, activation):
        """The animator submits the draft to the vote."""
        return activation.process.programme

    def open_round(self, activation):
        from .vote import open_round

        open_round(activation.process.programme)

    def close_round(self, activation):
        """Record the outcome of the round, with the objections of the "contre" votes."""
        from .vote import record_outcome

        record_outcome(activation.process.programme)

    def is_unanimous(self, activation):
        programme = activation.process.programme
        ballots = programme.current_ballots()
        return ballots.exists() and not ballots.exclude(choice=VoteChoice.FOR).exists()

    def adopt_programme(self, activation):
        from .vote import publish_on_intranet

        programme = activation.process.programme
        programme.status = RegionalProgrammeStatus.ADOPTED
        programme.adopted_at = timezone.now()
        programme.save(update_fields=["status", "adopted_at"])
        publish_on_intranet(programme)
