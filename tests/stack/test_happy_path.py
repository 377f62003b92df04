"""The stack over real HTTP and real SMTP: a provider subscribes and confirms through the
e-mail's link, a call is published, every confirmed subscriber gets the alert exactly once
with List-Unsubscribe (issue 12)."""

import re
import time
from collections import Counter

import pytest
import requests

from .helpers import alerts_of, body, csrf, publish_copy, wait_for_mail, wait_until

pytestmark = pytest.mark.stack

PROVIDERS = [f"prestataire{n}@example.org" for n in range(3)]


def subscribe_and_confirm(stack, email):
    session = requests.Session()
    url = f"{stack.url}/alertes/"
    data = {"csrfmiddlewaretoken": csrf(session, url), "email": email, "consent": "on"}
    response = session.post(url, data=data, headers={"Referer": url}, timeout=30)
    assert response.status_code == 200 and "/alertes/verifiez-vos-courriels/" in response.url
    mails = wait_for_mail(stack, lambda m: m["To"] == email)
    assert len(mails) == 1, f"confirmation de {email} non reçue"
    link = re.search(r"https?://\S+/alertes/confirmer/\S+/", body(mails[0])).group(0)
    response = session.post(
        link, data={"csrfmiddlewaretoken": csrf(session, link)}, headers={"Referer": link}
    )
    assert response.status_code == 200


def test_subscribe_confirm_publish_and_each_alert_arrives_once(stack):
    assert stack.ready()[0] == 200, stack.ready()
    for email in PROVIDERS:
        subscribe_and_confirm(stack, email)
    started = time.monotonic()
    call_id = publish_copy(stack, "STACK-2026-001")
    elapsed = wait_until(
        lambda: {m["To"] for m in alerts_of(stack, call_id)} >= set(PROVIDERS), 180
    )
    assert elapsed is not None, Counter(m["To"] for m in alerts_of(stack, call_id))
    per_recipient = Counter(m["To"] for m in alerts_of(stack, call_id))
    print(
        f"\nalertes de la consultation {call_id} : {dict(per_recipient)} en {time.monotonic() - started:.1f} s"
    )
    assert all(per_recipient[email] == 1 for email in PROVIDERS), per_recipient
    assert max(per_recipient.values()) == 1, per_recipient
    assert all(m["List-Unsubscribe"] for m in alerts_of(stack, call_id))
