"""« Trouver mon DLA »: from a postcode, a commune or a département to the DLA that serves it.

The communes and their postcodes are the Code officiel géographique shipped in
``fixtures/geo/communes.csv.gz`` (see its README). A département with no DLA page on the
platform still gets an answer: its regional network, or the national contacts.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from crdla import access
from crdla.core.geography import normalize_name
from crdla.core.models import Commune, Departement

from .models import DLAPage, NetworkPage

POSTCODE_RE = re.compile(r"\d{5}")
DEPARTEMENT_RE = re.compile(r"(?:\d{2}|2[ab]|97[1-6])", re.IGNORECASE)
MAX_CHOICES = 30


@dataclass
class Answer:
    """What the search found: one département's answer, communes to choose from, or a message."""

    query: str = ""
    departement: Departement | None = None
    communes: list = field(default_factory=list)  # matched communes (choices or context)
    message: str = ""
    more: bool = False  # more communes matched than are listed


def communes_by_postcode(postcode):
    return list(
        Commune.objects.filter(postcodes__code=postcode)
        .select_related("departement__region")
        .distinct()
        .order_by("search_name", "code")
    )


def communes_by_name(text, exact=True):
    """Communes whose normalized name is ``text`` (or starts with it); at most ``MAX_CHOICES + 1``."""
    name = normalize_name(text)
    if not name:
        return []
    communes = Commune.objects.select_related("departement__region").order_by("search_name", "code")
    lookup = {"search_name": name} if exact else {"search_name__startswith": name}
    return list(communes.filter(**lookup)[: MAX_CHOICES + 1])


def departement_by_name(text):
    name = normalize_name(text)
    departements = Departement.objects.select_related("region")
    return next((d for d in departements if normalize_name(d.name) == name), None)


def find(query):
    """Answer a free-text query: postcode, département code or name, or commune name."""
    query = (query or "").strip()[:100]
    answer = Answer(query=query)
    if not query:
        answer.message = _(
            "Indiquez un code postal (par exemple 08000) ou le nom de votre commune."
        )
        return answer
    compact = query.replace(" ", "")
    if POSTCODE_RE.fullmatch(compact):
        answer.communes = communes_by_postcode(compact)
        if not answer.communes:
            answer.message = _(
                "Le code postal %(code)s ne correspond à aucune commune des 101 départements. "
                "Vérifiez-le, ou cherchez par le nom de votre commune."
            ) % {"code": compact}
            return answer
    elif DEPARTEMENT_RE.fullmatch(compact):
        answer.departement = (
            Departement.objects.select_related("region").filter(code=compact.upper()).first()
        )
        if answer.departement is None:
            answer.message = _("Le département %(code)s n'existe pas.") % {"code": compact}
        return answer
    else:
        # A commune of that very name, else a département of that name (« Loire »), else the
        # communes whose name starts with it.
        answer.communes = communes_by_name(query)
        if not answer.communes:
            answer.departement = departement_by_name(query)
            if answer.departement is not None:
                return answer
            answer.communes = communes_by_name(query, exact=False)
        if not answer.communes:
            answer.message = _(
                "Aucune commune ne s'appelle « %(query)s ». Vérifiez l'orthographe, ou "
                "cherchez par code postal ou sur la carte."
            ) % {"query": query}
            return answer
    answer.more = len(answer.communes) > MAX_CHOICES
    answer.communes = answer.communes[:MAX_CHOICES]
    departements = {commune.departement for commune in answer.communes}
    if len(departements) == 1:
        answer.departement = departements.pop()
    return answer


def find_commune(code):
    """Answer the choice of one commune (by INSEE code) from a list."""
    commune = Commune.objects.select_related("departement__region").filter(code=code[:5]).first()
    if commune is None:
        return Answer(message=_("Cette commune est introuvable. Refaites la recherche."))
    return Answer(query=commune.name, departement=commune.departement, communes=[commune])


def contacts(departement):
    """The DLA of a département and its regional network. Read only when the answer's
    contacts are rendered: once per département and cache generation (``find_dla.html``)."""

    def dlas():
        return list(
            access.public_pages(DLAPage.objects.all())
            .filter(departement=departement)
            .prefetch_related("officers")
            .order_by("title")
        )

    def network():
        return (
            access.public_pages(NetworkPage.objects.all())
            .filter(region_id=departement.region_id)
            .first()
        )

    return {"dlas": SimpleLazyObject(dlas), "network": SimpleLazyObject(network)}
