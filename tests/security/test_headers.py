"""Security headers: a strict CSP on public pages, relaxed only in the admin; production settings."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def test_public_pages_forbid_inline_scripts(client, culture_index):
    for url in ("/", culture_index.url, "/connexion/", "/page-absente/"):
        response = client.get(url)
        csp = directives(response)
        assert csp["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in csp["style-src"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_gets_its_relaxations_only_under_its_own_paths(client, admin_user, home):
    client.force_login(admin_user)
    admin = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    public = directives(client.get("/"))
    assert "'unsafe-inline'" not in public["script-src"]


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_public_templates_contain_no_inline_script_or_style():
    """The CSP would block them: scripts and styles must be files under static/."""
    offenders = [
        str(template.relative_to(ROOT))
        for template in (ROOT / "templates").rglob("*.html")
        if INLINE_CODE.search(template.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "name, expected",
    [
        ("SECURE_HSTS_SECONDS", 31_536_000),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", True),
        ("SECURE_SSL_REDIRECT", True),
        ("SECURE_PROXY_SSL_HEADER", ["HTTP_X_FORWARDED_PROTO", "https"]),
        ("SECURE_CONTENT_TYPE_NOSNIFF", True),
        ("SECURE_REFERRER_POLICY", "strict-origin-when-cross-origin"),
        ("SESSION_COOKIE_SECURE", True),
        ("CSRF_COOKIE_SECURE", True),
        ("SESSION_COOKIE_HTTPONLY", True),
        ("DEBUG", False),
    ],
)
def test_production_settings(production_settings, name, expected):
    assert production_settings[name] == expected


@pytest.fixture(scope="module")
def production_settings():
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "DEBUG",
        "MIDDLEWARE",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert "crdla.security.middleware.ScopedCSPMiddleware" in values["MIDDLEWARE"]
    assert "axes.middleware.AxesMiddleware" in values["MIDDLEWARE"]
    return values
