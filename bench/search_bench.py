"""Knowledge-base search benchmark: the database backend on SQLite and PostgreSQL.

Generates N French-like resources straight into the knowledge-base tables (no Wagtail
pages: only the search tables are measured), then times 200 varied searches — text with
and without typos, facet selections, empty queries, date sort — each returning one page
of hits with total, highlights and the eight facet counts, as the search page does.

    .venv/bin/python bench/search_bench.py --database sqlite --n 10000 100000
    .venv/bin/python bench/search_bench.py --database postgres --n 10000 100000

PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/crdla_search_bench,
created if missing). SQLite: a file under var/ (re-created).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

DOMAIN = """trésorerie chantier insertion groupement employeurs association bénévoles gouvernance
subventions mécénat fonds propres modèle économique diagnostic accompagnement emploi
mutualisation coopération festival spectacle compagnie théâtre musique patrimoine club
sportif éducateur fédération licence équipement environnement transition recyclage
alimentation circuit court solidarité handicap jeunesse formation compétences recrutement
salariés contrat aidé budget prévisionnel plan de financement bilan comptable rapport
activité évaluation impact social utilité sociale innovation territoire rural quartier
politique ville collectivité région département commande publique marché appel projets
conventionnement partenariat privé fondation crowdfunding prêt banque garantie France
Active investissement immobilier locaux numérique outil grille trame modèle statuts
conseil administration bureau assemblée générale projet associatif stratégie développement
consolidation changement échelle essaimage fusion rapprochement SCIC coopérative ESS
entreprise adaptée ressourcerie tiers-lieu culture sport social médico-social""".split()
FILLER = """le la les des du de un une et pour avec dans sur par leur ses son plus très
ainsi comme afin entre selon chaque plusieurs nouvelle nouveau structure structures
action actions mise place travail réseau acteurs enjeux besoins démarche étapes exemple
pratique pratiques repères méthode conseils points vigilance questions réponses""".split()
CENTRES = ["culture", "sport", "environnement", "social", "iae", "financement"]
THEMES = [f"theme-{i}" for i in range(12)]
AUDIENCES = [f"public-{i}" for i in range(5)]
KINDS = ["guide", "fiche_pratique", "fiche_repere", "etude", "outil", "retour_experience",
         "webinaire", "avis_expert", "bilan"]  # fmt: skip
REGIONS = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]


SYLLABLES = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo tion ment eur ique ance age".split()


def vocabulary(size=8000, seed=3):
    """A Zipf-ranked vocabulary: synthetic French-like words with the domain words spread
    between ranks 20 and 4,000 (so the most frequent domain word is in about a third of
    the resources and the rarest in a few dozen, as in a real knowledge base)."""
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ranked = sorted(words)
    rng.shuffle(ranked)
    domain = DOMAIN[:]
    rng.shuffle(domain)
    for i, word in enumerate(domain):
        ranked.insert(int(20 * (200 ** (i / len(domain)))), word)
    return ranked


VOCABULARY = vocabulary()
# Zipf (s = 1) cumulative weights over the ranked vocabulary.
CUMULATIVE = list(
    __import__("itertools").accumulate(1 / (rank + 1) for rank in range(len(VOCABULARY)))
)


def sentence(rng, count):
    words = []
    for word in rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=count):
        words.append(word)
        if rng.random() < 0.5:
            words.append(rng.choice(FILLER))
    return " ".join(words)


def generate(n, seed=1):
    rng = random.Random(seed)
    for i in range(1, n + 1):
        year = rng.randint(2012, 2025)
        published = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        yield {
            "page_id": i,
            "title": sentence(rng, rng.randint(3, 7)).capitalize(),
            "summary": sentence(rng, rng.randint(15, 30)),
            "body": sentence(rng, rng.randint(100, 300)),
            "attachments": sentence(rng, rng.randint(100, 300)) if rng.random() < 0.2 else "",
            "url": f"/ressources/{i}/",
            "visibility": "dla" if rng.random() < 0.2 else "public",
            "published_date": published,
            "last_published_at": datetime.datetime(year, 1, 1, tzinfo=datetime.UTC),
            "centre_name": "",
            "centre": [rng.choice(CENTRES)],
            "sectors": [rng.choice(CENTRES)],
            "kinds": [rng.choice(KINDS)],
            "themes": rng.sample(THEMES, rng.randint(1, 3)),
            "audiences": rng.sample(AUDIENCES, rng.randint(1, 2)),
            "axes": [str(a) for a in rng.sample([1, 2, 3, 4], rng.randint(1, 2))],
            "regions": rng.sample(REGIONS, rng.randint(0, 2)),
            "year": [str(year)],
        }


def typo(rng, word):
    if len(word) < 5:
        return word
    i = rng.randint(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def queries(count=200, seed=7):
    from search.results import SORT_DATE, SORT_RELEVANCE, SearchQuery

    rng = random.Random(seed)
    result = []
    for i in range(count):
        words = rng.sample(DOMAIN, rng.choice([1, 1, 2, 2, 2, 3]))
        if i % 10 == 3:
            words = [typo(rng, w) for w in words]
        text = "" if i % 20 == 0 else " ".join(words)
        filters = {}
        if i % 3 == 1:
            filters["kinds"] = [rng.choice(KINDS)]
        if i % 5 == 2:
            filters["themes"] = rng.sample(THEMES, 2)
        if i % 7 == 4:
            filters["year"] = [str(rng.randint(2015, 2025))]
        sort = SORT_DATE if i % 10 == 9 else SORT_RELEVANCE
        result.append(SearchQuery(text=text, filters=filters, sort=sort, page=1 + (i % 13 == 0)))
    return result


def setup_django(database, reuse=False):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crdla.settings.test")
    if database == "sqlite":
        path = Path(os.environ.get("SEARCH_BENCH_SQLITE") or ROOT / "var" / "search-bench.sqlite3")
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if not reuse:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        url = (
            os.environ.get("DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/crdla_search_bench"
        )
        os.environ["DATABASE_URL"] = url
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure(search, user, qs, repeat=1):
    times = []
    for _ in range(repeat):
        for query in qs:
            start = time.perf_counter()
            search(user, query)
            times.append((time.perf_counter() - start) * 1000)
    return times


def load_stock_pages(n):
    """The same N documents as Wagtail resource pages (one listing under the root), indexed by
    Wagtail's own database search backend in bulk (its per-save signal is switched off)."""
    from django.db import transaction
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from crdla.resources.models import ResourceIndexPage, ResourcePage

    post_save.disconnect(post_save_signal_handler, sender=ResourcePage)
    if ResourcePage.objects.count() != n:
        with transaction.atomic():
            ResourcePage.objects.all().delete()
            ResourceIndexPage.objects.filter(slug="stock-bench").delete()
            listing = Page.get_first_root_node().add_child(
                instance=ResourceIndexPage(title="Ressources", slug="stock-bench")
            )
            for i, doc in enumerate(generate(n), 1):
                listing.add_child(
                    instance=ResourcePage(
                        title=doc["title"][:255],
                        slug=f"r-{doc['page_id']}",
                        summary=doc["summary"],
                        body=[{"type": "paragraph", "value": f"<p>{doc['body']}</p>"}],
                        kind=doc["kinds"][0],
                        visibility=doc["visibility"],
                        published_date=doc["published_date"],
                    )
                )
                if i % 1000 == 0:
                    print(f"  stock: {i} pages", flush=True)
    backend = get_search_backend()
    pages = list(ResourcePage.objects.all())
    for start in range(0, len(pages), 1000):
        backend.add_bulk(ResourcePage, pages[start : start + 1000])


def stock_search(user, query):
    """What Wagtail's stock database search gives for one search page: total and one page of
    hits (visibility and kind as filter fields; no facet counts, no highlights)."""
    from crdla.resources.models import ResourcePage
    from search.backends.base import visibilities_for
    from search.results import SORT_DATE

    pages = ResourcePage.objects.live().filter(visibility__in=visibilities_for(user))
    if query.filters.get("kinds"):
        pages = pages.filter(kind__in=query.filters["kinds"])
    offset = (query.page - 1) * query.per_page
    if not query.text.strip():
        pages = pages.order_by("-published_date", "-pk")
        return pages.count(), list(pages[offset : offset + query.per_page])
    if query.effective_sort == SORT_DATE:
        # Stock search sorts only on filter fields (published_date is not one): match, then
        # order the matched pages in SQL.
        found = [p.pk for p in pages.search(query.text, operator="and", order_by_relevance=False)]
        pages = pages.filter(pk__in=found).order_by("-published_date", "-pk")
        return len(found), list(pages[offset : offset + query.per_page])
    results = pages.search(query.text, operator="and")
    return results.count(), list(results[offset : offset + query.per_page])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of a previous run when it holds exactly N entries (one N)",
    )
    parser.add_argument(
        "--stock",
        action="store_true",
        help="also time Wagtail's own database search on the same documents as pages",
    )
    parser.add_argument(
        "--against",
        metavar="REVISION",
        help="also time the database backend of this git revision (e.g. the engine before a change)",
    )
    args = parser.parse_args()
    setup_django(args.database, reuse=args.reuse)
    from django.db import connection

    from search.backends import database
    from search.backends.database import DatabaseBackend
    from search.models import KnowledgeEntry

    backend = DatabaseBackend()
    network = SimpleNamespace(is_authenticated=True, is_superuser=True)
    qs = queries(args.queries)
    print(f"engine: {connection.vendor} {connection.cursor().connection.__class__.__module__}")
    for n in args.n:
        start = time.perf_counter()
        if args.reuse and KnowledgeEntry.objects.count() == n:
            print(f"N={n}: reusing the indexed entries", flush=True)
        else:
            backend.rebuild(generate(n))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_knowledgeentry")
                cursor.execute("VACUUM ANALYZE search_knowledgefacetvalue")
                cursor.execute("VACUUM ANALYZE search_knowledgeword")
                cursor.execute("SELECT to_regclass('search_knowledgematch') IS NOT NULL")
                if cursor.fetchone()[0]:  # migration 0005
                    cursor.execute("VACUUM ANALYZE search_knowledgematch")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        load = time.perf_counter() - start
        # The engine is measured, not the results cache (a repeated search costs no query).
        database.RESULTS_CACHE_SECONDS = 0
        engines = [("crdla", backend.search)]
        if args.stock:
            start = time.perf_counter()
            load_stock_pages(n)
            print(f"stock: {n} pages created and indexed in {time.perf_counter() - start:.0f} s")
            engines.append(("stock", stock_search))
        if args.against:
            engines.append((args.against[:8], backend_at(args.against).search))
        report(engines, n, load, qs, network)


def report(engines, n, load, qs, network):
    """Each search is timed on every engine in turn (so that the machine's load, which moves
    over minutes, weighs the same on each), then p50/p95/max per engine and user class."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    for _, search in engines:
        measure(search, AnonymousUser(), qs[:20])  # warm caches
    for label, user in (("anonymous", AnonymousUser()), ("network", network)):
        times = {engine: [] for engine, _ in engines}
        for query in qs:
            for engine, search in engines:
                times[engine] += measure(search, user, [query])
        for engine, values in times.items():
            print(
                f"{engine:8} {connection.vendor:10} N={n:>7} {label:9} load={load:6.1f}s  "
                f"p50={statistics.median(values):7.1f} ms  p95={percentile(values, 0.95):7.1f} ms  "
                f"max={max(values):7.1f} ms  ({len(values)} searches)  "
                f"load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )


def backend_at(revision):
    """The database backend as it was at a git revision (to compare engines in one run)."""
    import importlib.util
    import subprocess
    import tempfile

    source = subprocess.run(
        ["git", "show", f"{revision}:search/backends/database.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    source = source.replace("from ..", "from search.").replace("from .", "from search.backends.")
    path = Path(tempfile.mkdtemp()) / "database_at_revision.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("database_at_revision", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.RESULTS_CACHE_SECONDS = 0
    return module.DatabaseBackend()


if __name__ == "__main__":
    main()
