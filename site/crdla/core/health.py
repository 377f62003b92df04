"""Readiness: each dependency checked with a short timeout, its latency reported.

``/healthz/`` stays a liveness probe (the process answers, nothing else is touched);
``/readyz/`` says whether this instance can serve everything: database, cache, broker,
search engine and mail server, as JSON, 503 when one of them is down. A dependency the
configuration does not use (no broker in the embedded mode, the database search backend,
a console mail backend) is reported « non utilisé » and never fails the check.
"""

import smtplib
import time

from django.conf import settings
from django.http import JsonResponse

TIMEOUT = 2.0


def check_database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    from django.core.cache import cache

    from .cache import FailOpenRedisCache

    # The fail-open wrapper hides errors from the site; readiness must see them.
    raw = super(FailOpenRedisCache, cache) if isinstance(cache, FailOpenRedisCache) else cache
    raw.set("crdla:readyz", "ok", 10)
    if raw.get("crdla:readyz") != "ok":
        raise RuntimeError("cache: la valeur écrite n'est pas relue")


def check_broker():
    from crdla.celery import app

    if app.conf.task_always_eager or not app.conf.broker_url:
        return "unused"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT)
        if conn.transport_cls == "redis" or conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()
    return None


def check_search():
    if not getattr(settings, "ELASTICSEARCH_URL", ""):
        return "unused"
    from search.backends import get_backend

    client = get_backend().client.options(request_timeout=TIMEOUT, max_retries=0)
    info = client.info()
    if not info:
        raise RuntimeError("le moteur de recherche ne répond pas")
    return None


def check_smtp():
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return "unused"
    server = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=TIMEOUT)
    try:
        code, _ = server.noop()
        if code != 250:
            raise smtplib.SMTPResponseException(code, "NOOP")
    finally:
        try:
            server.quit()
        except smtplib.SMTPException:
            server.close()
    return None


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
    "smtp": check_smtp,
}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        start = time.monotonic()
        try:
            outcome = check()
        except Exception as exc:
            results[name] = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            results[name] = {"status": "unused" if outcome == "unused" else "ok"}
        results[name]["latency_ms"] = round((time.monotonic() - start) * 1000, 1)
    return results


def outbox_backlog():
    try:
        from django.db.models import Count

        from crdla.outbox.models import OutboxMessage, OutboxStatus

        counts = dict(
            OutboxMessage.objects.exclude(status=OutboxStatus.DONE)
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        return counts
    except Exception:
        return None


def readyz(request):
    """Readiness probe (JSON): 200 when every dependency in use answers, else 503."""
    checks = run_checks()
    ready = all(c["status"] != "down" for c in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    backlog = outbox_backlog() if checks["database"]["status"] == "ok" else None
    if backlog is not None:
        body["outbox"] = backlog
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response
