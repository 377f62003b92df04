"""The URL of every public page type measured by bench/run.py, found in the loaded database.

Prints a JSON object name → path (run with the same environment as gunicorn).
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import django  # noqa: E402

django.setup()


def first_url(queryset):
    page = queryset.live().public().order_by("path").first()
    return page.url if page else None


def main():
    from crdla.centres.models import CentrePage
    from crdla.core.models import CommunePostcode
    from crdla.network.models import DirectoryPage, DLAPage
    from crdla.resources.models import (
        RESULTS_PER_PAGE,
        EventPage,
        NewsIndexPage,
        NewsPage,
        ResourceIndexPage,
        ResourcePage,
    )
    from workflows.models import ProgrammePage

    centre = CentrePage.objects.live().public().order_by("path").first()
    listing = ResourceIndexPage.objects.live().public().child_of(centre).first()
    resources = ResourcePage.objects.live().public().child_of(listing)
    resource = resources.order_by("-published_date", "-pk").first()
    theme = resource.themes.first()
    filtered = f"?type={resource.kind}" + (f"&theme={theme.slug}" if theme else "")
    last_page = max(1, -(-resources.count() // RESULTS_PER_PAGE))
    dla = DLAPage.objects.live().public().select_related("departement").first()
    postcode = (
        CommunePostcode.objects.filter(commune__departement=dla.departement).first()
        if dla
        else None
    )
    urls = {
        "accueil": "/",
        "centre": centre.url,
        "liste": listing.url,
        "liste-filtree": listing.url + filtered,
        "liste-page-3": listing.url + f"?page={min(3, last_page)}",
        "ressource": resource.url,
        "actualites": first_url(NewsIndexPage.objects.filter(depth=3)),
        "actualite": first_url(NewsPage.objects.all()),
        "evenement": first_url(EventPage.objects.all()),
        "annuaire": first_url(DirectoryPage.objects.all()),
        "trouver-mon-dla": f"/trouver-mon-dla/?q={postcode.code}" if postcode else None,
        "consultations": "/consultations/",
        "programmes": "/programmes/",
        "programme": first_url(ProgrammePage.objects.all()),
        # Never in the page cache (answers depend on the visitor or on free text).
        "consultations-filtrees": (
            f"/consultations/?secteur={centre.sector.slug}&departement={dla.departement.code}"
            if dla
            else "/consultations/?secteur=" + centre.sector.slug
        ),
        "recherche": "/recherche/?q=financement",
    }
    print(json.dumps({name: url for name, url in urls.items() if url}))


if __name__ == "__main__":
    main()
