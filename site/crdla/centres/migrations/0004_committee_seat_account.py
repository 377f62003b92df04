"""A committee seat belongs to its centre by a plain foreign key (edited as a snippet by the
site administrators, no longer in the centre page's revisions) and may be linked to the
account that reviews the centre's programmes. The seats of the workflows' former
``CommitteeMembership`` are merged in by workflows 0003."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0003_centrepage_cover_image"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="committeeseat", old_name="page", new_name="centre"),
        migrations.AlterField(
            model_name="committeeseat",
            name="centre",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="committee_seats",
                to="centres.centrepage",
                verbose_name="centre de ressources",
            ),
        ),
        migrations.RemoveField(model_name="committeeseat", name="sort_order"),
        migrations.AddField(
            model_name="committeeseat",
            name="user",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Le compte qui examine les programmes d'actions du centre pour cette "
                    "institution. Vide : le siège est affiché sur la page publique, sans examen "
                    "en ligne."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="committee_seats",
                to=settings.AUTH_USER_MODEL,
                verbose_name="compte",
            ),
        ),
        migrations.AlterField(
            model_name="committeeseat",
            name="member_name",
            field=models.CharField(
                help_text="Le nom affiché sur la page publique du centre.",
                max_length=200,
                verbose_name="représentant·e",
            ),
        ),
        migrations.AlterModelOptions(
            name="committeeseat",
            options={
                "ordering": ["centre__title", "-is_chair", "institution"],
                "verbose_name": "siège au comité de pilotage",
                "verbose_name_plural": "sièges aux comités de pilotage",
            },
        ),
    ]
