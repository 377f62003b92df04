"""Adoption of a network's common programme by unanimity of its DLA officers.

A status machine (``viewflow.fsm``) on ``RegionalProgramme.status``. Each transition carries
who may take it (``permission``) and when (``conditions``); the views under /reseaux/vote/
ask it and decide nothing themselves. Path:

- created by an animator of the network (``start_programme``) → **draft**: the animator
  writes the introduction and the actions;
- **draft** → ``submit`` (an animator of the network; at least one action) → **voting**: a new
  round, one blank ballot per DLA officer of the network, each officer e-mailed;
- **voting** → ``vote`` (the officer whose ballot of the round is still blank) → **voting**:
  « pour », or « contre » with the objection; the last ballot closes the round;
- **voting** → ``adopt`` (every ballot « pour ») → **adopted**: published as a news item of the
  network's intranet;
- **voting** → ``send_back`` (any « contre ») → **draft**, with the objections shown to the
  animator, who edits and submits again (next round).

The outcome of each round is e-mailed to the network's animators and officers; officers whose
ballot is still blank after a few days are reminded once a day (``vote.remind_pending_voters``,
Celery beat). Every e-mail goes through the outbox (``crdla.network.vote``).

A status machine rather than a viewflow ``Flow``: the vote's one task per officer is no node of
free viewflow, so a flow only mirrored ``status`` in process and task rows that the views had to
look up by node name; here the status is the one record of where the vote stands.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import fsm, this

from .access import is_network_animator, network_officers
from .models import RegionalProgramme, RegionalProgrammeStatus, RegionalVote, VoteChoice
from .vote import notify_outcome, notify_round_opened, publish_on_intranet

NO_ACTION = _("Ajoutez au moins une action avant de soumettre au vote.")

DRAFT, VOTING, ADOPTED = (
    RegionalProgrammeStatus.DRAFT,
    RegionalProgrammeStatus.VOTING,
    RegionalProgrammeStatus.ADOPTED,
)


class CommonProgrammeFlow:
    """Draft → unanimous vote of the network's officers → adoption (or back to draft)."""

    status = fsm.State(RegionalProgrammeStatus, default=DRAFT)

    def __init__(self, programme):
        self.programme = programme

    @classmethod
    def locked(cls, programme):
        """The flow of ``programme`` read under a row lock (call inside a transaction): two
        transitions of one programme never interleave."""
        queryset = RegionalProgramme.objects.select_for_update().select_related("network")
        return cls(queryset.get(pk=programme.pk))

    @status.getter()
    def _get_status(self):
        return self.programme.status

    @status.setter()
    def _set_status(self, value):
        self.programme.status = value

    # --- who may ----------------------------------------------------------------------------

    def allows(self, transition, user):
        """Whether ``user`` holds the permission of ``transition`` (its name), whatever the
        status: a view answers 403 to whoever may never take it, and a message to the one who
        may but not now (a second click on « submit »)."""
        transitions = getattr(type(self), transition).get_transitions()
        return any(t.has_perm(self, user) for t in transitions)

    def is_animator(self, user):
        return is_network_animator(user, self.programme.network)

    def holds_blank_ballot(self, user):
        """Ballots are given to the network's officers when a round opens: only they vote."""
        return user.is_authenticated and self.blank_ballots().filter(voter=user).exists()

    # --- when -------------------------------------------------------------------------------

    def has_actions(self):
        return fsm.State.CONDITION(self.programme.actions.exists(), NO_ACTION)

    def blank_ballots(self):
        return self.programme.current_ballots().filter(choice="")

    def round_is_complete(self):
        ballots = self.programme.current_ballots()
        return ballots.exists() and not ballots.filter(choice="").exists()

    def is_unanimous(self):
        return not self.programme.current_ballots().exclude(choice=VoteChoice.FOR).exists()

    def has_objections(self):
        return not self.is_unanimous()

    # --- transitions ------------------------------------------------------------------------

    @status.transition(
        source=DRAFT,
        target=VOTING,
        label=_("Soumettre au vote"),
        permission=this.is_animator,
        conditions=[this.has_actions],
    )
    def submit(self):
        """A new round: one blank ballot per officer of the network, who are e-mailed."""
        programme = self.programme
        programme.round += 1
        programme.vote_opened_at = timezone.now()
        programme.save(update_fields=["round", "status", "vote_opened_at"])
        voters = list(network_officers(programme.network))
        RegionalVote.objects.bulk_create(
            [RegionalVote(programme=programme, round=programme.round, voter=v) for v in voters]
        )
        notify_round_opened(programme, voters)

    @status.transition(
        source=VOTING, target=VOTING, label=_("Voter"), permission=this.holds_blank_ballot
    )
    def vote(self, user, choice, comment):
        """Record ``user``'s ballot; the last one closes the round. Returns the ballot."""
        ballot = self.blank_ballots().select_for_update().get(voter=user)
        ballot.choice, ballot.comment, ballot.voted_at = choice, comment, timezone.now()
        ballot.save(update_fields=["choice", "comment", "voted_at"])
        return ballot

    @status.transition(
        source=VOTING,
        target=ADOPTED,
        label=_("Adopter à l'unanimité"),
        conditions=[this.round_is_complete, this.is_unanimous],
    )
    def adopt(self):
        """Every ballot « pour »: adopted, announced and published on the intranet."""
        programme = self.programme
        programme.adopted_at = timezone.now()
        programme.objections = ""
        programme.save(update_fields=["status", "adopted_at", "objections"])
        notify_outcome(programme, objections=[])
        publish_on_intranet(programme)

    @status.transition(
        source=VOTING,
        target=DRAFT,
        label=_("Renvoyer en rédaction"),
        conditions=[this.round_is_complete, this.has_objections],
    )
    def send_back(self):
        """Any « contre »: back to the animator with each objection and who made it."""
        programme = self.programme
        against = programme.current_ballots().filter(choice=VoteChoice.AGAINST)
        objections = [
            f"{b.voter.get_full_name() or b.voter.username} : {b.comment}"
            for b in against.select_related("voter")
        ]
        programme.objections = "\n".join(objections)
        programme.save(update_fields=["status", "objections"])
        notify_outcome(programme, objections=objections)

    def close_round_if_complete(self):
        """Adopt or send back once no ballot of the round is blank (nothing otherwise)."""
        for transition in (self.adopt, self.send_back):
            if transition.can_proceed():
                transition()
                return


# --- entry points (views, demo loader) --------------------------------------------------------


def start_programme(network, year, title, user, introduction=""):
    """A draft programme of ``network`` for ``year``."""
    return RegionalProgramme.objects.create(
        network=network, year=year, title=title, introduction=introduction, created_by=user
    )


def submit_programme(programme):
    """Open a round on a draft programme with actions; returns whether it opened."""
    with transaction.atomic():
        flow = CommonProgrammeFlow.locked(programme)
        if not flow.submit.can_proceed():
            return False
        flow.submit()
    return True


def cast_vote(programme, user, choice, comment):
    """``user``'s ballot of the current round, and the round closed if it was the last one;
    None when ``user`` has no blank ballot (already voted, not an officer, no vote open)."""
    with transaction.atomic():
        flow = CommonProgrammeFlow.locked(programme)
        if not (flow.vote.can_proceed() and flow.allows("vote", user)):
            return None
        ballot = flow.vote(user, choice, comment)
        flow.close_round_if_complete()
    return ballot
