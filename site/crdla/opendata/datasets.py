"""The datasets of the open data: their stable columns, rows, formats and update dates.

One registry (``DATASETS``) feeds the CSV and JSON exports, the catalogue page, the DCAT-AP
catalogue and the OpenAPI description. Every row comes from ``visibility.public_only``.
Column names are part of the contract: add columns at the end, never rename one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from crdla.centres.models import CentrePage
from crdla.network.models import CallForTendersPage, DLAPage
from crdla.resources.models import EventPage

from .fields import plain
from .visibility import public_only


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Dataset:
    """A dataset: its identifier (in its URLs), title, description, columns and rows."""

    slug: str
    title: str
    description: str
    keywords: tuple
    columns: tuple
    rows: object  # () -> iterable of dicts keyed by column name
    model_path: str  # the page type whose last publication dates the dataset

    def modified(self):
        from django.apps import apps

        pages = public_only(apps.get_model(self.model_path).objects.all())
        return pages.aggregate(last=Max("last_published_at"))["last"]


def _joined(values, separator=" ; "):
    return separator.join(str(v) for v in values if v not in (None, ""))


def directory_rows():
    dlas = (
        public_only(DLAPage.objects.all())
        .select_related("departement__region")
        .prefetch_related("officers")
        .order_by("departement__code", "title")
    )
    networks = {}
    for dla in dlas:
        parent_id = dla.get_parent().pk
        if parent_id not in networks:
            networks[parent_id] = dla.get_parent().title
        yield {
            "id": dla.pk,
            "nom": dla.title,
            "departement_code": dla.departement.code,
            "departement": dla.departement.name,
            "region_code": dla.departement.region.code,
            "region": dla.departement.region.name,
            "structure_porteuse": dla.host_structure,
            "adresse": " ".join(dla.address.split()),
            "courriel": dla.contact_email,
            "telephone": dla.phone,
            "site_web": dla.website,
            "charges_de_mission": _joined(officer.name for officer in dla.officers.all()),
            "reseau_regional": networks[parent_id],
            "url": dla.full_url,
            "mis_a_jour_le": plain(dla.last_published_at),
        }


def call_rows():
    calls = (
        public_only(CallForTendersPage.objects.all())
        .select_related("dla", "sector", "departement__region", "theme")
        .prefetch_related("lots", "territories")
        .order_by("-publication_date", "reference")
    )
    public_dlas = set(
        public_only(calls.model._meta.get_field("dla").related_model.objects.all()).values_list(
            "pk", flat=True
        )
    )
    for call in calls:
        lots = list(call.lots.all())
        yield {
            "reference": call.reference,
            "titre": call.title,
            "statut": call.status,
            "statut_libelle": str(call.get_status_display()),
            "ouverte": call.is_open,
            "type_accompagnement": call.kind,
            "secteur": call.sector.slug,
            "departement_code": call.departement.code,
            "region_code": call.departement.region.code,
            "thematique": call.theme.slug if call.theme else "",
            "territoires": _joined((d.code for d in call.territories.all()), " "),
            "dla": call.dla.title if call.dla_id in public_dlas else "",
            "date_publication": plain(call.publication_date),
            "date_limite": plain(call.deadline),
            "date_demarrage": plain(call.start_date),
            "nombre_lots": len(lots),
            "lots": _joined(
                (f"{lot.title} ({lot.days} j, {lot.ceiling} €)" for lot in lots), " | "
            ),
            "jours_total": plain(sum((lot.days for lot in lots), 0)),
            "plafond_total_eur": plain(sum((lot.ceiling for lot in lots), 0)),
            "contact": call.contact_name,
            "courriel_contact": call.contact_email,
            "url": call.full_url,
        }


def programme_rows():
    from workflows.models import ProgrammePage
    from workflows.snapshots import page_context

    pages = public_only(ProgrammePage.objects.all()).select_related("programme")
    for page in pages.order_by("-programme__year", "path"):
        context = page_context(page)
        centre = CentrePage.objects.ancestor_of(page).first()
        report = context.get("latest_report")
        for row in context["indicator_rows"]:
            yield {
                "centre": centre.short_name if centre else "",
                "centre_slug": centre.slug if centre else "",
                "annee": context["snapshot"]["year"],
                "programme": context["snapshot"]["title"],
                "date_decision": plain(page.decision_date),
                "axe_numero": row["axis"],
                "action": row["action"],
                "indicateur": row["label"],
                "unite": row["unit"],
                "cible": plain(row["target"]),
                "realise": plain(row["actual"]),
                "taux_realisation_pct": row["percent"],
                "bilan": str(report.get_kind_display()) if report else "",
                "url": page.full_url,
            }


def _columns(*pairs):
    return tuple(Column(name, description) for name, description in pairs)


DATASETS = (
    Dataset(
        "annuaire-dla",
        "Annuaire des DLA",
        "Les dispositifs locaux d'accompagnement (DLA) départementaux : structure "
        "porteuse, contact, chargé·es de mission et réseau régional.",
        ("DLA", "annuaire", "économie sociale et solidaire", "accompagnement"),
        _columns(
            ("id", "Identifiant de la page du DLA (aussi dans l'API)."),
            ("nom", "Nom du DLA."),
            ("departement_code", "Code INSEE du département."),
            ("departement", "Département."),
            ("region_code", "Code INSEE de la région."),
            ("region", "Région."),
            ("structure_porteuse", "Structure qui porte le DLA."),
            ("adresse", "Adresse postale."),
            ("courriel", "Courriel de contact."),
            ("telephone", "Téléphone."),
            ("site_web", "Site web."),
            ("charges_de_mission", "Chargé·es de mission, séparés par « ; »."),
            ("reseau_regional", "Réseau régional des DLA."),
            ("url", "Page du DLA sur le site."),
            ("mis_a_jour_le", "Date de dernière publication de la page (ISO 8601)."),
        ),
        directory_rows,
        "network.DLAPage",
    ),
    Dataset(
        "consultations",
        "Consultations des DLA (appels d'offres)",
        "Les consultations publiées par les DLA, ouvertes et closes : profil anonymisé de "
        "la structure, lots, date limite et statut.",
        ("DLA", "appel d'offres", "consultation", "prestataires"),
        _columns(
            ("reference", "Référence de la consultation."),
            ("titre", "Intitulé."),
            ("statut", "Statut : ouvert, clos, attribue, infructueux, annule."),
            ("statut_libelle", "Statut en clair."),
            ("ouverte", "true si la consultation accepte encore des réponses."),
            ("type_accompagnement", "individuel, collectif ou regional."),
            ("secteur", "Secteur (identifiant)."),
            ("departement_code", "Département de la structure (code INSEE)."),
            ("region_code", "Région de la structure (code INSEE)."),
            ("thematique", "Thématique (identifiant) ou vide."),
            ("territoires", "Territoires d'intervention (codes séparés par des espaces)."),
            ("dla", "DLA émetteur."),
            ("date_publication", "Date de publication (ISO 8601)."),
            ("date_limite", "Date limite de réponse (ISO 8601)."),
            ("date_demarrage", "Démarrage prévu (ISO 8601) ou vide."),
            ("nombre_lots", "Nombre de lots."),
            ("lots", "Lots : intitulé (jours, plafond), séparés par « | »."),
            ("jours_total", "Total des jours des lots."),
            ("plafond_total_eur", "Total des plafonds des lots, en euros TTC."),
            ("contact", "Contact."),
            ("courriel_contact", "Courriel du contact."),
            ("url", "Page de la consultation."),
        ),
        call_rows,
        "network.CallForTendersPage",
    ),
    Dataset(
        "programmes-indicateurs",
        "Programmes d'actions validés des centres : indicateurs",
        "Une ligne par indicateur des programmes d'actions validés par les comités de "
        "pilotage : axe, action, cible et réalisé du dernier bilan.",
        ("centres de ressources DLA", "programme d'actions", "indicateurs"),
        _columns(
            ("centre", "Centre de ressources."),
            ("centre_slug", "Identifiant du centre."),
            ("annee", "Année du programme."),
            ("programme", "Intitulé du programme validé."),
            ("date_decision", "Date de décision du comité de pilotage (ISO 8601)."),
            ("axe_numero", "Numéro de l'axe (1 à 4)."),
            ("action", "Action."),
            ("indicateur", "Indicateur."),
            ("unite", "Unité."),
            ("cible", "Cible."),
            ("realise", "Réalisé au dernier bilan, ou vide."),
            ("taux_realisation_pct", "Réalisé / cible, en %, ou vide."),
            ("bilan", "Bilan dont vient le réalisé."),
            ("url", "Page publique du programme."),
        ),
        programme_rows,
        "workflows.ProgrammePage",
    ),
)
DATASETS_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}
FORMATS = {"csv": "text/csv", "json": "application/json"}
CALENDARS = {
    "evenements": ("Événements des centres", "resources.EventPage"),
    "consultations": ("Dates limites des consultations", "network.CallForTendersPage"),
}


def calendar_events(kind, centre=None):
    """(uid, start, end, summary, description, location, url) of a calendar's entries."""
    since = timezone.now() - datetime.timedelta(days=365)
    if kind == "evenements":
        events = public_only(EventPage.objects.filter(end__gte=since)).order_by("start")
        if centre is not None:
            events = events.descendant_of(centre)
        for event in events:
            yield (
                f"evenement-{event.pk}",
                event.start,
                event.end,
                event.title,
                event.intro,
                event.place or str(event.get_format_display()),
                event.full_url,
            )
    else:
        calls = public_only(CallForTendersPage.objects.filter(deadline__gte=since))
        if centre is not None:
            calls = calls.filter(sector=centre.sector_id)
        for call in calls.select_related("departement").order_by("deadline"):
            yield (
                f"consultation-{call.pk}",
                call.deadline,
                call.deadline + datetime.timedelta(minutes=30),
                f"Date limite : {call.title} ({call.reference})",
                f"{call.get_kind_display()} — {call.departement} — {call.get_status_display()}",
                str(call.departement),
                call.full_url,
            )


CENTRE_PARAMETER = {
    "name": "centre",
    "in": "path",
    "required": True,
    "description": "Identifiant du centre (par ex. culture).",
    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    "example": "culture",
}
CENTRE_NOT_FOUND = {
    "description": "Centre inconnu.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def openapi_paths(ERROR_RESPONSES):
    """The exports, calendars, feeds and catalogue in the OpenAPI description."""
    from .fields import STRING

    text = {"type": "string"}
    paths = {}
    for dataset in DATASETS:
        row_schema = {
            "type": "object",
            "properties": {
                column.name: {
                    "type": ["string", "integer", "number", "boolean", "null"],
                    "description": column.description,
                }
                for column in dataset.columns
            },
            "required": [column.name for column in dataset.columns],
            "additionalProperties": False,
        }
        for fmt, media_type in FORMATS.items():
            schema = (
                text
                if fmt == "csv"
                else {
                    "type": "object",
                    "properties": {
                        "dataset": STRING,
                        "title": STRING,
                        "licence": STRING,
                        "modified": {"type": ["string", "null"]},
                        "columns": {"type": "array", "items": STRING},
                        "rows": {"type": "array", "items": row_schema},
                    },
                    "required": ["dataset", "title", "licence", "modified", "columns", "rows"],
                    "additionalProperties": False,
                }
            )
            paths[f"/donnees/{dataset.slug}.{fmt}"] = {
                "get": {
                    "summary": f"{dataset.title} ({fmt.upper()})",
                    "description": dataset.description
                    + " Colonnes : "
                    + ", ".join(c.name for c in dataset.columns)
                    + ("." if fmt == "json" else " ; séparateur « ; », UTF-8 avec BOM."),
                    "operationId": f"export-{dataset.slug}-{fmt}",
                    "tags": ["Exports"],
                    "responses": {
                        "200": {
                            "description": dataset.title,
                            "content": {media_type: {"schema": schema}},
                        },
                        "429": ERROR_RESPONSES["429"],
                    },
                }
            }
    for kind, (title, _model) in CALENDARS.items():
        for path, centre_param in (
            (f"/donnees/calendriers/{kind}.ics", False),
            (f"/donnees/calendriers/{{centre}}/{kind}.ics", True),
        ):
            parameters = [CENTRE_PARAMETER] if centre_param else []
            responses = {
                "200": {
                    "description": f"{title} (iCalendar)",
                    "content": {"text/calendar": {"schema": text}},
                },
                "429": ERROR_RESPONSES["429"],
            }
            if centre_param:
                responses["404"] = CENTRE_NOT_FOUND
            paths[path] = {
                "get": {
                    "summary": f"{title}{' d’un centre' if centre_param else ''} (iCalendar)",
                    "operationId": f"calendar-{kind}{'-centre' if centre_param else ''}",
                    "tags": ["Calendriers et flux"],
                    "parameters": parameters,
                    "responses": responses,
                }
            }
    paths["/flux/centres/{centre}/"] = {
        "get": {
            "summary": "Flux Atom des publications d'un centre",
            "operationId": "centre-feed",
            "tags": ["Calendriers et flux"],
            "parameters": [CENTRE_PARAMETER],
            "responses": {
                "200": {
                    "description": "Atom 1.0",
                    "content": {"application/atom+xml": {"schema": text}},
                },
                "404": CENTRE_NOT_FOUND,
                "429": ERROR_RESPONSES["429"],
            },
        }
    }
    paths["/donnees/catalogue.jsonld"] = {
        "get": {
            "summary": "Catalogue DCAT-AP des données (JSON-LD)",
            "operationId": "dcat-catalogue",
            "tags": ["Catalogue"],
            "responses": {
                "200": {
                    "description": "dcat:Catalog",
                    "content": {"application/ld+json": {"schema": {"type": "object"}}},
                },
                "429": ERROR_RESPONSES["429"],
            },
        }
    }
    return paths
