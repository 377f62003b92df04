"""Provider subscription: validation, double opt-in, unsubscribe, preferences, retention."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from crdla.network.models import AlertSubscription
from crdla.network.tasks import purge_unconfirmed_subscriptions, renew_consents
from crdla.network.tokens import make_token

from .factories import AlertSubscriptionFactory, CallForTendersPageFactory, add_lot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def subscribe(client, **overrides):
    data = {"email": "prestataire@example.org", "departements": ["51"], "consent": "on"}
    data.update(overrides)
    return client.post(reverse("network:alerts-subscribe"), data)


def link_in(message, name):
    return re.search(rf"https?://[^\s]+/alertes/{name}/[^\s]+/", message.body).group(0)


def publish_call(calls_index, sector, **fields):
    call = CallForTendersPageFactory(parent=calls_index, sector=sector, **fields)
    add_lot(call)
    call.save_revision().publish()
    return call


def test_form_has_no_pre_ticked_consent(client, home):
    html = client.get(reverse("network:alerts-subscribe")).content.decode()
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent


def test_double_opt_in_end_to_end(
    client, calls_index, culture_sector, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, sectors=["culture"])
    assert response.status_code == 302
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.consent_ip == "127.0.0.1"
    assert "J'accepte que les centres de ressources DLA" in subscription.consent_text
    assert len(mail.outbox) == 1
    confirm_url = link_in(mail.outbox[0], "confirmer")

    # Nothing is sent before confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        publish_call(calls_index, culture_sector)
    assert len(mail.outbox) == 1

    path = confirm_url.replace("http://testserver", "")
    assert client.get(path).status_code == 200  # a mail scanner's GET confirms nothing
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = client.post(path)
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        call = publish_call(calls_index, culture_sector)
    assert len(mail.outbox) == 2
    alert = mail.outbox[1]
    assert alert.to == ["prestataire@example.org"]
    assert call.reference in alert.subject
    unsubscribe = link_in(alert, "desinscription")
    assert alert.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_expired_confirmation_link_is_refused(client, home, freezer=None):
    subscription = AlertSubscriptionFactory(confirmed_at=None)
    token = make_token(subscription, "confirm")
    url = reverse("network:alerts-confirm", args=[token])
    from django.core import signing

    with pytest.MonkeyPatch.context() as mp:
        real_loads = signing.loads
        mp.setattr(
            signing,
            "loads",
            lambda *a, **kw: real_loads(*a, **{**kw, "max_age": -1}),
        )
        assert client.post(url).status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"email": "pas-une-adresse"}, "n'est pas valide"),
        ({"email": ""}, "Indiquez votre adresse électronique."),
        ({"departements": ["51", "99X"]}, "Département inconnu : 99X."),
        ({"consent": ""}, "Votre consentement est nécessaire"),
        ({"kinds": ["inconnu"]}, "Type d'accompagnement inconnu : inconnu."),
    ],
)
def test_invalid_subscription_stores_nothing(client, home, overrides, message):
    response = subscribe(client, **overrides)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert "rien n'a été enregistré" in page
    assert not AlertSubscription.objects.exists()
    assert mail.outbox == []


def test_rate_limit_per_ip(client, home):
    for n in range(5):
        assert subscribe(client, email=f"p{n}@example.org").status_code == 302
    response = subscribe(client, email="p6@example.org")
    assert response.status_code == 400
    assert "Trop de demandes" in response.content.decode()
    assert not AlertSubscription.objects.filter(email="p6@example.org").exists()
    assert AlertSubscription.objects.count() == 5


def test_rate_limit_per_email(client, home):
    for n in range(3):
        subscribe(client, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(
        reverse("network:alerts-subscribe"),
        {"email": "prestataire@example.org", "consent": "on"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 400
    assert "Trop de demandes" in response.content.decode()


def test_unsubscribe_page_then_button(client, home):
    subscription = AlertSubscriptionFactory()
    url = reverse("network:alerts-unsubscribe", args=[make_token(subscription, "unsubscribe")])
    assert client.get(url).status_code == 200
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(url).status_code == 200
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()


def test_one_click_unsubscribe_rfc8058(client, home):
    subscription = AlertSubscriptionFactory()
    url = reverse("network:alerts-unsubscribe", args=[make_token(subscription, "unsubscribe")])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not AlertSubscription.objects.exists()


def test_tampered_or_wrong_action_token_unsubscribes_nobody(client, home):
    subscription = AlertSubscriptionFactory()
    token = make_token(subscription, "unsubscribe")
    client.post(reverse("network:alerts-unsubscribe", args=[token[:-2] + "xx"]))
    client.post(
        reverse("network:alerts-unsubscribe", args=[make_token(subscription, "preferences")])
    )
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()


def test_preferences_from_signed_link(client, home, culture_sector):
    subscription = AlertSubscriptionFactory()
    url = reverse("network:alerts-preferences", args=[make_token(subscription, "preferences")])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"sectors": ["culture"], "departements": ["10", "51"], "kinds": ["collectif"]}
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert list(subscription.sectors.values_list("slug", flat=True)) == ["culture"]
    assert sorted(subscription.departements.values_list("code", flat=True)) == ["10", "51"]
    assert subscription.kinds == ["collectif"]
    bad = client.post(url, {"departements": ["999"]})
    assert bad.status_code == 400
    assert "Département inconnu : 999." in bad.content.decode()
    assert client.get(reverse("network:alerts-preferences", args=["bad"])).status_code == 404


def test_unconfirmed_subscriptions_purged_after_seven_days(home):
    old = AlertSubscriptionFactory(confirmed_at=None)
    AlertSubscription.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = AlertSubscriptionFactory(confirmed_at=None)
    confirmed_old = AlertSubscriptionFactory()
    AlertSubscription.objects.filter(pk=confirmed_old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert purge_unconfirmed_subscriptions() == 1
    assert set(AlertSubscription.objects.values_list("pk", flat=True)) == {
        recent.pk,
        confirmed_old.pk,
    }


def test_reconsent_after_three_years_then_deletion(
    client, home, django_capture_on_commit_callbacks
):
    now = timezone.now()
    stale = AlertSubscriptionFactory(last_activity_at=now - datetime.timedelta(days=3 * 365 + 1))
    active = AlertSubscriptionFactory(last_activity_at=now - datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert renew_consents() == {"asked": 1, "deleted": 0}
    assert [m.to for m in mail.outbox] == [[stale.email]]
    renew_link = link_in(mail.outbox[0], "renouveler").replace("http://testserver", "")

    # A second run does not ask again.
    assert renew_consents() == {"asked": 0, "deleted": 0}

    # Following the link renews the consent (new date, IP, wording).
    assert client.post(renew_link).status_code == 302
    stale.refresh_from_db()
    assert stale.reconsent_requested_at is None
    assert stale.consent_at > now

    # Someone who does not answer within 30 days is deleted.
    AlertSubscription.objects.filter(pk=active.pk).update(
        reconsent_requested_at=now - datetime.timedelta(days=31)
    )
    assert renew_consents() == {"asked": 0, "deleted": 1}
    assert not AlertSubscription.objects.filter(pk=active.pk).exists()
