from django.db import migrations


def load(apps, schema_editor):
    from crdla.core.geography import load_reference_data

    load_reference_data(
        apps.get_model("core", "Region"),
        apps.get_model("core", "Departement"),
        apps.get_model("core", "ProgrammeAxis"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
