"""The committee becomes one model: ``CommitteeMembership`` (who reviews) is merged into the
centres' ``CommitteeSeat`` (who is shown publicly), then deleted.

- a membership links its account to the seat of the same centre and institution;
- a membership without a seat gets a new seat, its public name the account's full name (or
  username);
- seats without a membership keep their public name and no account;
- for a centre that had memberships, the chair is the membership's chair (it is the one that
  decided); a public chair whose institution's member was not the chair loses the chair.

Migrating back recreates one membership per seat with an account (chair included); the seats
this migration created for memberships stay as public seats.
"""

from itertools import groupby

from django.db import migrations


def merge_memberships_into_seats(apps, schema_editor):
    CommitteeMembership = apps.get_model("workflows", "CommitteeMembership")
    CommitteeSeat = apps.get_model("centres", "CommitteeSeat")
    memberships = CommitteeMembership.objects.select_related("user").order_by("centre_id", "pk")
    for centre_id, members in groupby(memberships, key=lambda m: m.centre_id):
        members = list(members)
        seats = CommitteeSeat.objects.filter(centre_id=centre_id)
        for member in members:
            seat = seats.filter(institution=member.institution).first()
            if seat is None:
                full_name = f"{member.user.first_name} {member.user.last_name}".strip()
                CommitteeSeat.objects.create(
                    centre_id=centre_id,
                    institution=member.institution,
                    member_name=(full_name or member.user.username)[:200],
                    user_id=member.user_id,
                    is_chair=False,
                )
            else:
                seat.user_id = member.user_id
                seat.save(update_fields=["user"])
        chair = next((m for m in members if m.is_chair), None)
        if chair is None:
            seats.filter(is_chair=True, user__isnull=False).update(is_chair=False)
        else:
            seats.exclude(institution=chair.institution).update(is_chair=False)
            seats.filter(institution=chair.institution).update(is_chair=True)


def split_memberships_from_seats(apps, schema_editor):
    CommitteeMembership = apps.get_model("workflows", "CommitteeMembership")
    CommitteeSeat = apps.get_model("centres", "CommitteeSeat")
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(
            centre_id=seat.centre_id,
            institution=seat.institution,
            user_id=seat.user_id,
            is_chair=seat.is_chair,
        )
        for seat in CommitteeSeat.objects.filter(user__isnull=False).order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_notifications_logged_by_the_outbox"),
        ("centres", "0005_one_committee_seat_per_institution"),
    ]

    operations = [
        migrations.RunPython(merge_memberships_into_seats, split_memberships_from_seats),
        migrations.DeleteModel(name="CommitteeMembership"),
    ]
