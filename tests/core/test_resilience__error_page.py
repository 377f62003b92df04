"""Finding 5 of issue 12: the French 500 page needs neither the database nor the cache."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

DOWN = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def database_down():
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=DOWN
    )


def assert_french_500(response):
    assert response.status_code == 500
    content = response.content.decode()
    assert 'lang="fr"' in content and "Une erreur est survenue" in content
    assert "Internal Server Error" not in content


@pytest.mark.parametrize("path", ["/", "/ressources/", "/connexion/"])
def test_500_page_with_the_database_down(settings, path):
    settings.DEBUG = False
    with database_down():
        assert_french_500(Client(raise_request_exception=False).get(path))


@pytest.mark.django_db(transaction=True)
def test_500_page_for_a_signed_in_user_with_the_database_down(settings, home, make_user):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(make_user("lectrice"))
    with database_down():
        assert_french_500(client.get("/"))


def test_500_page_renders_no_context_processor(settings):
    """A context processor that needs the database (site settings, navigation) is never run."""
    settings.DEBUG = False
    with (
        database_down(),
        mock.patch("crdla.core.context_processors.navigation", side_effect=DOWN),
        mock.patch("wagtail.contrib.settings.context_processors.settings", side_effect=DOWN),
    ):
        assert_french_500(Client(raise_request_exception=False).get("/"))


def test_500_page_style_is_allowed_by_the_content_security_policy(settings):
    """The page's inline style block is allowed by its hash, not by 'unsafe-inline'."""
    import base64
    import hashlib
    import re

    settings.DEBUG = False
    with database_down():
        response = Client(raise_request_exception=False).get("/")
    assert_french_500(response)
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
    assert f"'sha256-{digest}'" in style_src
    assert "unsafe-inline" not in style_src
