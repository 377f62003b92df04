"""Load a benchmark site with N resources (run by bench/run.py with production settings).

``load_resources.py N --append`` adds N resources to the listings of an existing site (the
demo loaded by ``load_initial_data``): what bench/run.py does by default.

Home → 6 centres (one per sector) → resource listing → N resources spread over the centres
(one in ten DLA-only), plus news, a regional network and a DLA. Idempotent on an empty
database only: run it after ``migrate`` on a fresh database.
"""

import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from crdla.centres.models import CentrePage, HostStructure  # noqa: E402
from crdla.core.models import Audience, Departement, HomePage, ProgrammeAxis, Sector, Theme  # noqa: E402
from crdla.network.models import DLAPage, NetworkPage  # noqa: E402
from crdla.resources.models import (  # noqa: E402
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourceKind,
    ResourcePage,
)

SECTORS = ["Culture", "Environnement", "Sport", "Social", "IAE", "Financement"]
THEMES = ["Modèle économique", "Gouvernance", "Emploi et RH", "Partenariats", "Numérique"]
AUDIENCES = ["Chargés de mission DLA", "Structures accompagnées", "Prestataires"]


def build(count):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Centres de ressources DLA", slug="accueil"))
    Site.objects.all().delete()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True)
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()

    themes = [Theme.objects.create(name=n, slug=f"theme-{i}") for i, n in enumerate(THEMES)]
    audiences = [
        Audience.objects.create(name=n, slug=f"public-{i}") for i, n in enumerate(AUDIENCES)
    ]
    indexes = []
    for order, name in enumerate(SECTORS):
        sector = Sector.objects.create(name=name, slug=name.lower(), order=order)
        centre = CentrePage(
            title=f"Centre de ressources DLA {name}",
            slug=name.lower(),
            short_name=f"CRDLA {name}",
            sector=sector,
            intro="Le centre outille les chargés de mission DLA du secteur.",
        )
        centre.host_structures.add(HostStructure(name="Structure porteuse", role="Pilotage"))
        home.add_child(instance=centre)
        indexes.append(
            centre.add_child(instance=ResourceIndexPage(title="Ressources", slug="ressources"))
        )

    add_resources(indexes, themes, audiences, count)
    add_news_and_network(home)


def add_resources(indexes, themes, audiences, count, start=0):
    """``count`` resources spread over ``indexes`` (one in ten DLA-only)."""
    axes = list(ProgrammeAxis.objects.all())
    kinds = ResourceKind.values
    for number in range(start, start + count):
        index = indexes[number % len(indexes)]
        resource = ResourcePage(
            title=f"Ressource numéro {number} sur le modèle économique",
            slug=f"ressource-{number}",
            kind=kinds[number % len(kinds)],
            summary="Un résumé de la ressource pour les chargés de mission DLA. " * 3,
            published_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number % 2000),
            visibility="dla" if number % 10 == 9 else "public",
            authors="Centre de ressources",
        )
        resource.themes = [themes[number % len(themes)], themes[(number + 1) % len(themes)]]
        resource.audiences = [audiences[number % len(audiences)]]
        resource.axes = [axes[number % len(axes)]]
        index.add_child(instance=resource)
        if number and number % 1000 == 0:
            print(f"  {number} ressources", flush=True)


def add_news_and_network(home):
    news_index = home.add_child(instance=NewsIndexPage(title="Actualités", slug="actualites"))
    for number in range(10):
        news_index.add_child(instance=NewsPage(title=f"Actualité {number}", slug=f"actu-{number}"))
    marne = Departement.objects.get(code="51")
    network = home.add_child(
        instance=NetworkPage(
            title="Réseau DLA Grand Est",
            slug="grand-est",
            region=marne.region,
            host_structure="C2RA",
        )
    )
    network.add_child(
        instance=DLAPage(
            title="DLA de la Marne", slug="dla-51", departement=marne, host_structure="X"
        )
    )


def append(count):
    """``count`` more resources under the listings of an existing site (the demo's)."""
    indexes = list(ResourceIndexPage.objects.order_by("path"))
    themes = list(Theme.objects.all()) or [Theme.objects.create(name=THEMES[0], slug="theme-0")]
    audiences = list(Audience.objects.all()) or [
        Audience.objects.create(name=AUDIENCES[0], slug="public-0")
    ]
    add_resources(indexes, themes, audiences, count, start=ResourcePage.objects.count())


if __name__ == "__main__":
    count = int(sys.argv[1])
    if sys.argv[2:] == ["--append"]:
        with transaction.atomic():
            append(count)
    else:
        if ResourcePage.objects.exists():
            sys.exit("La base contient déjà des ressources : utilisez une base neuve.")
        with transaction.atomic():
            build(count)
    print(f"{ResourcePage.objects.count()} ressources chargées.")
