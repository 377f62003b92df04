"""Measure the knowledge base against the relevance set: recall@5 and nDCG@10 per backend."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.backends import SearchUnavailable, get_backend
from search.indexing import iter_documents
from search.relevance import evaluate, load_queries


class Command(BaseCommand):
    """``evaluate_relevance``: run search/relevance/queries.toml on the demo content."""

    help = (
        "Mesure la pertinence de la recherche sur le contenu de démonstration "
        "(search/relevance/queries.toml) : rappel@5 et nDCG@10 par moteur."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            action="append",
            choices=["database", "elasticsearch"],
            help="Moteur à mesurer (répétable) ; par défaut celui de la configuration.",
        )
        parser.add_argument(
            "--elasticsearch-url",
            default="",
            help="Adresse d'Elasticsearch (sinon ELASTICSEARCH_URL).",
        )
        parser.add_argument(
            "--index-prefix",
            default="",
            help="Préfixe des index Elasticsearch (sinon ELASTICSEARCH_INDEX_PREFIX).",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Reconstruire l'index du moteur avec les ressources publiées avant de mesurer.",
        )
        parser.add_argument(
            "--details", action="store_true", help="Afficher chaque requête et son classement."
        )

    def handle(self, *args, **options):
        queries, thresholds = load_queries()
        failed = []
        for backend in self.backends(options):
            try:
                if options["rebuild"]:
                    backend.rebuild(iter_documents())
                evaluation = evaluate(backend, queries, thresholds)
            except SearchUnavailable as exc:
                raise CommandError(f"Moteur de recherche injoignable : {exc}") from exc
            self.report(evaluation, options["details"])
            if not evaluation.passed:
                failed.append(evaluation.backend)
        if failed:
            raise CommandError(
                f"Sous les seuils (rappel@5 ≥ {thresholds['recall_at_5']}, "
                f"nDCG@10 ≥ {thresholds['ndcg_at_10']}) : {', '.join(failed)}"
            )

    def backends(self, options):
        names = options["backend"]
        if not names:
            return [get_backend()]
        chosen = []
        for name in dict.fromkeys(names):
            if name == "database":
                from search.backends.database import DatabaseBackend

                chosen.append(DatabaseBackend())
                continue
            from search.backends.elastic import ElasticsearchBackend

            url = options["elasticsearch_url"] or settings.ELASTICSEARCH_URL
            if not url:
                raise CommandError("Indiquez --elasticsearch-url ou ELASTICSEARCH_URL.")
            prefix = options["index_prefix"] or settings.ELASTICSEARCH_INDEX_PREFIX
            chosen.append(ElasticsearchBackend(url, prefix))
        return chosen

    def report(self, evaluation, details):
        if details:
            for outcome in evaluation.outcomes:
                mark = "ok " if not outcome.missing else "ÉCHEC"
                self.stdout.write(
                    f"{mark} r@5={outcome.recall:.2f} nDCG@10={outcome.ndcg:.2f}  "
                    f"{outcome.query.label()}"
                )
                for rank, title in enumerate(outcome.ranked[:5], 1):
                    expected = "*" if title in outcome.query.expected else " "
                    self.stdout.write(f"      {rank}.{expected} {title}")
                for title in outcome.missing:
                    self.stdout.write(f"      manque : {title}")
        line = (
            f"{evaluation.backend} : rappel@5 = {evaluation.recall:.3f}, "
            f"nDCG@10 = {evaluation.ndcg:.3f} ({len(evaluation.outcomes)} requêtes, "
            f"{len(evaluation.failures)} sous le top 5 attendu)"
        )
        style = self.style.SUCCESS if evaluation.passed else self.style.ERROR
        self.stdout.write(style(line))
