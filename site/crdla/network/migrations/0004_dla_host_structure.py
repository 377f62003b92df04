"""A DLA's « structure porteuse » is called ``host_structure`` in the code, like a centre's
``HostStructure`` and a regional network's ``host_structure`` (the UI stays French).

The column is renamed, and so is the key in the DLA pages' revisions (drafts and history), so
that publishing a draft saved before the rename does not blank the field."""

from django.db import migrations

OLD, NEW = "structure_porteuse", "host_structure"


def rename_in_revisions(old, new):
    def rename(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Revision = apps.get_model("wagtailcore", "Revision")
        dla_type = ContentType.objects.filter(app_label="network", model="dlapage").first()
        if dla_type is None:
            return
        for revision in Revision.objects.filter(content_type=dla_type).iterator():
            if old in revision.content:
                revision.content[new] = revision.content.pop(old)
                revision.save(update_fields=["content"])

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_exchange_space_closing_and_announcements"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField(model_name="dlapage", old_name=OLD, new_name=NEW),
        migrations.RunPython(rename_in_revisions(OLD, NEW), rename_in_revisions(NEW, OLD)),
    ]
