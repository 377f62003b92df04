"""CPU cost of one request in-process (Django test client, no HTTP server, no wrk).

Less sensitive than wrk to other programs sharing the machine. Run with the environment
bench/run.py uses, e.g.:

    DJANGO_SETTINGS_MODULE=crdla.settings.production SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1 \
    SECURE_SSL_REDIRECT=False DATABASE_URL=sqlite:///var/bench/crdla-60.sqlite3 \
    STATIC_ROOT=var/bench/static .venv/bin/python bench/inprocess.py / /culture/ressources/
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

REPEAT = 30


def per_request_ms(client, url):
    for _ in range(3):
        client.get(url)
    started = time.perf_counter()
    for _ in range(REPEAT):
        client.get(url)
    return (time.perf_counter() - started) / REPEAT * 1000


if __name__ == "__main__":
    client = Client(HTTP_HOST="127.0.0.1")
    for url in sys.argv[1:]:
        settings.CRDLA_PAGE_CACHE_SECONDS = 0
        uncached = per_request_ms(client, url)
        settings.CRDLA_PAGE_CACHE_SECONDS = 300
        cache.clear()
        cached = per_request_ms(client, url)
        print(f"{url}: {uncached:.1f} ms sans cache, {cached:.2f} ms avec cache")
