"""Password reset: Django's views, French e-mails with links from the site's root URL, throttled."""

import html
import re

import pytest
from django.test import override_settings
from wagtail.models import Site


def test_login_page_links_to_password_reset(client, home):
    body = client.get("/connexion/").content.decode()
    assert 'href="/mot-de-passe-oublie/"' in body
    assert "Mot de passe oublié ?" in body


def test_reset_by_email_then_log_in_with_the_new_password(
    client, dla_officer, mailoutbox, django_capture_on_commit_callbacks
):
    Site.objects.filter(is_default_site=True).update(hostname="crdla.example.org", port=443)
    dla_officer.email = "cm@example.org"
    dla_officer.save()
    # The e-mail leaves through the outbox, once the request's transaction is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mot-de-passe-oublie/", {"email": "cm@example.org"})
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/envoye/"
    message = mailoutbox[-1]
    assert message.subject == "Votre nouveau mot de passe — Centres de ressources DLA"
    assert "Bonjour" in message.body and dla_officer.username in message.body
    html_part = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    link = re.search(r"https://crdla\.example\.org(/nouveau-mot-de-passe/\S+/)", message.body)
    assert link, message.body
    assert f'href="{link.group(0)}"' in html_part
    response = client.get(link.group(1), follow=True)
    assert "Nouveau mot de passe" in html.unescape(response.content.decode())
    new = "Un-Nouveau-Mot-De-Passe-2026"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == "/nouveau-mot-de-passe/enregistre/"
    dla_officer.refresh_from_db()
    assert dla_officer.check_password(new)


def test_unknown_address_gives_the_same_answer_and_no_email(client, home, mailoutbox):
    response = client.post("/mot-de-passe-oublie/", {"email": "inconnu@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.parametrize("vary", ["address", "email"])
@override_settings(AXES_FAILURE_LIMIT=3)
def test_requests_are_throttled_like_the_login(client, home, mailoutbox, vary):
    from django.core.cache import cache

    cache.clear()
    for number in range(3):
        email = f"x{number}@example.org" if vary == "address" else "same@example.org"
        address = "10.0.0.9" if vary == "address" else f"10.0.1.{number}"
        response = client.post("/mot-de-passe-oublie/", {"email": email}, REMOTE_ADDR=address)
        assert response.status_code == 302
    email = "x9@example.org" if vary == "address" else "same@example.org"
    address = "10.0.0.9" if vary == "address" else "10.0.1.9"
    response = client.post("/mot-de-passe-oublie/", {"email": email}, REMOTE_ADDR=address)
    assert response.status_code == 429
    assert "Réessayez dans 15 minutes" in html.unescape(response.content.decode())
