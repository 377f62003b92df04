#!/usr/bin/env python3
"""Page performance benchmark: N resources, gunicorn on 127.0.0.1, wrk, SQL query counts.

    .venv/bin/python bench/run.py --resources 60
    .venv/bin/python bench/run.py --resources 10000 --duration 15

Builds (once) a database with N resources (SQLite in var/bench/ unless --database-url),
collects static files, then for the page cache off and on: starts gunicorn with the production
settings (HTTPS redirect off: no TLS on the loopback) and measures each page with
``wrk -t2 -c8 --latency``. Results: printed as a Markdown table and saved in
bench/results/<N>.json.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VAR = ROOT / "var" / "bench"


def page_urls(resources):
    # load_resources.py spreads resource i over centre i % 6: resource 0 is public, in Culture.
    return {
        "accueil": "/",
        "centre": "/culture/",
        "liste": "/culture/ressources/",
        "liste-filtree": "/culture/ressources/?type=guide&theme=theme-0",
        "liste-page-3": "/culture/ressources/?page=3"
        if resources > 36 * 6
        else "/culture/ressources/?page=1",
        "ressource": "/culture/ressources/ressource-0/",
        # Knowledge-base search (database backend unless ELASTICSEARCH_URL is set): words
        # matching every resource, then a facet; never in the page cache.
        "recherche": "/recherche/?q=mod%C3%A8le+%C3%A9conomique",
        "recherche-facette": "/recherche/?q=mod%C3%A8le+%C3%A9conomique&type=guide",
    }


def environment(args, database_url, page_cache_seconds):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(
        DJANGO_SETTINGS_MODULE="crdla.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="False",
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        LOG_LEVEL="WARNING",
        PYTHONPATH=f"{ROOT}:{ROOT / 'site'}",
    )
    return env


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def prepare(args, database_url, env):
    marker = VAR / f"loaded-{args.resources}.{'pg' if args.database_url else 'sqlite'}"
    if args.rebuild or not marker.exists():
        if not args.database_url:
            for suffix in ("", "-wal", "-shm"):
                Path(database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        print(f"== base de {args.resources} ressources", flush=True)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        started = time.monotonic()
        run([PYTHON, "bench/load_resources.py", str(args.resources)], env)
        print(f"   chargée en {time.monotonic() - started:.0f} s", flush=True)
        print("== index de la base de connaissances", flush=True)
        run([PYTHON, "manage.py", "rebuild_knowledge_base", "--quiet-progress"], env)
        marker.touch()
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)


def start_gunicorn(args, env):
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "crdla.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz/") as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn ne répond pas sur /healthz/")


def parse_duration_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(args, url):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": parse_duration_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99_ms": parse_duration_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        # The machine may be shared: the 1-minute load average says how busy it was.
        "load_average": round(os.getloadavg()[0], 2),
    }


def measure(args, env, urls, label):
    process = start_gunicorn(args, env)
    results = {}
    try:
        for name, path in urls.items():
            url = f"http://127.0.0.1:{args.port}{path}"
            for _ in range(args.workers * 4):  # warm every worker (and its page cache)
                urllib.request.urlopen(url).read()
            results[name] = wrk(args, url)
            print(f"   {label:10} {name:14} {results[name]}", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=60)
    parser.add_argument("--database-url", help="par défaut : SQLite dans var/bench/")
    parser.add_argument("--duration", type=int, default=10, help="secondes de wrk par page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rebuild", action="store_true", help="recharge la base")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : apt-get install -y wrk")
    VAR.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{VAR / f'crdla-{args.resources}.sqlite3'}"
    prepare(args, database_url, environment(args, database_url, 0))
    urls = page_urls(args.resources)

    counts = json.loads(
        run(
            [PYTHON, "bench/query_counts.py", json.dumps(urls)],
            environment(args, database_url, 0),
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    print(f"== requêtes SQL par page : {counts}", flush=True)
    results = {
        "resources": args.resources,
        "database": "postgresql" if args.database_url else "sqlite",
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "queries": counts,
        "uncached": measure(args, environment(args, database_url, 0), urls, "sans cache"),
        "cached": measure(args, environment(args, database_url, 300), urls, "avec cache"),
    }
    out = ROOT / "bench" / "results" / f"{args.resources}-{results['database']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(markdown(results, urls))


def markdown(results, urls):
    loads = [
        m.get("load_average", 0) for mode in ("uncached", "cached") for m in results[mode].values()
    ]
    lines = [
        f"N = {results['resources']} ({results['database']}, {results['workers']} workers "
        f"gunicorn, wrk -t2 -c{results['connections']} -d{results['duration_s']}s; "
        f"charge de la machine pendant les mesures : {min(loads):.1f} à {max(loads):.1f})",
        "",
        "| page | URL | requêtes SQL (1re vue / vue répétée) | sans cache : req/s, p50, p99 "
        "| avec cache : req/s, p50, p99 |",
        "|---|---|---|---|---|",
    ]
    for name, url in urls.items():
        q, u, c = results["queries"][name], results["uncached"][name], results["cached"][name]
        lines.append(
            f"| {name} | `{url}` | {q['first_view']} / {q['repeat_view']} "
            f"| {u['rps']:.0f} req/s, {u['p50_ms']:.1f} ms, {u['p99_ms']:.1f} ms "
            f"| {c['rps']:.0f} req/s, {c['p50_ms']:.1f} ms, {c['p99_ms']:.1f} ms |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
