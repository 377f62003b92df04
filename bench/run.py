#!/usr/bin/env python3
"""Public pages against the stack's own floor (/healthz/), page cache off then on, one command.

    .venv/bin/python bench/run.py                      # demo site, SQLite, Redis cache
    .venv/bin/python bench/run.py --resources 1000     # the demo plus 1,000 resources
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/crdla_bench

Builds (once, or again with ``--rebuild``; a PostgreSQL database is created, or dropped and
created again) the demo site (``load_initial_data``, plus ``--resources`` more resources with
bench/load_resources.py), collects static files, counts the SQL queries of each page, then for
the page cache off and on: starts gunicorn (production settings, HTTPS redirect off: no TLS on
the loopback; the shared cache at ``--cache-url``) and measures /healthz/ and every page with
``wrk -t2 -c8 --latency``, /healthz/ first and last. Each page's throughput is printed as a
ratio to /healthz/ measured in the same run, with the load average: on a shared machine the
absolute numbers move, the ratios much less. Results: bench/results/<name>.json.
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
FLOOR = "healthz"


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
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    return env


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def empty_postgres_database(database_url):
    """The bench's PostgreSQL database, created empty (dropped first if it exists: the demo is
    loaded into an empty database, as on a fresh install)."""
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(args, database_url, env):
    marker = VAR / f"loaded-{args.name}"
    if args.rebuild or not marker.exists():
        if database_url.startswith("postgres"):
            empty_postgres_database(database_url)
        elif not args.database_url:  # only the SQLite file this script created itself
            for suffix in ("", "-wal", "-shm"):
                Path(database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        print(f"== base : démo + {args.resources} ressources", flush=True)
        started = time.monotonic()
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([PYTHON, "manage.py", "load_initial_data"], env, stdout=subprocess.DEVNULL)
        if args.resources:
            run([PYTHON, "bench/load_resources.py", str(args.resources), "--append"], env)
        run([PYTHON, "manage.py", "rebuild_knowledge_base", "--quiet-progress"], env)
        print(f"   chargée en {time.monotonic() - started:.0f} s", flush=True)
        marker.touch()
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)


def output_of(command, env):
    out = run(command, env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def flush_cache(args):
    if args.cache_url and args.cache_url.startswith("redis://"):
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()


def start_gunicorn(args, env):
    command = [PYTHON, "-m", "gunicorn", "crdla.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)]
    command += ["--worker-class", "sync", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(150):
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
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
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
    """/healthz/ first and last (the floor is their mean), every page in between."""
    flush_cache(args)
    process = start_gunicorn(args, env)
    results = {}
    try:
        for name, path in [(FLOOR, "/healthz/"), *urls.items(), (FLOOR + "-fin", "/healthz/")]:
            url = f"http://127.0.0.1:{args.port}{path}"
            for _ in range(args.workers * 4):  # warm every worker (and its caches)
                urllib.request.urlopen(url).read()
            results[name] = wrk(args, url)
            print(f"   {label:10} {name:24} {results[name]}", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)
    floor = (results[FLOOR]["rps"] + results.pop(FLOOR + "-fin")["rps"]) / 2
    results[FLOOR]["rps"] = round(floor, 1)
    for measured in results.values():
        measured["ratio"] = round(measured["rps"] / floor, 4)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=0, help="ressources ajoutées à la démo")
    parser.add_argument("--database-url", help="par défaut : SQLite dans var/bench/")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/10"),
        help="cache partagé des processus gunicorn ('' : cache local de chaque processus)",
    )
    parser.add_argument("--duration", type=int, default=8, help="secondes de wrk par page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--only", help="pages mesurées, séparées par des virgules")
    parser.add_argument("--rebuild", action="store_true", help="recharge la base")
    parser.add_argument("--label", help="nom des résultats (bench/results/<label>.json)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : apt-get install -y wrk")
    VAR.mkdir(parents=True, exist_ok=True)
    engine = "sqlite" if (args.database_url or "sqlite").startswith("sqlite") else "postgresql"
    args.name = args.label or f"demo-{args.resources}-{engine}"
    database_url = args.database_url or f"sqlite:///{VAR / f'{args.name}.sqlite3'}"
    env = environment(args, database_url, 0)
    prepare(args, database_url, env)
    urls = output_of([PYTHON, "bench/pages.py"], env)
    if args.only:
        urls = {name: url for name, url in urls.items() if name in args.only.split(",")}
    flush_cache(args)
    counts = output_of([PYTHON, "bench/query_counts.py", json.dumps(urls)], env)
    print(f"== requêtes SQL par page : {counts}", flush=True)
    results = {
        "name": args.name,
        "database": engine,
        "cache": args.cache_url or "local memory",
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "queries": counts,
        "uncached": measure(args, environment(args, database_url, 0), urls, "sans cache"),
        "cached": measure(args, environment(args, database_url, 300), urls, "avec cache"),
    }
    out = ROOT / "bench" / "results" / f"{args.name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(markdown(results, urls))


def markdown(results, urls):
    loads = [m["load_average"] for mode in ("uncached", "cached") for m in results[mode].values()]
    lines = [
        f"{results['name']} ({results['database']}, cache {results['cache']}, "
        f"{results['workers']} workers gunicorn, wrk -t2 -c{results['connections']} "
        f"-d{results['duration_s']}s; charge (1 min) pendant les mesures : "
        f"{min(loads):.1f} à {max(loads):.1f})",
        "",
        "| page | URL | SQL (1re vue / vue répétée) | sans cache : req/s, p99, % de /healthz/ "
        "| avec cache : req/s, p99, % de /healthz/ |",
        "|---|---|---|---|---|",
    ]
    for name, url in [(FLOOR, "/healthz/"), *urls.items()]:
        q = results["queries"].get(name, {"first_view": "–", "repeat_view": "–"})
        u, c = results["uncached"][name], results["cached"][name]
        lines.append(
            f"| {name} | `{url}` | {q['first_view']} / {q['repeat_view']} "
            f"| {u['rps']:.0f}, {u['p99_ms']:.0f} ms, {u['ratio']:.1%} "
            f"| {c['rps']:.0f}, {c['p99_ms']:.0f} ms, {c['ratio']:.1%} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
