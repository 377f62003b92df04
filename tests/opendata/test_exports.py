"""Exports (CSV, JSON), calendars (iCalendar), per-centre Atom feeds and the catalogue (DCAT-AP
JSON-LD), read by their own libraries as a spreadsheet or calendar application would."""

import csv
import io
import json
from html import unescape

import icalendar
import rdflib
from django.utils import timezone

from crdla.core.csv_export import formula_safe
from crdla.opendata.datasets import DATASETS
from tests.opendata.conftest import MARKER
from tests.opendata.openapi import assert_conforms

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_formula_neutralisation():
    assert formula_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for dangerous in ("+33 1 23", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert formula_safe(dangerous).startswith("'")
    assert formula_safe("Marne") == "Marne" and formula_safe(-3) == -3


def test_exports_have_their_documented_columns(client, open_site):
    dla = open_site["dla"]
    dla.host_structure = "=cmd|' /C calc'!A0"
    dla.save_revision().publish()
    for dataset in DATASETS:
        columns = [column.name for column in dataset.columns]
        path = f"/donnees/{dataset.slug}.csv"
        response = client.get(path)
        assert response.status_code == 200
        assert_conforms(response, path)
        rows = read_csv(response)
        assert rows and list(rows[0]) == columns, dataset.slug
        path = f"/donnees/{dataset.slug}.json"
        data = client.get(path)
        assert_conforms(data, path)
        assert data.json()["columns"] == columns and len(data.json()["rows"]) == len(rows)
    [row] = read_csv(client.get("/donnees/annuaire-dla.csv"))
    assert row["structure_porteuse"] == "'=cmd|' /C calc'!A0"  # never a formula
    assert row["departement_code"] == "51" and row["region"] == "Grand Est"
    assert row["charges_de_mission"] == "Sam Petit"
    [call] = read_csv(client.get("/donnees/consultations.csv"))
    assert call["statut"] == "ouvert" and call["ouverte"] == "true"
    assert call["nombre_lots"] == "1" and call["plafond_total_eur"] == "3200.0"
    indicators = read_csv(client.get("/donnees/programmes-indicateurs.csv"))
    assert len(indicators) == open_site["programme"].indicators().count()
    assert {row["annee"] for row in indicators} == {"2025"}
    assert all(MARKER not in row["indicateur"] for row in indicators)
    assert client.get("/donnees/inconnu.csv").status_code == 404
    assert client.get("/donnees/annuaire-dla.xlsx").status_code == 404


def test_closed_calls_are_exported_too(client, open_site):
    call = open_site["call"]
    call.status = "clos"
    call.save_revision().publish()
    [row] = client.get("/donnees/consultations.json").json()["rows"]
    assert row["statut"] == "clos" and row["ouverte"] is False


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_calendars_global_and_per_centre(client, open_site):
    events = events_of(client.get("/donnees/calendriers/evenements.ics"))
    webinar = events["Webinaire modèle économique"]
    assert webinar["dtstart"].dt == open_site["event"].start.replace(microsecond=0)
    assert str(webinar["url"]).startswith("http://testserver/")
    assert "Journée d'échanges 2024" in events  # recent past events stay in the calendar
    deadlines = events_of(client.get("/donnees/calendriers/consultations.ics"))
    [summary] = deadlines
    assert open_site["call"].reference in summary
    assert deadlines[summary]["dtstart"].dt == open_site["call"].deadline.replace(microsecond=0)
    # The culture centre: its calls by sector; its events are under the home page here.
    assert events_of(client.get("/donnees/calendriers/culture/consultations.ics"))
    assert not events_of(client.get("/donnees/calendriers/culture/evenements.ics"))
    assert client.get("/donnees/calendriers/inconnu/evenements.ics").status_code == 404
    assert client.get("/donnees/calendriers/autre.ics").status_code == 404


def test_centre_feed(client, open_site):
    response = client.get("/flux/centres/culture/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert open_site["resource"].title in body
    assert client.get("/flux/centres/inconnu/").status_code == 404


def test_catalogue_page_and_dcat(client, open_site):
    page = client.get("/donnees/")
    assert page.status_code == 200
    html = unescape(page.content.decode())
    for dataset in DATASETS:
        assert f"/donnees/{dataset.slug}.csv" in html and dataset.title in html
    assert "Licence Ouverte 2.0" in html and "/donnees/calendriers/culture/evenements.ics" in html
    response = client.get("/donnees/catalogue.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    assert_conforms(response, "/donnees/catalogue.jsonld")
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    catalogue = next(graph.subjects(rdflib.RDF.type, DCAT.Catalog))
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == len(DATASETS) + 4
    for dataset in datasets:
        assert graph.value(dataset, DCT.title) is not None
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions, dataset
        for distribution in distributions:
            assert graph.value(distribution, DCAT.accessURL) is not None
            assert graph.value(distribution, DCT.license) is not None
    modified = graph.value(catalogue, DCT.modified)
    assert modified is not None and modified.toPython() <= timezone.now()


def test_a_centre_may_publish_under_its_own_licence(client, open_site):
    from wagtail.models import Site

    from crdla.opendata.models import CentreLicence, OpenDataSettings

    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    CentreLicence.objects.create(
        settings=settings,
        centre=open_site["centre"],
        licence_name="ODbL",
        licence_url="https://opendatacommons.org/licenses/odbl/",
    )
    data = json.loads(client.get("/donnees/catalogue.jsonld").content)
    licences = {
        distribution["@id"]: distribution["dct:license"]["@id"]
        for dataset in data["dcat:dataset"]
        for distribution in dataset["dcat:distribution"]
    }
    assert licences["http://testserver/flux/centres/culture/"].startswith("https://opendatacommons")
    assert licences["http://testserver/donnees/calendriers/evenements.ics"].startswith(
        "https://www.etalab.gouv.fr/"
    )
