"""A regional network's group is linked to it by id (``NetworkGroup``).

It was found by its display name (« Réseau régional — Bretagne », after the région), so
renaming a région or moving a network to another one orphaned the group: the intranet's view
restriction and the call permissions stayed on the old group while a new one was created.
Each existing network's group is linked by its current name; a group orphaned by an earlier
rename is found by the view restriction or page permissions it holds in the network's section.
Unlinked when migrating back (the groups stay).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

# Kept literal here (a migration does not import the code it migrates): see
# crdla.network.access.NETWORK_GROUP_PREFIX.
PREFIX = "Réseau régional — "


def link_groups(apps, schema_editor):
    NetworkPage = apps.get_model("network", "NetworkPage")
    NetworkGroup = apps.get_model("network", "NetworkGroup")
    Group = apps.get_model("auth", "Group")
    for network in NetworkPage.objects.select_related("region"):
        group = Group.objects.filter(name=PREFIX + network.region.name).first()
        if group is None:
            in_section = Q(page_permissions__page__path__startswith=network.path) | Q(
                pageviewrestriction__page__path__startswith=network.path
            )
            group = (
                Group.objects.filter(name__startswith=PREFIX)
                .filter(in_section)
                .order_by("pk")
                .first()
            )
        if group is not None and not NetworkGroup.objects.filter(group=group).exists():
            NetworkGroup.objects.create(network_id=network.pk, group=group)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("network", "0005_vote_status_machine_without_process"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="NetworkGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="network_link",
                        to="auth.group",
                        verbose_name="groupe",
                    ),
                ),
                (
                    "network",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="group_link",
                        to="network.networkpage",
                        verbose_name="réseau régional",
                    ),
                ),
            ],
            options={
                "verbose_name": "groupe d'un réseau régional",
                "verbose_name_plural": "groupes des réseaux régionaux",
            },
        ),
        migrations.RunPython(link_groups, migrations.RunPython.noop),
    ]
