#!/usr/bin/env python
"""Bench: fan one call for tenders out to N confirmed subscribers with a real Celery worker.

Usage (from the repository root, Redis running):
    .venv/bin/python bench/alerts_fanout.py [--subscribers 10000] [--concurrency 2]
        [--database-url sqlite:///var/bench-alerts.sqlite3 | postgres://…/crdla_bench]

The database is migrated and emptied of previous bench data; e-mails are written by the
file backend to a temporary folder and counted there. Reports the time from publication to
the last e-mail written, and the count (must be exactly N, each address once).
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench-alerts.sqlite3'}"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()

    mail_dir = tempfile.mkdtemp(prefix="crdla-bench-mails-")
    queue = f"crdla-bench-{uuid.uuid4().hex[:8]}"
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings_alerts",
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": args.redis_url,
        "CELERY_QUEUE": queue,
        "CRDLA_TEST_MAIL_DIR": mail_dir,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    }
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Page, Site

    from crdla.core.models import Departement, HomePage, Sector
    from crdla.network.models import (
        AlertDelivery,
        AlertSubscription,
        CallForTendersIndexPage,
        CallForTendersPage,
        CallLot,
        DLAPage,
        NetworkPage,
    )

    print(f"Base : {args.database_url}")
    call_command("migrate", verbosity=0)
    AlertDelivery.objects.all().delete()
    AlertSubscription.objects.all().delete()
    CallForTendersPage.objects.all().delete()

    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Bench", slug="bench-home")
        )
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    marne = Departement.objects.get(code="51")
    network = NetworkPage.objects.filter(region=marne.region).first()
    if network is None:
        network = home.add_child(
            instance=NetworkPage(
                title="Réseau bench", slug="reseau-bench", region=marne.region, host_structure="X"
            )
        )
    dla = DLAPage.objects.child_of(network).first() or network.add_child(
        instance=DLAPage(title="DLA bench", slug="dla-bench", departement=marne, host_structure="X")
    )
    index = CallForTendersIndexPage.objects.child_of(network).first() or network.add_child(
        instance=CallForTendersIndexPage(title="Consultations", slug="consultations")
    )
    sector, _ = Sector.objects.get_or_create(slug="culture", defaults={"name": "Culture"})

    now = timezone.now()
    AlertSubscription.objects.bulk_create(
        [
            AlertSubscription(
                email=f"bench{n}@example.org",
                consent_text="bench",
                consent_at=now,
                confirmed_at=now,
            )
            for n in range(args.subscribers)
        ],
        batch_size=2000,
    )
    call = CallForTendersPage(
        title="Consultation de bench",
        slug=f"bench-{uuid.uuid4().hex[:6]}",
        reference=f"BENCH-{uuid.uuid4().hex[:8]}",
        dla=dla,
        kind="individuel",
        structure_type="Association",
        sector=sector,
        structure_size="1-9",
        departement=marne,
        description="<p>Bench</p>",
        deadline=now + timezone.timedelta(days=10),
        contact_name="Bench",
        contact_email="bench@example.org",
    )
    index.add_child(instance=call)
    CallLot.objects.create(page=call, title="Lot", days=3, ceiling=2000)

    # The same real-worker harness as the fan-out tests, with the bench settings.
    from tests.network.worker import RealWorker, captured_recipients

    worker = RealWorker(
        mail_dir,
        queue=queue,
        concurrency=args.concurrency,
        settings_module="bench.settings_alerts",
        database_url=args.database_url,
    ).start()
    try:
        time.sleep(3)  # let the worker connect before the clock starts
        print(f"{args.subscribers} abonnés confirmés, worker réel (concurrence {args.concurrency})")
        start = time.monotonic()
        call.save_revision().publish()  # on commit: fan_out_call → batches on Redis
        count = 0
        while time.monotonic() - start < args.timeout:
            count = len(captured_recipients(mail_dir))
            if count >= args.subscribers:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - start
        time.sleep(2)
    finally:
        worker.stop()
    recipients = captured_recipients(mail_dir)
    duplicates = sum(n - 1 for n in Counter(recipients).values() if n > 1)
    print(
        f"Courriels écrits : {len(recipients)} (adresses distinctes : {len(set(recipients))}, doublons : {duplicates})"
    )
    print(f"Durée publication → dernier courriel : {elapsed:.1f} s")
    ok = len(recipients) == args.subscribers and duplicates == 0
    print("OK" if ok else "ÉCHEC")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
