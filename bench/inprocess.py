"""CPU cost of one request in-process (Django test client, no HTTP server, no wrk).

Less sensitive than wrk to other programs sharing the machine. Run with the environment
bench/run.py uses, e.g.:

    DJANGO_SETTINGS_MODULE=crdla.settings.production SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1 \
    SECURE_SSL_REDIRECT=False DATABASE_URL=sqlite:///var/bench/crdla-60.sqlite3 \
    STATIC_ROOT=var/bench/static .venv/bin/python bench/inprocess.py / /culture/ressources/

``--profile URL…`` prints a cProfile of the uncached views instead (functions by cumulative
time).
"""

import json
import os
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

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def per_request_ms(client, url):
    """Wall-clock and CPU milliseconds per request (CPU time hardly moves with the load)."""
    for _ in range(3):
        client.get(url)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(REPEAT):
        client.get(url)
    wall = (time.perf_counter() - started) / REPEAT * 1000
    return wall, (time.process_time() - cpu) / REPEAT * 1000


def profile(client, url, top=25):
    """cProfile of 30 uncached views of ``url``: the functions where the time goes."""
    import cProfile
    import pstats

    settings.CRDLA_PAGE_CACHE_SECONDS = 0
    for _ in range(3):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REPEAT):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    client = Client(HTTP_HOST="127.0.0.1")
    if sys.argv[1] == "--profile":
        for url in sys.argv[2:]:
            profile(client, url)
        sys.exit()
    results = {}
    for url in sys.argv[1:]:
        settings.CRDLA_PAGE_CACHE_SECONDS = 0
        uncached = per_request_ms(client, url)
        settings.CRDLA_PAGE_CACHE_SECONDS = 300
        cache.clear()
        cached = per_request_ms(client, url)
        results[url] = {
            "uncached_cpu_ms": round(uncached[1], 2),
            "cached_cpu_ms": round(cached[1], 2),
        }
        print(
            f"{url}: sans cache {uncached[0]:.1f} ms ({uncached[1]:.1f} ms CPU), "
            f"avec cache {cached[0]:.2f} ms ({cached[1]:.2f} ms CPU)",
            flush=True,
        )
    print(json.dumps(results))
