"""SQL queries per page type, first view (page cache off) and repeat view (page cache on).

Run by bench/run.py with the same production-like environment as gunicorn; prints JSON.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def main(urls):
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for name, url in urls.items():
        settings.CRDLA_PAGE_CACHE_SECONDS = 0
        client.get(url)  # per-process warm-up (site root paths)
        uncached = count(client, url)
        settings.CRDLA_PAGE_CACHE_SECONDS = 300
        cache.clear()
        client.get(url)
        repeat = count(client, url)
        results[name] = {"first_view": uncached, "repeat_view": repeat}
    print(json.dumps(results))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
