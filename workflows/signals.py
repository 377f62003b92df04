"""The public pages that show programme data (the tracker, each programme's page, its centre)
change with the workflow data, not only when a Wagtail page is published: drop the cached
copies when a programme's status, approved version, reports or evaluation change."""

from django.db.models.signals import post_delete, post_save

from crdla.pagecache.signals import invalidate

from .models import (
    ActionProgramme,
    FollowUpReport,
    ProgrammeEvaluation,
    ProgrammeVersion,
    ReportIndicatorValue,
)

PUBLIC_PROGRAMME_DATA = (
    ActionProgramme,
    ProgrammeVersion,
    FollowUpReport,
    ReportIndicatorValue,
    ProgrammeEvaluation,
)


def programme_data_changed(sender, raw=False, **kwargs):
    if not raw:
        invalidate()


for model in PUBLIC_PROGRAMME_DATA:
    post_save.connect(programme_data_changed, sender=model, dispatch_uid=f"pagecache-{model}")
    post_delete.connect(programme_data_changed, sender=model, dispatch_uid=f"pagecache-del-{model}")
