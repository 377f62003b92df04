#!/usr/bin/env python3
"""Memory of the gunicorn workers over rounds of mixed requests: does it grow?

    .venv/bin/python bench/memory.py                       # 3 rounds of 10,000 requests
    .venv/bin/python bench/memory.py --requests 2000 --rounds 3 --cache off

Same database, settings and gunicorn as bench/run.py (demo site, production settings, 2 sync
workers, the shared Redis cache, page cache on unless ``--cache off``). Each round sends
``--requests`` requests over 8 connections, cycling through every public page type of
bench/pages.py with varied query strings (listing pages and filters, knowledge-base searches
for different words, « Trouver mon DLA » for different postcodes, 404s) so that the page cache
cannot answer all of them. The resident set size (RSS, /proc/<pid>/status) of each worker is
printed after a warm-up and after each round. A leak shows as RSS growing round after round;
the first round may grow while each worker fills its caches (templates, renditions, the
per-generation memory of crdla.pagecache.generation).
"""

import argparse
import itertools
import json
import os
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (bench/run.py: database, settings, gunicorn)

WORDS = [
    "financement",
    "emploi",
    "culture",
    "gouvernance",
    "tiers-lieu",
    "insertion",
    "trésorerie",
    "sport",
    "bénévoles",
    "modèle économique",
    "fusion",
    "mécénat",
]
POSTCODES = ["08300", "51100", "75011", "13001", "69003", "33000", "67000", "59000"]


def mixed_urls(pages):
    """An endless, varied cycle of public URLs."""
    variants = []
    for index, (_name, path) in enumerate(pages.items()):
        variants.append(path)
        joiner = "&" if "?" in path else "?"
        if "ressources/" in path or "consultations" in path:
            variants.append(f"{path}{joiner}page={index % 3 + 1}")
    variants += [f"/recherche/?q={urllib.request.quote(word)}" for word in WORDS]
    variants += [f"/trouver-mon-dla/?q={code}" for code in POSTCODES]
    variants += ["/healthz/", "/page-qui-nexiste-pas/"]
    return itertools.cycle(variants)


def workers_of(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def one_round(port, urls, count):
    base = f"http://127.0.0.1:{port}"
    batch = [base + next(urls) for _ in range(count)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, batch))
    elapsed = time.monotonic() - started
    errors = sum(1 for status in statuses if status >= 500)
    return elapsed, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="requêtes par tour")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", choices=["on", "off"], default="on", help="cache des pages")
    parser.add_argument("--database-url", help="par défaut : la base SQLite de bench/run.py")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    args.resources, args.label = 0, None
    engine = "sqlite" if (args.database_url or "sqlite").startswith("sqlite") else "postgresql"
    args.name = f"demo-0-{engine}"
    bench.VAR.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{bench.VAR / f'{args.name}.sqlite3'}"
    env = bench.environment(args, database_url, 0)
    bench.prepare(args, database_url, env)
    pages = bench.output_of([bench.PYTHON, "bench/pages.py"], env)
    env = bench.environment(args, database_url, 300 if args.cache == "on" else 0)
    env["LOG_LEVEL"] = "ERROR"  # the mix's 404s would each print a warning
    bench.flush_cache(args)
    master = bench.start_gunicorn(args, env)
    urls = mixed_urls(pages)
    report = {"requests_per_round": args.requests, "cache": args.cache, "rounds": []}
    try:
        one_round(args.port, urls, 200)  # warm-up: every worker imports and renders once
        workers = workers_of(master.pid)
        warm = {pid: round(rss_mb(pid), 1) for pid in workers}
        print(f"après l'échauffement (200 requêtes) : RSS {warm} Mo", flush=True)
        report["warm_mb"] = list(warm.values())
        for number in range(1, args.rounds + 1):
            elapsed, errors = one_round(args.port, urls, args.requests)
            now = {pid: round(rss_mb(pid), 1) for pid in workers_of(master.pid)}
            load = round(os.getloadavg()[0], 2)
            print(
                f"tour {number} : {args.requests} requêtes en {elapsed:.0f} s, {errors} erreurs 5xx,"
                f" RSS {now} Mo, charge {load}",
                flush=True,
            )
            report["rounds"].append(
                {
                    "rss_mb": list(now.values()),
                    "seconds": round(elapsed),
                    "errors": errors,
                    "load_average": load,
                    "same_workers": sorted(now) == workers,
                }
            )
    finally:
        master.terminate()
        master.wait(timeout=30)
    out = bench.ROOT / "bench" / "results" / f"memory-{engine}-cache-{args.cache}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
