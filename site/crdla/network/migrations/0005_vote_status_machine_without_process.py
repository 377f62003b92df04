"""The common programme vote is a status machine on ``RegionalProgramme.status``: its viewflow
process rows (which only mirrored the status) and their tasks are deleted with the model.
Programmes, ballots and rounds are untouched: a vote under way goes on where it stood. Not
undone when migrating back (the table comes back empty)."""

from django.db import migrations, models


def delete_vote_processes(apps, schema_editor):
    # Rows are deleted without being loaded: loading one imports its flow class by name, and
    # ``crdla.network.flows.CommonProgrammeFlow`` is no viewflow Flow any more.
    using = schema_editor.connection.alias
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    RegionalVoteProcess = apps.get_model("network", "RegionalVoteProcess")
    ids = list(RegionalVoteProcess.objects.values_list("pk", flat=True))
    task_ids = list(Task.objects.filter(process_id__in=ids).values_list("pk", flat=True))
    Task.previous.through.objects.filter(
        models.Q(from_task_id__in=task_ids) | models.Q(to_task_id__in=task_ids)
    )._raw_delete(using)
    Task.objects.filter(pk__in=task_ids)._raw_delete(using)
    RegionalVoteProcess.objects.filter(pk__in=ids)._raw_delete(using)
    Process.objects.filter(pk__in=ids)._raw_delete(using)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_dla_host_structure"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunPython(delete_vote_processes, migrations.RunPython.noop),
        migrations.DeleteModel(name="RegionalVoteProcess"),
    ]
