"""French first: the browser's language does not switch the interface, the selector does."""

import pytest
from django.conf import settings


def test_french_by_default_even_for_english_browsers(client, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_the_footer_links_switch_the_language_and_come_back(client, home):
    footer = client.get("/").content.decode()
    assert '<span aria-current="true">Français</span>' in footer
    assert 'href="/langue/en/?next=/"' in footer
    response = client.get("/langue/en/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "no-cache" in response["Cache-Control"]
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert 'href="/langue/fr/?next=/"' in response.content.decode()
    client.get("/langue/fr/")
    assert client.get("/")["Content-Language"] == "fr"


@pytest.mark.parametrize("back", ["https://ailleurs.example/", "//ailleurs.example/", ""])
def test_the_way_back_stays_on_the_site(client, db, back):
    response = client.get("/langue/en/", {"next": back})
    assert response.status_code == 302 and response["Location"] == "/"


def test_unknown_languages_are_not_found(client, home):
    response = client.get("/langue/de/")
    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_public_pages_carry_no_form_and_set_no_cookie(client, home):
    """No CSRF token on public pages: a first visit gets no cookie at all."""
    response = client.get("/")
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies
