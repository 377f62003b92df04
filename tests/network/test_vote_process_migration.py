"""Migration network 0005: the vote's viewflow process rows go, its programmes and ballots stay
(a vote under way goes on from its status)."""

import pytest

from crdla.network.flows import cast_vote
from crdla.network.models import RegionalProgramme, RegionalProgrammeStatus
from tests.migrations import latest, migrate

BEFORE = [("network", "0004_dla_host_structure")]
OLD_FLOW = "network/flows.CommonProgrammeFlow"


@pytest.mark.django_db(transaction=True)
def test_processes_go_and_the_vote_under_way_goes_on(grand_est, officer51, officer10, animator):
    old = migrate(BEFORE)
    Programme = old.get_model("network", "RegionalProgramme")
    programme = Programme.objects.create(
        network_id=grand_est.pk, year=2027, title="Programme 2027", status="voting", round=1
    )
    old.get_model("network", "ProgrammeAction").objects.create(
        programme=programme, need="temps", title="Banque de trames"
    )
    for officer in (officer51, officer10):
        old.get_model("network", "RegionalVote").objects.create(
            programme=programme, round=1, voter_id=officer.pk
        )
    process = old.get_model("network", "RegionalVoteProcess").objects.create(
        programme=programme, flow_class=OLD_FLOW
    )
    Task = old.get_model("viewflow", "Task")
    draft = Task.objects.create(
        process_id=process.pk, flow_task=f"{OLD_FLOW}.draft", flow_task_type="HUMAN"
    )
    collect = Task.objects.create(
        process_id=process.pk, flow_task=f"{OLD_FLOW}.collect_votes", flow_task_type="HUMAN"
    )
    collect.previous.add(draft)
    other = old.get_model("viewflow", "Process").objects.create(
        flow_class="workflows/flows.ProgrammeFlow"
    )

    new = migrate(latest())
    assert list(new.get_model("viewflow", "Process").objects.values_list("pk", flat=True)) == [
        other.pk
    ]
    assert not new.get_model("viewflow", "Task").objects.exists()

    programme = RegionalProgramme.objects.get(pk=programme.pk)
    assert cast_vote(programme, officer51, "pour", "")
    assert cast_vote(programme, officer10, "pour", "")
    programme.refresh_from_db()
    assert programme.status == RegionalProgrammeStatus.ADOPTED
