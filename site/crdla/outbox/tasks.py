"""The outbox sweep, run by Celery beat every minute and once when a worker starts."""

from celery import shared_task


@shared_task(ignore_result=True)
def sweep_outbox():
    """Dispatch again the side effects the broker, mail server or search engine refused."""
    from .service import sweep

    return sweep()
