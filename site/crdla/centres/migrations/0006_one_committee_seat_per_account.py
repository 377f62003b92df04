"""One seat per account on a committee, as a constraint.

Before the constraint, an account holding several seats of one committee keeps its first
(the chair's, else the oldest) and the others are unlinked: they stay on the public page with
their displayed name, without online review, until an administrator links another account.
Not undone when migrating back (the seats stay unlinked); the constraint is dropped.
"""

from django.db import migrations, models


def unlink_second_seats(apps, schema_editor):
    CommitteeSeat = apps.get_model("centres", "CommitteeSeat")
    seen = set()
    seats = CommitteeSeat.objects.filter(user__isnull=False).order_by("centre_id", "-is_chair", "pk")
    for seat in seats:
        key = (seat.centre_id, seat.user_id)
        if key in seen:
            seat.user = None
            seat.save(update_fields=["user"])
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("centres", "0005_one_committee_seat_per_institution")]

    operations = [
        migrations.RunPython(unlink_second_seats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="committeeseat",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("centre", "user"),
                name="one_committee_seat_per_account",
                violation_error_message="Ce compte occupe déjà un siège de ce comité de pilotage.",
            ),
        ),
    ]
