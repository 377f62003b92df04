"""Programme e-mails are claimed in the outbox's ``SentEmail`` (one row per event and
recipient) instead of ``NotificationLog``: the e-mails already sent are copied across first, so
that a deployment does not send them a second time (a timer sweep re-firing a reminder, a
decision task run again)."""

from django.db import migrations


def copy_sent_notifications(apps, schema_editor):
    NotificationLog = apps.get_model("workflows", "NotificationLog")
    SentEmail = apps.get_model("outbox", "SentEmail")
    rows = []
    for log in NotificationLog.objects.exclude(sent_at=None).exclude(recipients="").iterator():
        kind = log.kind.split(":", 1)[0]  # « decided:<user id> » was one row per member
        for address in log.recipients.replace(";", ",").split(","):
            if address.strip():
                rows.append(
                    SentEmail(
                        event=f"workflows:{kind}:{log.task_id}"[:200],
                        recipient=address.strip().lower()[:254],
                        sent_at=log.sent_at,
                    )
                )
    SentEmail.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("outbox", "0002_sent_email"),
    ]

    operations = [
        migrations.RunPython(copy_sent_notifications, migrations.RunPython.noop),
        migrations.DeleteModel(name="NotificationLog"),
    ]
