"""What the stack's tests share: CSRF tokens over real HTTP, the caught mail, the stack's
database read directly (psycopg), waiting without sleeping longer than needed."""

import json
import re
import time

import psycopg
import requests
from bs4 import BeautifulSoup


def csrf(session, url):
    page = session.get(url, timeout=30)
    page.raise_for_status()
    insecure(session)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def insecure(session):
    # Production cookies are Secure; the stack serves plain HTTP on 127.0.0.1 (no TLS proxy).
    for cookie in session.cookies:
        cookie.secure = False


def wait_until(predicate, timeout, interval=0.25):
    """Poll ``predicate`` until it is true; returns the seconds it took, or None."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    return None


def wait_for_mail(stack, predicate, timeout=90):
    found = []

    def arrived():
        found[:] = [m for m in stack.messages() if predicate(m)]
        return bool(found)

    wait_until(arrived, timeout, interval=0.5)
    return found


def body(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def query(stack, sql, *params):
    """Rows of ``sql`` on the stack's own database (what the processes wrote)."""
    with psycopg.connect(stack.database_url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def alerts_of(stack, call_id):
    prefix = f"<alert-{call_id}-"
    return [m for m in stack.messages() if str(m["Message-ID"] or "").startswith(prefix)]


PUBLISH = """
import datetime
from django.utils import timezone
from crdla.network.models import CallForTendersPage, CallStatus
copy = CallForTendersPage.objects.live().order_by("pk").first().copy(
    update_attrs={
        "title": "Consultation %(ref)s",
        "slug": "consultation-%(ref)s".lower(),
        "reference": "%(ref)s",
        "status": CallStatus.OPEN,
        "deadline": timezone.now() + datetime.timedelta(days=20),
    },
    keep_live=False,
    log_action=None,
)
copy.save_revision().publish()
print(copy.pk)
"""


def publish_copy(stack, reference):
    """Publish a copy of a demo call (open, new reference); returns its page id."""
    return int(stack.shell(PUBLISH % {"ref": reference}).strip().splitlines()[-1])


def form_data(html, form_selector):
    """What a browser would submit from the form: every field with its current value."""
    form = BeautifulSoup(html, "html.parser").select_one(form_selector)
    data = []
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            data.append((name, field.text))
        elif field.name == "select":
            chosen = field.find_all("option", selected=True) or field.find_all("option")[:1]
            data += [(name, option.get("value", option.text)) for option in chosen]
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.append((name, field.get("value", "on")))
        elif field.get("type") not in ("submit", "button", "file", "image"):
            data.append((name, field.get("value", "")))
    return data


def rich_text(text):
    block = {
        "key": "pile1",
        "text": text,
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return json.dumps({"blocks": [block], "entityMap": {}})


def login(stack, username, password):
    session = requests.Session()
    url = f"{stack.url}/admin/login/"
    response = session.post(
        url,
        data={
            "csrfmiddlewaretoken": csrf(session, url),
            "username": username,
            "password": password,
        },
        headers={"Referer": url},
        timeout=30,
        allow_redirects=False,
    )
    insecure(session)
    assert response.status_code == 302, response.status_code
    assert session.get(f"{stack.url}/admin/", timeout=30).url == f"{stack.url}/admin/"
    return session
