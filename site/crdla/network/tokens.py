"""Signed links for providers (no account): confirm, unsubscribe, preferences, re-consent."""

from django.core import signing

SALT = "crdla.network.alerts"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def make_token(subscription, action):
    return signing.dumps(
        {"s": subscription.pk, "k": subscription.token_key, "a": action}, salt=SALT
    )


def read_token(token, action, max_age=None):
    """The subscription a token designates, or None for a bad, expired or stale token."""
    from .models import AlertSubscription

    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("a") != action:
        return None
    return AlertSubscription.objects.filter(pk=data.get("s"), token_key=data.get("k")).first()
