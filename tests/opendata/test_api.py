"""The public API at /api/v2/: the public content of each type, its fields and filters."""

from tests.opendata.openapi import assert_conforms

API_TYPES = {
    "centres.CentrePage",
    "resources.ResourcePage",
    "resources.NewsPage",
    "resources.EventPage",
    "workflows.ProgrammePage",
    "network.NetworkPage",
    "network.DLAPage",
    "network.CallForTendersPage",
}


def get(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.content[:500])
    assert_conforms(response, path)
    return response.json()


def ids(data):
    return {item["id"] for item in data["items"]}


def test_every_type_is_listed_and_each_detail_matches_the_schema(client, open_site):
    data = get(client, "/api/v2/pages/?limit=100")
    assert {item["meta"]["type"] for item in data["items"]} == API_TYPES
    assert data["meta"]["total_count"] == len(data["items"])
    for item in data["items"]:
        detail = get(client, f"/api/v2/pages/{item['id']}/")
        assert detail["meta"]["type"] == item["meta"]["type"]
    for name in API_TYPES:
        listing = get(client, f"/api/v2/pages/?type={name}&fields=*")
        assert listing["items"], name


def test_documented_fields_of_a_resource(client, open_site):
    resource = get(client, f"/api/v2/pages/{open_site['resource'].pk}/")
    assert resource["kind"] == {"value": "guide", "label": "Guide"}
    assert {"slug": "modele-eco", "label": "Modèle économique"} in resource["themes"]
    assert resource["audiences"] == [{"slug": "cm-dla", "label": "Chargés de mission DLA"}]
    assert resource["axes"][0]["number"] == 2
    assert resource["centre"]["slug"] == "culture"
    [attachment] = resource["documents"]
    assert attachment["title"] == "Guide public en PDF"
    assert attachment["format"] == "PDF" and attachment["size"] > 0
    assert attachment["download_url"].startswith("http://testserver/documents/")


def test_programme_call_and_dla_fields(client, open_site):
    programme = get(client, f"/api/v2/pages/{open_site['programme_page'].pk}/")
    assert programme["year"] == 2025 and programme["centre"]["slug"] == "culture"
    indicator = programme["axes"][0]["actions"][0]["indicators"][0]
    assert set(indicator) == {"label", "unit", "target", "actual"}
    assert indicator["target"] > 0
    call = get(client, f"/api/v2/pages/{open_site['call'].pk}/")
    assert call["dla"]["title"] == "DLA de la Marne"
    assert call["lots"] == [{"title": "Diagnostic", "days": 4.0, "ceiling": 3200.0}]
    assert call["status"]["value"] == "ouvert" and call["deadline"]
    dla = get(client, f"/api/v2/pages/{open_site['dla'].pk}/")
    assert dla["departement"]["code"] == "51"
    assert dla["departement"]["region"]["label"] == "Grand Est"
    assert dla["officers"] == [{"name": "Sam Petit", "email": "sam@dla51.example.org"}]
    assert dla["host_structure"]


FILTER_CASES = [
    ("type=resources.ResourcePage&theme=modele-eco", {"resources"}),
    ("type=resources.ResourcePage&public=cm-dla", {"resources"}),
    ("type=resources.ResourcePage&nature=guide", {"resources"}),
    ("secteur=culture&type=network.CallForTendersPage", {"call"}),
    ("centre=culture&type=workflows.ProgrammePage", {"programme_page"}),
    ("centre=culture&type=resources.ResourcePage", {"resources"}),
    ("departement=51", {"dla", "call", "network"}),
    ("region=44&type=network.DLAPage", {"dla"}),
    ("statut=ouvert", {"call"}),
    ("statut=attribue", set()),
    ("annee=2025&type=workflows.ProgrammePage", {"programme_page"}),
    ("annee=1999", set()),
    ("theme=inconnu", set()),
]


def test_filters(client, open_site):
    for query, expected in FILTER_CASES:
        found = ids(get(client, f"/api/v2/pages/?{query}&limit=100"))
        wanted = set()
        for key in expected:
            value = open_site[key]
            wanted |= {page.pk for page in value} if isinstance(value, list) else {value.pk}
        assert found == wanted, query


BAD_INPUT = [
    ("annee=deux-mille", "Valeur invalide pour le paramètre « annee »"),
    ("statut=perdu", "Valeur invalide pour le paramètre « statut »"),
    ("departement=999999", "Valeur invalide pour le paramètre « departement »"),
    ("type=network.SurveyPage", "Type de page inconnu"),
    ("couleur=bleu", "Paramètre inconnu : couleur."),
    ("limit=101", "« limit » ne peut pas dépasser 100."),
    ("limit=-1", "« limit » doit être un entier positif."),
    ("order=summary", "Tri impossible sur « summary »."),
    ("fields=secret", "Champ inconnu : secret."),
    ("search=%20", "Le paramètre « search » est vide."),
]


def test_bad_input_gets_a_french_message(client, open_site):
    for query, message in BAD_INPUT:
        data = get(client, f"/api/v2/pages/?{query}", status=400)
        assert data["message"].startswith(message), data


def test_unknown_page_and_wrong_method(client, open_site):
    assert get(client, "/api/v2/pages/999999/", status=404) == {"message": "Introuvable."}
    response = client.post("/api/v2/pages/")
    assert response.status_code == 405 and "message" in response.json()


def test_ordering_and_limit(client, open_site):
    data = get(client, "/api/v2/pages/?type=resources.ResourcePage&order=-published_date,title")
    assert len(data["items"]) == 2
    first = get(client, "/api/v2/pages/?order=title&limit=1&offset=1")
    assert len(first["items"]) == 1 and first["meta"]["total_count"] > 1


def test_search_uses_the_knowledge_base(client, open_site):
    found = get(client, "/api/v2/pages/?search=guide+mod%C3%A8le+%C3%A9conomique")
    assert ids(found) == {page.pk for page in open_site["resources"]}
    assert not get(client, "/api/v2/pages/?search=introuvablissime")["items"]
    # Only resources are in the knowledge base.
    assert not get(client, "/api/v2/pages/?search=guide&type=resources.NewsPage")["items"]


def test_search_unavailable_is_a_503_in_french(client, open_site, monkeypatch):
    from search.backends import SearchUnavailable, get_backend

    def unavailable(*args, **kwargs):
        raise SearchUnavailable("engine down")

    monkeypatch.setattr(type(get_backend()), "search", unavailable)
    data = get(client, "/api/v2/pages/?search=guide", status=503)
    assert data["message"].startswith("La recherche est momentanément indisponible")


def test_documents_and_images(client, open_site):
    documents = get(client, "/api/v2/documents/?limit=100")
    assert ids(documents) == {open_site["public_doc"].pk}
    [document] = documents["items"]
    assert document["meta"]["download_url"].endswith(".pdf")
    detail = get(client, f"/api/v2/documents/{open_site['public_doc'].pk}/")
    assert detail["format"] == "PDF"
    get(client, f"/api/v2/documents/{open_site['secret_doc'].pk}/", status=404)
    # Images: those that a public page shows (the cover images of the shared site).
    for image in get(client, "/api/v2/images/?limit=100")["items"]:
        detail = get(client, f"/api/v2/images/{image['id']}/")
        assert detail["width"] > 0 and detail["height"] > 0


def test_cors_is_open_for_reading(client, open_site):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://partenaire.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v2/pages/", HTTP_ORIGIN="https://partenaire.example.org")
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/").headers
