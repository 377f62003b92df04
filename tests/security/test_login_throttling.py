"""django-axes: repeated failed logins lock the (username, address) pair, with a French page."""

import pytest
from django.test import override_settings

LOGIN_URLS = ["/connexion/", "/admin/login/"]
LOCKOUT_TEXT = "Trop de tentatives de connexion"


def attempt(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", LOGIN_URLS)
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_from_that_address(client, dla_officer, url, home):
    for _ in range(2):
        response = attempt(client, url, dla_officer.username, "mauvais")
        assert response.status_code == 200
        assert LOCKOUT_TEXT not in response.content.decode()
    response = attempt(client, url, dla_officer.username, "mauvais")
    assert response.status_code == 429
    # Even the right password is refused while locked.
    response = attempt(client, url, dla_officer.username, "motdepasse-test")
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKOUT_TEXT in body
    assert "après 3 tentatives de connexion échouées" in body
    assert "Réessayez dans 15 minutes" in body
    assert "_auth_user_id" not in client.session

    # The same account from another address is not locked.
    response = attempt(client, url, dla_officer.username, "motdepasse-test", address="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(dla_officer.pk)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_login_resets_the_counter(client, dla_officer, home):
    for _ in range(2):
        attempt(client, "/connexion/", dla_officer.username, "mauvais")
    assert (
        attempt(client, "/connexion/", dla_officer.username, "motdepasse-test").status_code == 302
    )
    client.logout()
    for _ in range(2):
        assert attempt(client, "/connexion/", dla_officer.username, "mauvais").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=2)
def test_forged_forwarded_for_header_does_not_dodge_the_lockout(client, dla_officer, home):
    for number in range(3):
        response = client.post(
            "/connexion/",
            {"username": dla_officer.username, "password": "mauvais"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    assert response.status_code == 429


def test_test_client_login_without_request_still_works(client, dla_officer):
    assert client.login(username=dla_officer.username, password="motdepasse-test")
