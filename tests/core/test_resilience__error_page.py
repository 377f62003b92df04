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
