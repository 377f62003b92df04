"""Bad input gives clear French errors and nothing is saved half-way."""

import pytest
from django.urls import reverse

from workflows.models import Action, FinancingLine, Indicator


@pytest.fixture
def draft(pilotage, culture_editor, culture, committee):
    programme = pilotage.start(culture_editor, culture)
    pilotage.as_user(culture_editor)
    return programme


def action_data(**overrides):
    data = {
        "action-title": "Webinaires",
        "action-lead_kind": "team",
        "action-etp": "0,5",
        "action-budget": "1 500,50",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-label": "Webinaires organisés",
        "indicators-0-unit": "webinaires",
        "indicators-0-target": "10",
        "indicators-1-label": "",
        "indicators-1-unit": "",
        "indicators-1-target": "",
    }
    data.update(overrides)
    return data


def post_action(client, programme, data):
    return client.post(reverse("programme:action_create", args=[programme.pk, 1]), data)


def test_valid_action_with_french_decimals_is_saved(client, draft):
    response = post_action(client, draft, action_data())
    assert response.status_code == 302
    action = Action.objects.get()
    assert str(action.budget) == "1500.50" and str(action.etp) == "0.50"
    assert action.indicators.get().target == 10


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"action-etp": "-1"}, "L&#x27;ETP ne peut pas être négatif."),
        ({"action-budget": "douze euros"}, "Saisissez un nombre."),
        ({"action-budget": "-100"}, "Le montant ne peut pas être négatif."),
        ({"indicators-0-unit": ""}, "Une cible doit avoir une unité."),
        ({"indicators-0-target": "-3"}, "La cible ne peut pas être négative."),
        (
            {"action-lead_kind": "provider", "action-lead_name": ""},
            "Indiquez le nom du réseau associé ou du prestataire.",
        ),
    ],
)
def test_invalid_action_is_refused_and_nothing_is_saved(client, draft, overrides, message):
    response = post_action(client, draft, action_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "L&#x27;action n&#x27;a pas été enregistrée" in response.content.decode()
    assert not Action.objects.exists()
    assert not Indicator.objects.exists()


def test_invalid_indicator_on_an_existing_action_changes_nothing(client, draft):
    post_action(client, draft, action_data())
    action = Action.objects.get()
    indicator = action.indicators.get()
    response = client.post(
        reverse("programme:action_edit", args=[draft.pk, action.pk]),
        action_data(
            **{
                "action-title": "Titre modifié",
                "indicators-TOTAL_FORMS": "1",
                "indicators-INITIAL_FORMS": "1",
                "indicators-0-id": indicator.pk,
                "indicators-0-unit": "",
            }
        ),
    )
    assert response.status_code == 400
    action.refresh_from_db()
    indicator.refresh_from_db()
    assert action.title == "Webinaires" and indicator.unit == "webinaires"


def financing_data(*rows):
    data = {"financing-TOTAL_FORMS": str(len(rows)), "financing-INITIAL_FORMS": "0"}
    for index, (funder, amount) in enumerate(rows):
        data[f"financing-{index}-funder"] = funder
        data[f"financing-{index}-amount"] = amount
    return data


def test_financing_plan_is_saved_whole_or_not_at_all(client, draft):
    url = reverse("programme:financing_edit", args=[draft.pk])
    response = client.post(url, financing_data(("dgefp", "1000"), ("cdc", "abc")))
    assert response.status_code == 400
    assert "Saisissez un nombre." in response.content.decode()
    assert not FinancingLine.objects.exists()
    response = client.post(url, financing_data(("dgefp", "1000"), ("cdc", "0")))
    assert response.status_code == 400
    assert "Le montant doit être positif." in response.content.decode()
    assert not FinancingLine.objects.exists()
    response = client.post(url, financing_data(("dgefp", "1000"), ("cdc", "2 000,00")))
    assert response.status_code == 302
    assert sorted(FinancingLine.objects.values_list("amount", flat=True)) == [1000, 2000]


def test_report_with_negative_actual_saves_nothing(
    pilotage, submitted_programme, committee, chair, culture_editor
):
    from workflows.models import FollowUpReport, ReportIndicatorValue

    pilotage.review_all(committee, submitted_programme)
    pilotage.decide(chair, submitted_programme, "approve")
    indicators = list(submitted_programme.indicators())
    data = {"comment": "Bilan."}
    data.update({f"actual_{i.pk}": "3" for i in indicators})
    data[f"actual_{indicators[0].pk}"] = "-2"
    data.update({f"spent_{line.pk}": "10" for line in submitted_programme.financing_lines.all()})
    response = pilotage.do(culture_editor, submitted_programme, "mid_year_report", data)
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in response.content.decode()
    assert not FollowUpReport.objects.exists()
    assert not ReportIndicatorValue.objects.exists()
    assert all(i.actual is None for i in submitted_programme.indicators())
