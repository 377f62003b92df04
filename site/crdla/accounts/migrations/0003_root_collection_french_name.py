"""Wagtail creates the root collection as « Root »: the upload dialogs and the collection
filters showed that English word to every administrator. It gets a French name (issue 17);
a root renamed by hand keeps its name."""

from django.db import migrations

WAGTAIL_ROOT_NAME = "Root"
# Kept literal here (a migration does not import the code it migrates): see
# crdla.accounts.roles.ROOT_COLLECTION_NAME.
FRENCH_ROOT_NAME = "Tous les centres et réseaux"


def rename_root(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name=WAGTAIL_ROOT_NAME).update(name=FRENCH_ROOT_NAME)


def restore_root(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name=FRENCH_ROOT_NAME).update(name=WAGTAIL_ROOT_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_remove_restricted_collection"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename_root, restore_root)]
