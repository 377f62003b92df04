"""« Trouver mon DLA »: postcode, commune name (accents, case, « St »), several communes to
choose from, départements without a DLA page, unknown input. The whole shipped list of
communes is checked on the demo (tests/core/findability.py); here a few real communes."""

import html

import pytest
from django.core.cache import cache

from crdla.core.geography import normalize_name
from crdla.core.models import Commune, CommunePostcode, Departement
from crdla.network.models import DLAOfficer
from tests.factories import DLAPageFactory

pytestmark = pytest.mark.django_db

COMMUNES = [
    # (INSEE code, name, département, postcodes, attached to)
    ("51454", "Reims", "51", ["51100"], ""),
    ("51108", "Châlons-en-Champagne", "51", ["51000"], ""),
    ("42218", "Saint-Étienne", "42", ["42000", "42100"], ""),
    ("42207", "Saint-Just-Saint-Rambert", "42", ["42170"], ""),
    ("2A004", "Ajaccio", "2A", ["20000", "20090"], ""),
    ("2B033", "Bastia", "2B", ["20200", "20600"], ""),
    ("97411", "Saint-Denis", "974", ["97400", "97490"], ""),
    ("93066", "Saint-Denis", "93", ["93200", "93210"], ""),
    ("05006", "Barcelonnette", "04", ["05110"], ""),  # 05110 spans two départements
    ("05063", "La Saulce", "05", ["05110"], ""),
    ("50129", "Cherbourg-Octeville", "50", [], "Cherbourg-en-Cotentin"),
]


@pytest.fixture
def communes():
    departements = {d.code: d for d in Departement.objects.all()}
    for code, name, dep, postcodes, attached in COMMUNES:
        commune = Commune.objects.create(
            code=code,
            name=name,
            search_name=normalize_name(name),
            departement=departements[dep],
            attached_to=attached,
        )
        for postcode in postcodes:
            CommunePostcode.objects.create(commune=commune, code=postcode)


@pytest.fixture
def marne(grand_est):
    dla = DLAPageFactory(
        parent=grand_est,
        title="DLA de la Marne",
        slug="dla-51",
        host_structure="France Active Champagne",
        contact_email="dla51@example.org",
    )
    DLAOfficer.objects.create(page=dla, name="Camille Chargée", email="camille@example.org")
    return dla


def find(client, query):
    response = client.get("/trouver-mon-dla/", {"q": query})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_normalized_names():
    assert normalize_name("Saint-Étienne") == "saint etienne"
    assert normalize_name("ST ETIENNE") == "saint etienne"
    assert normalize_name("Ste-Marie-aux-Mines") == "sainte marie aux mines"
    assert normalize_name("L'Haÿ-les-Roses") == "l hay les roses"


def test_postcode_answers_with_the_dla_its_officers_and_the_regional_network(
    client, communes, marne, grand_est
):
    body = find(client, "51100")
    assert "Reims" in body
    assert "Le DLA du département : Marne (51)" in body
    assert "France Active Champagne" in body and "Camille Chargée" in body
    assert "dla51@example.org" in body
    assert "DLA régional et réseau : Réseau DLA Grand Est" in body
    assert marne.url in body and grand_est.url in body


@pytest.mark.parametrize("query", ["Châlons-en-Champagne", "CHALONS EN CHAMPAGNE", "chalons"])
def test_commune_names_ignore_accents_case_and_hyphens(client, communes, marne, query):
    body = find(client, query)
    assert "Châlons-en-Champagne" in body
    assert "Marne (51)" in body


@pytest.mark.parametrize("query", ["St-Etienne", "st etienne", "Saint Étienne"])
def test_st_and_saint_are_the_same(client, communes, query):
    body = find(client, query)
    assert "Saint-Étienne" in body
    assert "Loire (42)" in body
    assert "Saint-Just-Saint-Rambert" not in body  # an exact name wins over prefixes


def test_one_name_in_several_departements_lists_the_communes_to_choose_from(client, communes):
    body = find(client, "Saint-Denis")
    assert "Plusieurs communes pour « Saint-Denis »" in body
    assert "?commune=97411" in body and "?commune=93066" in body
    assert "Le DLA du département" not in body
    chosen = client.get("/trouver-mon-dla/", {"commune": "97411"}).content.decode()
    assert "La Réunion (974)" in chosen


def test_a_postcode_over_two_departements_lists_its_communes(client, communes):
    body = find(client, "05110")
    assert "Barcelonnette" in body and "La Saulce" in body
    assert "Plusieurs communes pour « 05110 »" in body


def test_corsica_and_delegated_communes(client, communes):
    assert "Corse-du-Sud (2A)" in find(client, "20090")
    assert "Haute-Corse (2B)" in find(client, "Bastia")
    body = find(client, "Cherbourg Octeville")
    assert "Manche (50)" in body
    assert find(client, "2a").count("Corse-du-Sud (2A)") >= 1


def test_a_departement_name_answers_for_the_departement(client, communes):
    assert "Le DLA du département : Loire (42)" in find(client, "loire")
    assert "Le DLA du département : Côtes-d'Armor (22)" in find(client, "cotes d armor")


def test_departement_without_dla_page_points_to_the_regional_dla(client, communes, grand_est):
    body = client.get("/trouver-mon-dla/departement/08/").content.decode()
    assert "Ardennes (08)" in body
    assert "pas encore présenté sur la plateforme" in body
    assert "Le DLA régional vous met en relation" in body
    assert grand_est.url in body


def test_region_without_network_points_to_the_national_contacts(client, communes, home):
    body = client.get("/trouver-mon-dla/departement/974/").content.decode()
    assert "La Réunion (974)" in body
    assert "info-dla.fr" in body


@pytest.mark.parametrize(
    "query, message",
    [
        ("99999", "Le code postal 99999 ne correspond à aucune commune"),
        ("Xyzzyville", "Aucune commune ne s'appelle « Xyzzyville »"),
        ("", "Indiquez un code postal"),
        ("98", "Le département 98 n'existe pas"),
    ],
)
def test_unknown_input_gets_a_french_message(client, communes, home, query, message):
    response = client.get("/trouver-mon-dla/", {"q": query})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())


def test_unknown_departement_page_is_a_404(client, home):
    assert client.get("/trouver-mon-dla/departement/99/").status_code == 404


def test_the_map_links_every_departement_with_a_name(client, home):
    body = client.get("/trouver-mon-dla/").content.decode()
    assert body.count('href="/trouver-mon-dla/departement/') == 2 * 101  # map + list
    assert 'aria-label="Corse-du-Sud (2A)"' in body
    assert 'aria-label="Mayotte (976)"' in body


def test_directory_changes_show_at_once_with_the_page_cache(client, settings, communes, marne):
    """DLA records and officers are on cached pages: a change drops the cached copies."""
    from crdla.network.models import DirectoryPage

    settings.CRDLA_PAGE_CACHE_SECONDS = 300
    cache.clear()
    directory = DirectoryPage(title="Annuaire des DLA", slug="annuaire")
    marne.get_parent().get_parent().add_child(instance=directory)
    directory.save_revision().publish()
    client.get(directory.url)  # creates the site settings (which drops the cache once)
    client.get(directory.url)
    assert client.get(directory.url)["X-Page-Cache"] == "hit"
    DLAOfficer.objects.create(page=marne, name="Dominique Nouvelle")
    response = client.get(directory.url)
    assert "X-Page-Cache" not in response
    assert "Dominique Nouvelle" in response.content.decode()
    cache.clear()


def test_the_answers_contacts_follow_the_dla_pages(client, communes, marne):
    """A département's contacts are rendered once per cache generation: each change to its
    DLA pages shows at the next answer, whichever way the visitor asked."""

    def answer(url="/trouver-mon-dla/?q=51100"):
        return html.unescape(client.get(url).content.decode())

    assert "Camille Chargée" in answer()
    DLAOfficer.objects.create(page=marne, name="Dominique Nouvelle")
    assert "Dominique Nouvelle" in answer("/trouver-mon-dla/departement/51/")
    marne.host_structure = "Active Marne"
    marne.save_revision().publish()
    assert "Active Marne" in answer("/trouver-mon-dla/?q=Reims")
    marne.unpublish()
    page = answer()
    assert "Active Marne" not in page and "pas encore présenté sur la plateforme" in page


def test_answers_are_kept_only_for_codes_of_the_referential(client, communes, marne):
    """A postcode's or a département's answer is rendered once per generation, under the
    query as typed; free text and error messages are rendered each time."""
    from crdla.network import finder
    from crdla.network.views.finder import answer_key

    assert answer_key(finder.find("51100")) == "commune:51454"  # one commune: its answer
    assert answer_key(finder.find("05110")) == "code:05110"  # two communes
    assert answer_key(finder.find("51")) == "code:51"
    assert answer_key(finder.find("Reims")) == "commune:51454"
    assert answer_key(finder.find("Saint-Denis")) is None  # two communes: free text
    assert answer_key(finder.find("99999")) is None  # an error message
    assert answer_key(finder.find("05 110")) is None
    page = html.unescape(client.get("/trouver-mon-dla/?q=05110").content.decode())
    assert "pour « 05110 »" in page
    page = html.unescape(client.get("/trouver-mon-dla/?q=05 110").content.decode())
    assert "pour « 05 110 »" in page
