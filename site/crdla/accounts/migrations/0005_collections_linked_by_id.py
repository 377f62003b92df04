"""A centre's and a regional network's collections are linked to their page by id
(``PageCollection``).

They were found by their display name (the centre's short name or title, « Réseau régional —
<région> »), so renaming a centre or a région orphaned them: its staff's default upload
collection was lost and the next roles set-up created a second collection. Each existing
collection is linked by its current name; one orphaned by an earlier rename is found by the
permissions its centre's (or network's) linked groups hold on it. Unlinked when migrating
back (the collections stay).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Kept literal here (a migration does not import the code it migrates): see
# crdla.accounts.roles.centre_collection_name and network_collection_name.
NETWORK_PREFIX = "Réseau régional — "


def link_collections(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    PageCollection = apps.get_model("accounts", "PageCollection")
    owners = [
        (centre, centre.short_name or centre.title, centre.role_groups.values("group_id"))
        for centre in apps.get_model("centres", "CentrePage").objects.all()
    ] + [
        (network, NETWORK_PREFIX + network.region.name, [link.group_id])
        for network in apps.get_model("network", "NetworkPage").objects.select_related("region")
        for link in apps.get_model("network", "NetworkGroup").objects.filter(network=network)
    ]
    for page, name, group_ids in owners:
        managed = Collection.objects.filter(depth=2, page_link__isnull=True)
        collection = managed.filter(name=name).order_by("path").first()
        if collection is None:
            collection = (
                managed.filter(group_permissions__group_id__in=group_ids)
                .order_by("path")
                .first()
            )
        if collection is not None and not PageCollection.objects.filter(page_id=page.pk).exists():
            PageCollection.objects.create(page_id=page.pk, collection=collection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_no_committee_groups"),
        ("centres", "0007_centre_groups_linked_by_id"),
        ("network", "0006_network_groups_linked_by_id"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PageCollection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "collection",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="page_link",
                        to="wagtailcore.collection",
                        verbose_name="collection",
                    ),
                ),
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="media_collection_link",
                        to=settings.WAGTAIL_PAGE_MODEL,
                        verbose_name="page",
                    ),
                ),
            ],
            options={
                "verbose_name": "collection d'un centre ou d'un réseau",
                "verbose_name_plural": "collections des centres et des réseaux",
            },
        ),
        migrations.RunPython(link_collections, migrations.RunPython.noop),
    ]
