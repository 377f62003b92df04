"""The « Membres de comité de pilotage » and « Présidents de comité de pilotage » groups granted
nothing: committee members and chairs are the accounts linked to a centre's committee seats
(centres 0004). The groups are deleted; migrating back does not recreate them."""

from django.db import migrations

FORMER_GROUPS = ["Membres de comité de pilotage", "Présidents de comité de pilotage"]


def delete_committee_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=FORMER_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_root_collection_french_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(delete_committee_groups, migrations.RunPython.noop)]
