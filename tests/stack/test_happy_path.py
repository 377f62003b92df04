"""The stack over real HTTP and real SMTP: a provider subscribes and confirms through the
e-mail's link, a call is published, every confirmed subscriber gets the alert exactly once
with List-Unsubscribe (issue 12)."""

import re
import subprocess
import time
from collections import Counter

import pytest
import requests

pytestmark = pytest.mark.stack

PROVIDERS = [f"prestataire{n}@example.org" for n in range(3)]


def csrf(session, url):
    page = session.get(url, timeout=30)
    page.raise_for_status()
    # Production cookies are Secure; the stack serves plain HTTP on 127.0.0.1 (no TLS proxy).
    for cookie in session.cookies:
        cookie.secure = False
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def wait_for_mail(stack, predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in stack.messages() if predicate(m)]
        if found:
            return found
        time.sleep(0.5)
    return []


def body(message):
    part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    if part is None:
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                break
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


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


PUBLISH = """
import datetime
from django.utils import timezone
from crdla.network.models import CallForTendersPage, CallStatus
source = CallForTendersPage.objects.live().first()
copy = source.copy(
    update_attrs={
        "title": "Consultation de la pile complète",
        "slug": "consultation-pile-complete",
        "reference": "STACK-2026-001",
        "status": CallStatus.OPEN,
        "deadline": timezone.now() + datetime.timedelta(days=20),
    },
    keep_live=False,
    log_action=None,
)
copy.save_revision().publish()
print(copy.pk)
"""


def test_subscribe_confirm_publish_and_each_alert_arrives_once(stack):
    assert stack.ready()[0] == 200, stack.ready()
    for email in PROVIDERS:
        subscribe_and_confirm(stack, email)
    started = time.monotonic()
    published = subprocess.run(
        [stack_python(), "manage.py", "shell", "-c", PUBLISH],
        cwd=stack_root(),
        env=stack.env(),
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    call_id = published.stdout.strip().splitlines()[-1]

    def alerts():
        return [
            m
            for m in stack.messages()
            if str(m["Message-ID"] or "").startswith(f"<alert-{call_id}-")
        ]

    deadline = time.monotonic() + 180
    while {m["To"] for m in alerts()} < set(PROVIDERS) and time.monotonic() < deadline:
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    time.sleep(5)  # anything duplicated would arrive now
    per_recipient = Counter(m["To"] for m in alerts())
    print(f"\nalertes de la consultation {call_id} : {dict(per_recipient)} en {elapsed:.1f} s")
    assert all(per_recipient[email] == 1 for email in PROVIDERS), per_recipient
    assert max(per_recipient.values()) == 1, per_recipient
    assert all(m["List-Unsubscribe"] for m in alerts())


def stack_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


def stack_python():
    return str(stack_root() / ".venv" / "bin" / "python")
