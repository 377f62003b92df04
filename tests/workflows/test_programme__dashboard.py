"""The committee dashboard of a centre, the indicator chart and the CSV export."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from crdla.accounts import roles

from .conftest import strip_tags


def approve_with_report(pilotage, programme, committee, chair, editor):
    pilotage.review_all(committee, programme)
    pilotage.decide(chair, programme, "approve")
    data = {"comment": "Mi-parcours."}
    indicators = list(programme.indicators().order_by("pk"))
    for index, indicator in enumerate(indicators):
        data[f"actual_{indicator.pk}"] = str(5 + index)
    data.update({f"spent_{line.pk}": "100" for line in programme.financing_lines.all()})
    pilotage.do(editor, programme, "mid_year_report", data)
    return indicators


def test_dashboard_shows_programmes_tasks_and_indicators(
    pilotage, client, submitted_programme, committee, chair, culture_editor, culture
):
    approve_with_report(pilotage, submitted_programme, committee, chair, culture_editor)
    client.force_login(committee["dgefp"])
    response = client.get(reverse("programme:centre_dashboard", args=[culture.pk]))
    assert response.status_code == 200
    text = strip_tags(response.content.decode())
    assert "Programme 2026" in text and "Validé" in text
    assert "Prise en compte du bilan à mi-parcours" in text  # the open task, for the chair
    assert "5 / 10 structures (50 %)" in text
    assert re.search(
        r'<progress class="bar[^"]*" max="100" value="50(\.0+)?"', response.content.decode()
    )
    assert "Membre" in text or "comite.dgefp" in text


def test_overview_lists_tasks_and_centres(
    pilotage, client, submitted_programme, committee, culture
):
    client.force_login(committee["cdc"])
    response = client.get(reverse("programme:index"))
    text = strip_tags(response.content.decode())
    assert "Avis — Banque des Territoires (CDC)" in text
    assert "CRDLA Culture" in text
    inbox = client.get(reverse("programme:inbox"))
    assert "Avis — Banque des Territoires (CDC)" in inbox.content.decode()


def test_csv_export(pilotage, client, submitted_programme, committee, chair, culture_editor):
    indicators = approve_with_report(
        pilotage, submitted_programme, committee, chair, culture_editor
    )
    client.force_login(culture_editor)
    response = client.get(reverse("programme:programme_csv", args=[submitted_programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "programme-culture-2026.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Programme", "Programme 2026", "2026"]
    header = rows.index(
        [
            "Axe",
            "Action",
            "Pilotage",
            "ETP",
            "Budget (€)",
            "Indicateur",
            "Unité",
            "Cible",
            "Réalisé",
        ]
    )
    data = rows[header + 1 : header + 5]
    assert [row[0] for row in data] == ["1", "2", "3", "4"]
    assert data[0][1] == "Action de l'axe 1"
    assert data[0][5:] == ["Structures accompagnées", "structures", "10.00", "5.00"]
    assert data[3][8] == str(5 + len(indicators) - 1) + ".00"
    funders = rows[rows.index(["Financeur", "Précision", "Montant (€)", "Part (%)"]) + 1 :]
    assert funders[0][0] == "État — DGEFP" and funders[0][3] == "75.0"
    assert funders[-1] == ["Total", "", "4000.00", "100"]


def test_admin_menu_link_for_people_with_tasks(client, committee, make_user, admin_user):
    # committee members reach the Wagtail admin when they also belong to a staff group
    committee["avise"].groups.add(Group.objects.get_or_create(name=roles.CENTRE_STAFF)[0])
    client.force_login(committee["avise"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert reverse("programme:index") in response.content.decode()
    staff = make_user("staff.only", roles.CENTRE_STAFF)
    client.force_login(staff)
    assert (
        reverse("programme:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_committee_seats_are_edited_by_administrators(
    client, committee, admin_user, culture_editor
):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailsnippets_centres_committeeseat:list"))
    assert response.status_code == 200
    assert "comite.dgefp" in response.content.decode() or "Prénom" in response.content.decode()
    client.force_login(culture_editor)
    response = client.get(reverse("wagtailsnippets_centres_committeeseat:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_public_menu_links_to_pilotage_for_committee_members(client, committee, home):
    link = f'href="{reverse("programme:index")}"'
    assert link not in client.get("/").content.decode()
    client.force_login(committee["avise"])
    assert link in client.get("/").content.decode()


@pytest.mark.parametrize("dangerous", ["=1+1", "+33 6", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_export_neutralises_formulas(pilotage, client, culture_editor, culture, dangerous):
    """Issue 9, finding 7: an action title starting with a formula sign is not a formula."""
    programme = pilotage.start(culture_editor, culture)
    block = programme.axis_blocks.first()
    block.actions.create(title=dangerous)
    client.force_login(culture_editor)
    response = client.get(reverse("programme:programme_csv", args=[programme.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["'" + dangerous] == [row[1] for row in rows if row[1:2] == ["'" + dangerous]]
