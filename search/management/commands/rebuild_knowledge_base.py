"""Rebuild the knowledge-base index from the live resources, or check and repair it."""

import time

from django.core.management.base import BaseCommand, CommandError

from crdla.core.templatetags.french import quantite
from search.backends import SearchUnavailable, get_backend
from search.indexing import check_index, indexable_pages, iter_documents, repair_index


class Command(BaseCommand):
    """``rebuild_knowledge_base`` (full rebuild with an atomic swap), ``--check``, ``--repair``."""

    help = (
        "Reconstruit l'index de la base de connaissances (bascule atomique, sans index vide), "
        "ou le compare à la base de données (--check) et le répare (--repair)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Comparer l'index à la base (ressources manquantes, périmées, en trop).",
        )
        parser.add_argument(
            "--repair", action="store_true", help="Comparer puis corriger les écarts trouvés."
        )
        parser.add_argument(
            "--quiet-progress", action="store_true", help="Sans barre de progression."
        )

    def handle(self, *args, **options):
        backend = get_backend()
        try:
            if options["check"] or options["repair"]:
                return self.compare(backend, repair=options["repair"])
            return self.rebuild(backend, show_progress=not options["quiet_progress"])
        except SearchUnavailable as exc:
            raise CommandError(f"Moteur de recherche injoignable : {exc}") from exc

    def rebuild(self, backend, show_progress=True):
        total = indexable_pages().count()
        self.stdout.write(
            f"Reconstruction de l'index ({backend.name}) : {quantite(total, 'ressources')}…"
        )
        started = time.monotonic()

        def progress(done):
            if not show_progress:
                return
            width = 30
            filled = int(width * done / total) if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stdout.flush()

        count = backend.rebuild(iter_documents(), progress=progress)
        if show_progress:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Index reconstruit : {quantite(count, 'ressources')} en {time.monotonic() - started:.1f} s."
            )
        )

    def compare(self, backend, repair):
        report = check_index(backend)
        self.stdout.write(
            f"Manquantes : {len(report.missing)} {report.missing[:20]}\n"
            f"Périmées : {len(report.stale)} {report.stale[:20]}\n"
            f"En trop : {len(report.extra)} {report.extra[:20]}"
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS("L'index est à jour."))
            return
        if not repair:
            self.stdout.write(self.style.WARNING("Écarts trouvés : relancez avec --repair."))
            return
        fixed = repair_index(report, backend)
        self.stdout.write(self.style.SUCCESS(f"Index réparé : {fixed} correction(s)."))
