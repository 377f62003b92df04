"""The public contract of each page type: which fields the API shows, how, and their schema.

One table (``PAGE_FIELDS``) feeds the API serializers and the OpenAPI description, so the
two cannot drift apart. Values are built from what the public page itself shows (never from
a draft, never from a restricted related page): a programme is read from its approved,
frozen version, not from the live programme that may be under revision.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from rest_framework.fields import Field
from wagtail.api.rich_text import APIRichText
from wagtail.models import Page

from crdla.centres.models import CentrePage

from .visibility import public_only

# --- JSON Schema building blocks (OpenAPI 3.1) --------------------------------------------


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    if "type" in schema and isinstance(schema["type"], str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def array(schema):
    return {"type": "array", "items": schema}


def obj(required=(), **properties):
    """A closed object: every property listed, all of them required unless said otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required) if required else list(properties),
        "additionalProperties": False,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
URI = {"type": "string", "format": "uri"}
HTML = {"type": "string", "description": "HTML"}

COMPONENTS = {
    "Term": obj(slug=STRING, label=STRING),
    "Choice": obj(value=STRING, label=STRING),
    "Axis": obj(number=INTEGER, label=STRING),
    "Region": obj(code=STRING, label=STRING),
    "Departement": obj(code=STRING, label=STRING, region=ref("Region")),
    "PageRef": obj(id=INTEGER, title=STRING, html_url=nullable(URI)),
    "CentreRef": obj(
        id=INTEGER, title=STRING, short_name=STRING, slug=STRING, html_url=nullable(URI)
    ),
    "Attachment": obj(
        id=INTEGER,
        title=STRING,
        format=STRING,
        size=nullable(INTEGER),
        download_url=URI,
    ),
    "StreamBlock": {
        "type": "object",
        "description": "Bloc de contenu Wagtail (intertitre, paragraphe HTML, image, "
        "citation, document, contenu intégré) ; les images et documents sont donnés par "
        "leur identifiant dans /api/v2/images/ et /api/v2/documents/.",
        "properties": {"type": STRING, "value": {}, "id": STRING},
        "required": ["type", "value"],
    },
}


# --- Values -----------------------------------------------------------------------------------


def plain(value):
    """JSON-ready value: dates in ISO 8601 (local time zone), decimals as numbers."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def rich_text(value):
    return APIRichText.serialize(value or "", format=APIRichText.FORMAT_HTML)


def term(item):
    return None if item is None else {"slug": item.slug, "label": item.name}


def choice(instance, name):
    value = getattr(instance, name)
    return {"value": value, "label": str(getattr(instance, f"get_{name}_display")())}


def region(item):
    return {"code": item.code, "label": item.name}


def departement(item):
    return {"code": item.code, "label": item.name, "region": region(item.region)}


def public_ids(context, model):
    """Ids of the public objects of ``model`` (DLA pages, documents…), once per request."""
    cache = context.setdefault("_opendata_public_ids", {})
    if model not in cache:
        cache[model] = set(public_only(model.objects.all()).values_list("pk", flat=True))
    return cache[model]


def page_ref(page, context):
    """A link to a related page, or null when that page is not public (never its title)."""
    if page is None or page.pk not in public_ids(context, type(page)):
        return None
    return {"id": page.pk, "title": page.title, "html_url": page.full_url}


def centre_ref(page, context):
    """The public centre above ``page`` (one query per request for every centre)."""
    cache = context.setdefault("_opendata_centres", {})
    if "all" not in cache:
        cache["all"] = list(public_only(CentrePage.objects.all()))
    centre = next((c for c in cache["all"] if page.path.startswith(c.path)), None)
    if centre is None:
        return None
    return {
        "id": centre.pk,
        "title": centre.title,
        "short_name": centre.short_name,
        "slug": centre.slug,
        "html_url": centre.full_url,
    }


def attachments(documents, context):
    """Public documents only, with their format and size (the page shows the same)."""
    from wagtail.documents import get_document_model

    allowed = public_ids(context, get_document_model())
    request = context.get("request")
    return [
        {
            "id": document.pk,
            "title": document.title,
            "format": document.file_extension.upper(),
            "size": document_size(document),
            "download_url": request.build_absolute_uri(document.url) if request else document.url,
        }
        for document in documents
        if document.pk in allowed
    ]


def document_size(document):
    try:
        return document.get_file_size()
    except OSError:  # the file is missing from the storage
        return None


def programme_content(page, context):
    """The approved version of a programme with the latest reported actuals (once per page
    and request: several fields read it)."""
    from workflows.snapshots import page_context

    cache = context.setdefault("_opendata_programmes", {})
    if page.pk not in cache:
        cache[page.pk] = page_context(page)
    return cache[page.pk]


def programme_axes(page, context):
    content = programme_content(page, context)
    if content.get("snapshot") is None:
        return []
    return [
        {
            "number": axis["number"],
            "name": axis["name"],
            "objectives": axis["objectives"],
            "actions": [
                {
                    "title": action["title"],
                    "description": action["description"],
                    "deliverables": action["deliverables"],
                    "calendar": action["calendar"],
                    "lead": {"value": action["lead_kind"], "label": action["lead_label"]},
                    "lead_name": action["lead_name"],
                    "etp": number(action["etp"]),
                    "budget": number(action["budget"]),
                    "indicators": [
                        {
                            "label": indicator["label"],
                            "unit": indicator["unit"],
                            "target": number(indicator["target"]),
                            "actual": number(indicator.get("actual")),
                        }
                        for indicator in action["indicators"]
                    ],
                }
                for action in axis["actions"]
            ],
        }
        for axis in content["snapshot"]["axes"]
    ]


def number(value):
    return None if value in (None, "") else float(Decimal(str(value)))


def programme_value(key):
    def value(page, context):
        content = programme_content(page, context)
        snapshot = content.get("snapshot")
        if snapshot is None:
            return None
        if key == "financing":
            return [
                {
                    "funder": {"value": line["funder"], "label": line["funder_label"]},
                    "detail": line["detail"],
                    "amount": number(line["amount"]),
                    "share": number(line["share"]),
                }
                for line in snapshot["financing"]
            ]
        if key == "totals":
            totals = snapshot["totals"]
            return {name: number(totals[name]) for name in ("budget", "financing", "etp")}
        if key == "latest_report":
            report = content.get("latest_report")
            return report and {
                "kind": choice(report, "kind"),
                "date": timezone.localtime(report.filed_at).date().isoformat(),
            }
        return snapshot[key]

    return value


# --- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicField:
    """One field of a page type in the API: its name, schema, French description and value
    (``value(page, context)``; by default the page attribute of the same name)."""

    name: str
    schema: dict
    description: str
    value: object = None
    orderable: bool = False

    def get(self, page, context):
        if self.value is None:
            return plain(getattr(page, self.name))
        return self.value(page, context)


def attribute(name, convert):
    return lambda page, context: convert(getattr(page, name))


def related(name, convert):
    return lambda page, context: [convert(item) for item in getattr(page, name).all()]


def children(name, *fields):
    """Inline items (lots, officers…) as objects of the given attributes."""
    return lambda page, context: [
        {f: plain(getattr(item, f)) for f in fields} for item in getattr(page, name).all()
    ]


CENTRE = PublicField(
    "centre", nullable(ref("CentreRef")), "Centre de ressources qui publie la page.", centre_ref
)
INTRO = PublicField("intro", STRING, "Chapô.")
BODY = PublicField(
    "body",
    array(ref("StreamBlock")),
    "Contenu (blocs StreamField, paragraphes en HTML).",
    lambda page, context: page.body.stream_block.get_api_representation(page.body, context),
)


@dataclass(frozen=True)
class PageType:
    """A page type of the API: its model path (``app.Model``), label and fields."""

    name: str
    label: str
    fields: tuple = field(default_factory=tuple)
    prefetch: tuple = ()  # relations the fields read, fetched once per listing page

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.name)

    @property
    def component(self):
        return self.name.split(".")[1]


PAGE_TYPES = (
    PageType(
        "resources.ResourcePage",
        "Ressource (guide, fiche, étude, outil…)",
        (
            PublicField(
                "kind", ref("Choice"), "Type de ressource.", lambda p, c: choice(p, "kind")
            ),
            PublicField("summary", STRING, "Résumé."),
            BODY,
            PublicField("published_date", DATE, "Date de publication.", orderable=True),
            PublicField("updated_date", nullable(DATE), "Date de mise à jour.", orderable=True),
            PublicField("authors", STRING, "Auteur(s)."),
            PublicField("sectors", array(ref("Term")), "Secteurs.", related("sectors", term)),
            PublicField("themes", array(ref("Term")), "Thématiques.", related("themes", term)),
            PublicField(
                "audiences", array(ref("Term")), "Publics cibles.", related("audiences", term)
            ),
            PublicField(
                "axes",
                array(ref("Axis")),
                "Axes du programme des centres.",
                related("axes", lambda a: {"number": a.number, "label": a.name}),
            ),
            PublicField("regions", array(ref("Region")), "Régions.", related("regions", region)),
            CENTRE,
            PublicField(
                "documents",
                array(ref("Attachment")),
                "Documents joints (format et taille).",
                lambda p, c: attachments((link.document for link in p.documents.all()), c),
            ),
        ),
        ("sectors", "themes", "audiences", "axes", "regions", "documents__document"),
    ),
    PageType(
        "resources.NewsPage",
        "Actualité",
        (
            PublicField("date", DATE, "Date de l'actualité.", orderable=True),
            INTRO,
            BODY,
            CENTRE,
        ),
    ),
    PageType(
        "resources.EventPage",
        "Événement",
        (
            PublicField("start", DATETIME, "Début.", orderable=True),
            PublicField("end", DATETIME, "Fin.", orderable=True),
            PublicField("format", ref("Choice"), "Format.", lambda p, c: choice(p, "format")),
            PublicField("place", STRING, "Lieu."),
            PublicField("registration_url", STRING, "Lien d'inscription (ou vide)."),
            PublicField("replay_url", STRING, "Lien du replay (ou vide)."),
            PublicField("is_past", BOOLEAN, "Événement passé."),
            INTRO,
            BODY,
            CENTRE,
        ),
    ),
    PageType(
        "centres.CentrePage",
        "Centre de ressources",
        (
            PublicField("short_name", STRING, "Nom court.", orderable=True),
            PublicField("sector", ref("Term"), "Secteur.", attribute("sector", term)),
            INTRO,
            PublicField("missions", HTML, "Missions (HTML).", attribute("missions", rich_text)),
            PublicField("contact_email", STRING, "Courriel de contact."),
            PublicField("contact_phone", STRING, "Téléphone."),
            PublicField("website", STRING, "Site web."),
            PublicField(
                "host_structures",
                array(obj(name=STRING, role=STRING, url=STRING)),
                "Structures porteuses.",
                children("host_structures", "name", "role", "url"),
            ),
            PublicField(
                "team",
                array(obj(name=STRING, role=STRING, etp=NUMBER, profile=STRING)),
                "Équipe et temps consacré (ETP).",
                children("team_members", "name", "role", "etp", "profile"),
            ),
            PublicField(
                "partner_networks",
                array(
                    obj(
                        name=STRING,
                        description=STRING,
                        url=STRING,
                        contract_since=nullable(INTEGER),
                    )
                ),
                "Réseaux partenaires (contrat d'association).",
                children("partner_networks", "name", "description", "url", "contract_since"),
            ),
            PublicField(
                "committee",
                array(obj(institution=ref("Choice"), member_name=STRING, is_chair=BOOLEAN)),
                "Composition publique du comité de pilotage.",
                lambda p, c: [
                    {
                        "institution": choice(seat, "institution"),
                        "member_name": seat.member_name,
                        "is_chair": seat.is_chair,
                    }
                    for seat in p.committee_seats.all()
                ],
            ),
            PublicField(
                "funders",
                array(obj(name=STRING, url=STRING)),
                "Financeurs.",
                children("funders", "name", "url"),
            ),
        ),
    ),
    PageType(
        "workflows.ProgrammePage",
        "Programme d'actions validé",
        (
            CENTRE,
            PublicField(
                "year",
                nullable(INTEGER),
                "Année du programme.",
                programme_value("year"),
            ),
            PublicField(
                "programme_title",
                nullable(STRING),
                "Intitulé du programme validé.",
                programme_value("title"),
            ),
            PublicField(
                "summary", nullable(STRING), "Synthèse validée.", programme_value("summary")
            ),
            PublicField(
                "decision_date",
                nullable(DATE),
                "Date de décision du comité de pilotage.",
                orderable=True,
            ),
            PublicField(
                "axes",
                array(
                    obj(
                        number=INTEGER,
                        name=STRING,
                        objectives=STRING,
                        actions=array(
                            obj(
                                title=STRING,
                                description=STRING,
                                deliverables=STRING,
                                calendar=STRING,
                                lead=ref("Choice"),
                                lead_name=STRING,
                                etp=nullable(NUMBER),
                                budget=nullable(NUMBER),
                                indicators=array(
                                    obj(
                                        label=STRING,
                                        unit=STRING,
                                        target=nullable(NUMBER),
                                        actual=nullable(NUMBER),
                                    )
                                ),
                            )
                        ),
                    )
                ),
                "Axes → actions → indicateurs (cible et réalisé du dernier bilan).",
                programme_axes,
            ),
            PublicField(
                "financing",
                nullable(
                    array(
                        obj(
                            funder=ref("Choice"),
                            detail=STRING,
                            amount=nullable(NUMBER),
                            share=nullable(NUMBER),
                        )
                    )
                ),
                "Plan de financement validé (montants en euros, part en %).",
                programme_value("financing"),
            ),
            PublicField(
                "totals",
                nullable(
                    obj(budget=nullable(NUMBER), financing=nullable(NUMBER), etp=nullable(NUMBER))
                ),
                "Totaux : budget des actions, financement, ETP.",
                programme_value("totals"),
            ),
            PublicField(
                "latest_report",
                nullable(obj(kind=ref("Choice"), date=DATE)),
                "Dernier bilan dont viennent les réalisations.",
                programme_value("latest_report"),
            ),
        ),
    ),
    PageType(
        "network.CallForTendersPage",
        "Consultation (appel d'offres d'un DLA)",
        (
            PublicField("reference", STRING, "Référence.", orderable=True),
            PublicField("status", ref("Choice"), "Statut.", lambda p, c: choice(p, "status")),
            PublicField("is_open", BOOLEAN, "Ouverte aux réponses (statut et date limite)."),
            PublicField(
                "dla",
                nullable(ref("PageRef")),
                "DLA émetteur.",
                lambda p, c: page_ref(p.dla, c),
            ),
            PublicField(
                "kind", ref("Choice"), "Type d'accompagnement.", lambda p, c: choice(p, "kind")
            ),
            PublicField("structure_type", STRING, "Type de structure (profil anonymisé)."),
            PublicField("sector", ref("Term"), "Secteur.", attribute("sector", term)),
            PublicField(
                "structure_size",
                ref("Choice"),
                "Taille de la structure.",
                lambda p, c: choice(p, "structure_size"),
            ),
            PublicField(
                "departement",
                ref("Departement"),
                "Département de la structure.",
                attribute("departement", departement),
            ),
            PublicField("theme", nullable(ref("Term")), "Thématique.", attribute("theme", term)),
            PublicField(
                "territories",
                array(ref("Departement")),
                "Territoires d'intervention.",
                related("territories", departement),
            ),
            PublicField(
                "description",
                HTML,
                "Objet de l'accompagnement (HTML).",
                attribute("description", rich_text),
            ),
            PublicField("publication_date", DATETIME, "Date de publication.", orderable=True),
            PublicField("deadline", DATETIME, "Date limite de réponse.", orderable=True),
            PublicField("start_date", nullable(DATE), "Démarrage prévu."),
            PublicField("required_pieces", STRING, "Pièces à fournir."),
            PublicField("contact_name", STRING, "Contact."),
            PublicField("contact_email", STRING, "Courriel du contact."),
            PublicField(
                "lots",
                array(obj(title=STRING, days=NUMBER, ceiling=NUMBER)),
                "Lots : intitulé, nombre de jours, plafond en euros TTC.",
                children("lots", "title", "days", "ceiling"),
            ),
            PublicField(
                "documents",
                array(ref("Attachment")),
                "Cahier des charges et annexes.",
                lambda p, c: attachments((d.document for d in p.documents.all()), c),
            ),
            PublicField(
                "corrections",
                array(obj(date=DATETIME, text=STRING)),
                "Rectificatifs.",
                children("corrections", "date", "text"),
            ),
        ),
        ("lots", "territories__region", "documents__document", "corrections"),
    ),
    PageType(
        "network.NetworkPage",
        "Réseau régional des DLA",
        (
            PublicField("region", ref("Region"), "Région.", attribute("region", region)),
            INTRO,
            PublicField("host_structure", STRING, "Structure d'animation."),
            PublicField("host_url", STRING, "Site de la structure d'animation."),
            PublicField("animator_name", STRING, "Animateur·rice régional·e."),
            PublicField("animator_email", STRING, "Courriel de l'animation."),
            PublicField("animator_phone", STRING, "Téléphone de l'animation."),
        ),
    ),
    PageType(
        "network.DLAPage",
        "DLA départemental",
        (
            PublicField(
                "departement",
                ref("Departement"),
                "Département.",
                attribute("departement", departement),
            ),
            PublicField("host_structure", STRING, "Structure porteuse.", orderable=True),
            PublicField(
                "officers",
                array(obj(name=STRING, email=STRING)),
                "Chargé·es de mission.",
                children("officers", "name", "email"),
            ),
            PublicField("address", STRING, "Adresse."),
            PublicField("contact_email", STRING, "Courriel."),
            PublicField("phone", STRING, "Téléphone."),
            PublicField("website", STRING, "Site web."),
            PublicField(
                "network",
                nullable(ref("PageRef")),
                "Réseau régional.",
                lambda p, c: page_ref(p.get_parent().specific, c),
            ),
        ),
    ),
)
PAGE_TYPES_BY_NAME = {page_type.name: page_type for page_type in PAGE_TYPES}


def page_type_of(model):
    """The API page type of a page model, or None (then only the common fields show)."""
    if model is Page:
        return None
    return PAGE_TYPES_BY_NAME.get(f"{model._meta.app_label}.{model.__name__}")


def api_page_models():
    return tuple(page_type.model for page_type in PAGE_TYPES)


class PublicValueField(Field):
    """A DRF field reading one ``PublicField`` of the page."""

    def __init__(self, public_field, **kwargs):
        self.public_field = public_field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return self.public_field.get(instance, self.context)
