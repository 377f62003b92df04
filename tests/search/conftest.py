"""A small French knowledge base: public and DLA-only resources in two centres."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from crdla.core.models import Region
from search.backends.database import DatabaseBackend
from search.facets import FACET_FIELDS
from search.indexing import iter_documents
from tests.factories import AudienceFactory, ResourcePageFactory, ThemeFactory, axis

SECRET_WORD = "confidentialissime"


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def taxonomy(db):
    return {
        "eco": ThemeFactory(slug="modele-economique", name="Modèle économique"),
        "emploi": ThemeFactory(slug="emploi-rh", name="Emploi et RH"),
        "dla": AudienceFactory(slug="charges-de-mission", name="Chargés de mission DLA"),
        "grand_est": Region.objects.get(code="44"),
    }


@pytest.fixture
def resources(culture_index, sport_index, culture, sport, taxonomy):
    """Five resources; one of them (``restricted``) is for the DLA network only."""

    def make(parent, title, summary, body="", kind="guide", year=2024, visibility="public", **m2m):
        page = ResourcePageFactory(
            parent=parent,
            title=title,
            summary=summary,
            body=paragraph(body) if body else [],
            kind=kind,
            visibility=visibility,
            published_date=datetime.date(year, 3, 1),
        )
        for name, values in m2m.items():
            getattr(page, name).set(values)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    pages = {
        "tresorerie": make(
            sport_index,
            "Trésorerie d'un chantier d'insertion",
            "Anticiper les besoins de trésorerie des ateliers et chantiers d'insertion.",
            "Le plan de trésorerie mensuel aide la structure à négocier avec sa banque.",
            kind="outil",
            themes=[taxonomy["eco"]],
            regions=[taxonomy["grand_est"]],
            audiences=[taxonomy["dla"]],
            axes=[axis(1)],
        ),
        "groupement": make(
            sport_index,
            "Groupement d'employeurs dans le sport",
            "Mutualiser l'emploi entre associations sportives grâce au groupement d'employeurs.",
            "Les clubs partagent un éducateur sportif.",
            kind="guide",
            year=2023,
            themes=[taxonomy["emploi"]],
            sectors=[sport.sector],
        ),
        "festival": make(
            culture_index,
            "Économie des festivals de musique",
            "Étude sur le modèle économique des festivals et leur trésorerie.",
            "Les recettes de billetterie et les subventions publiques.",
            kind="etude",
            year=2022,
            themes=[taxonomy["eco"]],
            sectors=[culture.sector],
        ),
        "restricted": make(
            culture_index,
            "Grille d'analyse financière confidentialissime",
            "Outil réservé aux chargés de mission : diagnostic financier et trésorerie.",
            "Ratios de trésorerie et fonds propres des compagnies.",
            kind="outil",
            visibility="dla",
            themes=[taxonomy["eco"]],
            sectors=[culture.sector],
        ),
        "gouvernance": make(
            culture_index,
            "Gouvernance associative des lieux culturels",
            "Repères pour le conseil d'administration et le projet associatif.",
            kind="fiche_pratique",
            year=2021,
            sectors=[culture.sector],
        ),
    }
    return pages


@pytest.fixture
def db_backend(resources):
    backend = DatabaseBackend()
    backend.rebuild(iter_documents())
    return backend


@pytest.fixture
def anonymous():
    return AnonymousUser()


def document(page_id, title, summary="", body="", visibility="public", **facets):
    """A knowledge-base document as build_document makes them (for engine-level tests)."""
    return {
        "page_id": page_id,
        "title": title,
        "summary": summary,
        "body": body,
        "attachments": facets.pop("attachments", ""),
        "url": f"/r/{page_id}/",
        "visibility": visibility,
        "published_date": datetime.date(2024, 1, 1),
        "last_published_at": None,
        "centre_name": "",
        **{field: facets.get(field, []) for field in FACET_FIELDS},
    }
