"""Issue 12's faults with the real processes, one at a time, on the stack the session shares:
the SMTP catcher dies mid-batch of an alert fan-out; the broker refuses connections while a
DLA officer publishes a call in the admin; the cache (Redis) is down; the search engine hangs
(accepts, never answers). Each ends with nothing lost, nothing duplicated and the platform
recovered by itself once the dependency is back; each prints its recovery time.

The broker, the cache and the search engine are reached through the stack's relays
(``FaultProxy``): cutting a relay cuts every process's connections, as an outage does.
"""

import json
import re
import time
from collections import Counter

import pytest
import requests
from bs4 import BeautifulSoup

from .helpers import (
    alerts_of,
    form_data,
    insecure,
    login,
    publish_copy,
    query,
    rich_text,
    wait_until,
)

pytestmark = pytest.mark.stack

SUBSCRIBERS = 40  # confirmed, without preferences: every call's alert goes to each of them
CRASH_AFTER = 12  # messages the SMTP catcher accepts before it dies

SETUP = f"""
import json, secrets
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from crdla.access.calls import call_indexes_for
from crdla.accounts import roles
from crdla.network.models import AlertSubscription, DLAOfficer, DLAPage

now = timezone.now()
AlertSubscription.objects.bulk_create(
    [
        AlertSubscription(
            email=f"panne{{n}}@example.org", consent_text="Pile complète", consent_at=now,
            confirmed_at=now,
        )
        for n in range({SUBSCRIBERS})
    ]
)
dla = DLAPage.objects.live().filter(departement__isnull=False).order_by("path").first()
password = secrets.token_urlsafe(16)
user = get_user_model().objects.create_user(
    "cm.pile", email="cm.pile@example.org", password=password, first_name="Chargée",
    last_name="Pile",
)
user.groups.add(Group.objects.get(name=roles.DLA_OFFICERS))
user.profile.dla = dla
user.profile.network = dla.get_parent().specific
user.profile.save()
DLAOfficer.objects.create(page=dla, name="Chargée Pile", email=user.email, user=user)
index = call_indexes_for(user)[0]
print(json.dumps({{"username": user.username, "password": password, "index": index.pk}}))
"""


@pytest.fixture(scope="module")
def scene(stack):
    return json.loads(stack.shell(SETUP).strip().splitlines()[-1])


def deliveries(stack, call_id):
    return query(
        stack, "SELECT email, status FROM network_alertdelivery WHERE call_id = %s", call_id
    )


def each_subscriber_once(stack, call_id):
    """True once every delivery of the call is sent and its e-mail arrived (once)."""
    rows = deliveries(stack, call_id)
    received = Counter(m["To"] for m in alerts_of(stack, call_id))
    return (
        len(rows) >= SUBSCRIBERS
        and all(status == "sent" for _email, status in rows)
        and set(received) == {email for email, _status in rows}
    )


def assert_exactly_once(stack, call_id):
    rows = deliveries(stack, call_id)
    received = Counter(m["To"] for m in alerts_of(stack, call_id))
    expected = {email for email, _status in rows}
    assert {f"panne{n}@example.org" for n in range(SUBSCRIBERS)} <= expected
    assert set(received) == expected, set(received) ^ expected
    assert max(received.values()) == 1, [e for e, n in received.items() if n > 1]
    assert Counter(status for _email, status in rows) == {"sent": len(rows)}
    return len(rows)


def test_smtp_dies_mid_batch_and_every_subscriber_gets_the_alert_once(stack, scene):
    """Finding 2: the catcher dies after accepting CRASH_AFTER alerts of the batch; it comes
    back a moment later and the batch task's own retry sends the rest, once each."""
    catcher = stack.start_smtp(crash_after=CRASH_AFTER)
    call_id = publish_copy(stack, "PANNE-SMTP-1")
    assert wait_until(lambda: catcher.poll() is not None, 120) is not None, "pas de panne"
    crashed = time.monotonic()
    received_before = len(alerts_of(stack, call_id))
    stack.start_smtp()
    back = time.monotonic() - crashed
    statuses = Counter(status for _email, status in deliveries(stack, call_id))
    recovered = wait_until(lambda: each_subscriber_once(stack, call_id), 150)
    sent = assert_exactly_once(stack, call_id)
    print(
        f"\n[SMTP] panne après {received_before} alertes sur {sent} (état : {dict(statuses)}), "
        f"collecteur relancé en {back:.1f} s, tout reçu {recovered:.1f} s après la panne"
    )
    assert received_before == CRASH_AFTER
    assert statuses.get("failed", 0) + statuses.get("pending", 0) > 0
    assert recovered is not None


def test_broker_refused_while_an_officer_publishes_a_call_in_the_admin(stack, scene):
    """Finding 1: no 500 for the officer, the call is live and logged, its fan-out waits in
    the outbox and leaves by itself once the broker is back."""
    session = login(stack, scene["username"], scene["password"])
    url = f"{stack.url}/admin/pages/add/network/callfortenderspage/{scene['index']}/"
    page = session.get(url, timeout=30)
    insecure(session)
    fields = {}
    for name, value in form_data(page.text, "form[data-edit-form]"):
        fields.setdefault(name, []).append(value)
    choices = BeautifulSoup(page.text, "html.parser")

    def first_choice(name):
        options = choices.select(f"select[name={name}] option")
        return next(o["value"] for o in options if o.get("value"))

    fields.update(
        {
            "title": "Stratégie de mécénat (panne du gestionnaire de tâches)",
            "slug": "strategie-mecenat-panne-broker",
            "reference": "PANNE-BROKER-1",
            "kind": first_choice("kind"),
            "structure_type": "Association employeuse",
            "sector": first_choice("sector"),
            "structure_size": first_choice("structure_size"),
            "description": rich_text("Diagnostic et plan d'action."),
            "lots-TOTAL_FORMS": "1",
            "lots-0-title": "Diagnostic et plan d'action",
            "lots-0-days": "4",
            "lots-0-ceiling": "3200",
            "deadline": "15/01/2099 12:00",
            "contact_name": "Chargée Pile",
            "contact_email": "cm.pile@example.org",
            "action-publish": "action-publish",
        }
    )
    stack.proxies["broker"].refuse()
    try:
        started = time.monotonic()
        response = session.post(url, data=fields, headers={"Referer": url}, timeout=60)
        publish_seconds = time.monotonic() - started
        (call_id,) = query(
            stack,
            "SELECT page_ptr_id FROM network_callfortenderspage WHERE reference = %s",
            "PANNE-BROKER-1",
        )[0]
        outbox = query(
            stack,
            "SELECT status, reason FROM outbox_outboxmessage WHERE task = %s AND args->>0 = %s",
            "crdla.network.tasks.fan_out_call",
            str(call_id),
        )
    finally:
        stack.proxies["broker"].restore()
    restored = time.monotonic()
    assert response.status_code == 200, (response.status_code, response.text[-2000:])
    assert "/admin/pages/add/" not in response.url, re.findall(r"error-message.*", response.text)
    assert query(stack, "SELECT live FROM wagtailcore_page WHERE id = %s", call_id) == [(True,)]
    assert query(
        stack,
        "SELECT count(*) FROM wagtailcore_pagelogentry WHERE page_id = %s AND action = %s",
        call_id,
        "wagtail.publish",
    ) == [(1,)]
    assert [status for status, _reason in outbox] == ["failed"], outbox
    assert "gestionnaire de tâches" in outbox[0][1]
    recovered = wait_until(lambda: each_subscriber_once(stack, call_id), 150)
    sent = assert_exactly_once(stack, call_id)
    print(
        f"\n[broker] publication en {publish_seconds:.1f} s gestionnaire coupé, "
        f"{sent} alertes reçues une fois {recovered:.1f} s après son retour"
    )
    assert recovered is not None
    assert time.monotonic() - restored < 150


def resource_path(stack):
    url_path = query(
        stack,
        "SELECT p.url_path FROM wagtailcore_page p JOIN resources_resourcepage r"
        " ON r.page_ptr_id = p.id WHERE p.live ORDER BY p.path LIMIT 1",
    )[0][0]
    return "/" + url_path.split("/", 2)[2]  # below the home page « /accueil/ »


PAGES = ["/", "/healthz/", "/admin/login/", "/alertes/", "/recherche/?q=association"]


def test_cache_down_and_the_site_still_serves(stack):
    """Finding 4: with Redis (the cache) refused, every page answers from the database;
    readiness says the cache is down, and is green again once it is back."""
    paths = [*PAGES, resource_path(stack)]
    stack.proxies["cache"].refuse()
    try:
        answers = {path: requests.get(stack.url + path, timeout=15).status_code for path in paths}
        status, report = stack.ready()
    finally:
        stack.proxies["cache"].restore()
    recovered = wait_until(lambda: stack.ready()[0] == 200, 30)
    print(f"\n[cache] coupé : {answers} ; prêt de nouveau {recovered:.1f} s après son retour")
    assert set(answers.values()) == {200}, answers
    assert status == 503 and '"cache"' in report, report
    assert recovered is not None


def test_search_engine_hung_and_search_answers_within_seconds(stack):
    """Finding 6: a search engine that accepts and never answers costs the search page a
    few seconds and shows the French notice; the results come back with the engine."""
    url = f"{stack.url}/recherche/?q=association"
    resource = stack.url + resource_path(stack)
    stack.proxies["search"].hang()
    try:
        started = time.monotonic()
        response = requests.get(url, timeout=30)
        seconds = time.monotonic() - started
        started = time.monotonic()
        page = requests.get(resource, timeout=30)
        page_seconds = time.monotonic() - started
    finally:
        stack.proxies["search"].restore()
    restored = time.monotonic()

    def results_back():
        answer = requests.get(url, timeout=30)
        return answer.status_code == 200 and "momentanément indisponible" not in answer.text

    recovered = wait_until(results_back, 30)
    print(
        f"\n[recherche] moteur bloqué : recherche en {seconds:.1f} s ({response.status_code}), "
        f"page de ressource en {page_seconds:.1f} s ({page.status_code}) ; "
        f"résultats de retour {recovered:.1f} s après le déblocage"
    )
    assert page.status_code == 200 and page_seconds < 8
    assert response.status_code in (200, 503)
    assert "La recherche est momentanément indisponible" in response.text
    assert seconds < 8
    assert recovered is not None and time.monotonic() - restored < 30
