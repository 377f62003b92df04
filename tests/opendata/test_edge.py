"""Rate limit per client address (French 429, fails open without a cache), the OpenAPI
description and its documentation page under the strict CSP."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings
from openapi_spec_validator import validate

from crdla.opendata.schema import build_openapi


@pytest.fixture
def limited(settings, monkeypatch):
    settings.CRDLA_OPEN_DATA_RATE = "3/min"
    # The window is fixed (per minute): hold the clock in the middle of one, or a test that
    # straddles a minute boundary would see its count restart (a flake seen in CI).
    import crdla.opendata.middleware as edge

    class Clock:
        @staticmethod
        def time():
            return 1_800_000_030.0

    monkeypatch.setattr(edge, "time", Clock)
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_rate_limit_per_address_with_a_french_message(client, home, limited):
    for _ in range(3):
        assert client.get("/api/v2/pages/").status_code == 200
    refused = client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Trop de requêtes depuis votre adresse")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"  # a browser can read the reason
    # Another address is served; the rest of the site is not limited.
    assert client.get("/api/v2/pages/", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert client.get("/healthz/").status_code == 200


def test_forwarded_address_is_trusted_only_behind_declared_proxies(client, home, limited, settings):
    settings.CRDLA_TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 200


def test_the_limit_fails_open_when_the_cache_is_down(client, home, limited, caplog, settings):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
    with (
        override_settings(
            CACHES={**settings.CACHES, "down": unreachable},
            CRDLA_OPEN_DATA_CACHE_ALIAS="down",
        ),
        caplog.at_level(logging.WARNING, logger="crdla.opendata.middleware"),
    ):
        for _ in range(5):
            assert client.get("/api/v2/pages/").status_code == 200
    assert "cache injoignable" in caplog.text


def test_the_openapi_description_is_valid_and_served(client, home):
    validate(build_openapi("http://testserver"))
    response = client.get("/api/v2/schema/")
    assert response.status_code == 200
    served = response.json()
    assert served["servers"] == [{"url": "http://testserver"}]
    validate(served)


def test_documentation_page_works_under_the_strict_csp(client, home):
    response = client.get("/donnees/api/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script" not in html and "style=" not in html
    assert "/static/opendata/opendata.css" in html
    for path in build_openapi()["paths"]:
        assert path in html, path
    assert "Anonyme par conception" in html
