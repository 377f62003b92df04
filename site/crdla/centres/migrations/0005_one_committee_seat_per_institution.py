"""One seat per institution and one chair per centre, as constraints.

The centre page's inline panel enforced neither. Before the constraints, a centre's seats for
the same institution are folded into the first one (the names joined by « ; », so no name is
lost) and only its first chair keeps the chair. Not undone when migrating back (the folded
seats stay one seat); the constraints are dropped.
"""

from django.db import migrations, models

NAME_LENGTH = 200


def fold_duplicate_seats(apps, schema_editor):
    CommitteeSeat = apps.get_model("centres", "CommitteeSeat")
    kept = {}
    chairs = set()
    for seat in CommitteeSeat.objects.order_by("centre_id", "pk"):
        key = (seat.centre_id, seat.institution)
        first = kept.get(key)
        if first is None:
            kept[key] = seat
            if seat.is_chair and seat.centre_id in chairs:
                seat.is_chair = False
                seat.save(update_fields=["is_chair"])
            elif seat.is_chair:
                chairs.add(seat.centre_id)
            continue
        if seat.member_name and seat.member_name not in first.member_name:
            first.member_name = f"{first.member_name} ; {seat.member_name}"[:NAME_LENGTH]
        if seat.is_chair and seat.centre_id not in chairs:
            first.is_chair = True
            chairs.add(seat.centre_id)
        first.save(update_fields=["member_name", "is_chair"])
        seat.delete()


class Migration(migrations.Migration):
    dependencies = [("centres", "0004_committee_seat_account")]

    operations = [
        migrations.RunPython(fold_duplicate_seats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="committeeseat",
            constraint=models.UniqueConstraint(
                fields=("centre", "institution"),
                name="one_committee_seat_per_institution",
                violation_error_message=(
                    "Ce comité de pilotage a déjà un siège pour cette institution."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="committeeseat",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_chair", True)),
                fields=("centre",),
                name="one_committee_chair_per_centre",
                violation_error_message="Ce comité de pilotage a déjà une présidence.",
            ),
        ),
    ]
