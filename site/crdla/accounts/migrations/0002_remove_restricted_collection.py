"""The « Documents réservés au réseau DLA » collection goes away: a file's audience now follows
the live pages that use it (``crdla.access.media``), so files no longer move between
collections. Its documents and images go back to the root collection (administrators
manage them until a centre takes them over)."""

from django.db import migrations

RESTRICTED_COLLECTION = "Documents réservés au réseau DLA"


def remove_restricted_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Document = apps.get_model("wagtaildocs", "Document")
    Image = apps.get_model("wagtailimages", "Image")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    for collection in Collection.objects.filter(name=RESTRICTED_COLLECTION, depth=2):
        if Collection.objects.filter(path__startswith=collection.path, depth__gt=2).exists():
            continue  # someone filed sub-collections under it: leave it to an administrator
        Document.objects.filter(collection=collection).update(collection=root)
        Image.objects.filter(collection=collection).update(collection=root)
        CollectionViewRestriction.objects.filter(collection=collection).delete()
        collection.delete()
        root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(remove_restricted_collection, migrations.RunPython.noop)]
