"""A centre's experts and editors groups are linked to it by id (``CentreGroup``).

They were found by their display name (« Éditeurs — CRDLA Culture »), so renaming a centre
orphaned them. Each existing centre's groups are linked by their current names; a group
orphaned by an earlier rename is found by its page permissions on the centre's section.
Unlinked when migrating back (the groups stay).
"""

import django.db.models.deletion
from django.db import migrations, models

PREFIXES = {"experts": "Experts — ", "editors": "Éditeurs — "}


def link_groups(apps, schema_editor):
    CentrePage = apps.get_model("centres", "CentrePage")
    CentreGroup = apps.get_model("centres", "CentreGroup")
    Group = apps.get_model("auth", "Group")
    for centre in CentrePage.objects.all():
        for role, prefix in PREFIXES.items():
            group = Group.objects.filter(name=prefix + (centre.short_name or centre.title)).first()
            if group is None:
                group = (
                    Group.objects.filter(
                        name__startswith=prefix, page_permissions__page_id=centre.pk
                    )
                    .order_by("pk")
                    .first()
                )
            if group is not None and not CentreGroup.objects.filter(group=group).exists():
                CentreGroup.objects.create(centre_id=centre.pk, role=role, group=group)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("centres", "0006_one_committee_seat_per_account"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="CentreGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("experts", "experts"), ("editors", "éditeurs")],
                        max_length=10,
                        verbose_name="rôle",
                    ),
                ),
                (
                    "centre",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_groups",
                        to="centres.centrepage",
                        verbose_name="centre de ressources",
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="centre_link",
                        to="auth.group",
                        verbose_name="groupe",
                    ),
                ),
            ],
            options={
                "verbose_name": "groupe d'un centre",
                "verbose_name_plural": "groupes des centres",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("centre", "role"), name="one_group_per_centre_role"
                    )
                ],
            },
        ),
        migrations.RunPython(link_groups, migrations.RunPython.noop),
    ]
