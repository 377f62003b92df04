"""Migrations centres 0004–0005 and workflows 0003: the public seats and the reviewing
memberships become one ``CommitteeSeat`` per centre and institution, and back."""

import pytest

from tests.migrations import latest, migrate

BEFORE = [
    ("centres", "0003_centrepage_cover_image"),
    ("workflows", "0002_notifications_logged_by_the_outbox"),
]


def seats(apps, centre):
    return {
        seat.institution: (seat.member_name, seat.user_id, seat.is_chair)
        for seat in apps.get_model("centres", "CommitteeSeat").objects.filter(centre_id=centre.pk)
    }


@pytest.mark.django_db(transaction=True)
def test_seats_and_memberships_merge_and_split_back(culture, sport, make_user):
    chair = make_user("comite.dgefp", first_name="Aline", last_name="Durand")
    avise = make_user("comite.avise", first_name="Romain", last_name="Delorme")
    nameless = make_user("comite.cdc", first_name="", last_name="")

    old = migrate(BEFORE)
    Seat = old.get_model("centres", "CommitteeSeat")
    Membership = old.get_model("workflows", "CommitteeMembership")
    for order, (institution, name, is_chair) in enumerate(
        [
            ("porteuse", "Sophie Lemarchand", True),
            ("dgefp", "Antoine Berthier", False),
            ("cdc", "Nadia Khelifi", False),
            ("cdc", "Paul Nadal", False),  # the inline panel allowed a second CDC seat
        ]
    ):
        Seat.objects.create(
            page_id=culture.pk,
            sort_order=order,
            institution=institution,
            member_name=name,
            is_chair=is_chair,
        )
    Seat.objects.create(page_id=sport.pk, institution="porteuse", member_name="Marc", is_chair=True)
    # The workflow's chair is DGEFP's member; Avise's member has no public seat.
    Membership.objects.create(
        centre_id=culture.pk, institution="dgefp", user_id=chair.pk, is_chair=True
    )
    Membership.objects.create(centre_id=culture.pk, institution="avise", user_id=avise.pk)
    Membership.objects.create(centre_id=sport.pk, institution="cdc", user_id=nameless.pk)

    merged = {
        "porteuse": ("Sophie Lemarchand", None, False),
        "dgefp": ("Antoine Berthier", chair.pk, True),
        "cdc": ("Nadia Khelifi ; Paul Nadal", None, False),
        "avise": ("Romain Delorme", avise.pk, False),
    }
    new = migrate(latest())
    assert seats(new, culture) == merged
    assert seats(new, sport) == {
        "porteuse": ("Marc", None, True),
        "cdc": ("comite.cdc", nameless.pk, False),
    }

    old = migrate(BEFORE)
    memberships = old.get_model("workflows", "CommitteeMembership").objects
    assert set(memberships.values_list("centre_id", "institution", "user_id", "is_chair")) == {
        (culture.pk, "dgefp", chair.pk, True),
        (culture.pk, "avise", avise.pk, False),
        (sport.pk, "cdc", nameless.pk, False),
    }

    new = migrate(latest())
    assert seats(new, culture) == merged
    assert new.get_model("centres", "CommitteeSeat").objects.count() == 6
