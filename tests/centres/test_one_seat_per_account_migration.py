"""Migration centres 0006: an account holding two seats of one committee keeps one."""

import pytest

from tests.migrations import latest, migrate

BEFORE = [("centres", "0005_one_committee_seat_per_institution")]


@pytest.mark.django_db(transaction=True)
def test_the_second_seat_of_an_account_is_unlinked(culture, sport, make_user):
    member = make_user("comite.double")
    old = migrate(BEFORE)
    Seat = old.get_model("centres", "CommitteeSeat")
    cdc = Seat.objects.create(
        centre_id=culture.pk, institution="cdc", member_name="M. Double", user_id=member.pk
    )
    chair = Seat.objects.create(
        centre_id=culture.pk,
        institution="porteuse",
        member_name="M. Double",
        user_id=member.pk,
        is_chair=True,
    )
    elsewhere = Seat.objects.create(
        centre_id=sport.pk, institution="cdc", member_name="M. Double", user_id=member.pk
    )

    new = migrate(latest())
    linked = dict(new.get_model("centres", "CommitteeSeat").objects.values_list("pk", "user_id"))
    # The chair's seat keeps the account (the decision needs it); the name stays public.
    assert linked == {chair.pk: member.pk, cdc.pk: None, elsewhere.pk: member.pk}
