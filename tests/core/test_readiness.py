"""/healthz/ is liveness; /readyz/ reports each dependency with its latency (issue 12)."""

import pytest

from tests.outbox.faults import broker_down

pytestmark = pytest.mark.django_db


def test_ready_when_every_dependency_in_use_answers(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache", "broker", "search", "smtp"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "unused"  # eager: the embedded mode
    assert all("latency_ms" in check for check in body["checks"].values())
    assert response["Cache-Control"] == "no-store"


def test_each_dependency_down_is_a_503_naming_it(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "crdla.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with broker_down():
        response = client.get("/readyz/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert {name for name, c in checks.items() if c["status"] == "down"} == {
        "cache",
        "broker",
        "search",
        "smtp",
    }
    # Liveness is not readiness: the process still answers.
    assert client.get("/healthz/").status_code == 200
