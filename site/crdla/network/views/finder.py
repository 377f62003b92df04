"""« Trouver mon DLA » (/trouver-mon-dla/): search form, answer, map of France."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from crdla.core.models import Departement, Region

from .. import finder


def map_context():
    """Each département's answer URL (the map's links) and the régions with their départements
    (the map's text alternative). Read only when the map is rendered, which is once per cache
    generation ({% fragment_cache %} in ``france_map_with_list.html``): two queries then."""
    departements = SimpleLazyObject(read_departements)
    return {
        "map_urls": SimpleLazyObject(lambda: {d.code: d.finder_url for d in departements}),
        "regions": SimpleLazyObject(
            lambda: [
                (region, [d for d in departements if d.region_id == region.pk])
                for region in Region.objects.order_by("name")
            ]
        ),
    }


def read_departements():
    departements = list(Departement.objects.order_by("code"))
    for departement in departements:
        departement.finder_url = reverse("network:find-dla-departement", args=[departement.code])
    return departements


def find_dla(request):
    """Search by postcode, commune or département; list the communes when several match."""
    if request.GET.get("commune"):
        answer = finder.find_commune(request.GET["commune"].strip())
    elif "q" in request.GET:
        answer = finder.find(request.GET["q"])
    else:
        answer = None
    context = {"answer": answer, "answer_key": answer_key(answer), **map_context()}
    if answer is not None and answer.departement is not None:
        context.update(finder.contacts(answer.departement))
    return render(request, "network/find_dla.html", context)


def answer_key(answer):
    """The key under which an answer is rendered once per cache generation: a postcode, a
    département or a commune found in the referential (a few tens of thousands of values).
    Answers to other text, and error messages, are rendered each time."""
    if answer is None or answer.message:
        return None
    if len(answer.communes) == 1 and answer.departement is not None:
        return f"commune:{answer.communes[0].code}"
    query = answer.query  # shown in the answer: the key is the query as typed
    if finder.POSTCODE_RE.fullmatch(query) or finder.DEPARTEMENT_RE.fullmatch(query):
        return f"code:{query}"
    return None


def find_dla_departement(request, code):
    """The answer for one département (the map's and the list's links)."""
    departement = Departement.objects.select_related("region").filter(code=code.upper()).first()
    if departement is None:
        raise Http404
    answer = finder.Answer(query=departement.name, departement=departement)
    context = {"answer": answer, "answer_key": f"departement:{departement.code}"}
    context.update(**map_context(), **finder.contacts(departement))
    return render(request, "network/find_dla.html", context)
