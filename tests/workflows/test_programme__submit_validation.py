"""Submitting is refused, with every problem listed in French, until the programme is complete."""

from decimal import Decimal

from django.urls import reverse

from crdla.centres.models import CommitteeSeat
from workflows.models import FinancingLine, FundingSource, ProgrammeStatus

from .conftest import fill_programme, strip_tags


def test_empty_programme_lists_every_problem_and_stays_a_draft(
    pilotage, culture_editor, culture, committee
):
    programme = pilotage.start(culture_editor, culture)
    response = pilotage.submit(culture_editor, programme)
    assert response.status_code == 200
    text = strip_tags(response.content.decode())
    for number in (1, 2, 3, 4):
        assert f"L'axe {number} n'a aucune action." in text.replace("&#x27;", "'")
    assert "Le plan de financement est vide." in text
    assert "ne peut pas encore être soumis" in text
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.versions.count() == 0
    assert pilotage.open_task(programme, "draft").status == "ASSIGNED"


def test_action_without_target_and_unbalanced_financing_are_reported(
    pilotage, culture_editor, culture, committee
):
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    first = programme.actions().order_by("pk").first()
    first.indicators.update(target=None)
    FinancingLine.objects.create(
        programme=programme, funder=FundingSource.FSE, amount=Decimal("250")
    )
    text = strip_tags(pilotage.submit(culture_editor, programme).content.decode()).replace(
        "&#x27;", "'"
    )
    assert f"L'action « {first.title} » (axe 1) n'a aucun indicateur avec une cible." in text
    assert "ne couvre pas exactement le budget des actions (4 000 €) : écart de 250 €" in text
    assert programme.versions.count() == 0


def test_incomplete_committee_is_reported(pilotage, culture_editor, culture, committee):
    CommitteeSeat.objects.filter(centre=culture, institution="avise").delete()
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    text = strip_tags(pilotage.submit(culture_editor, programme).content.decode())
    assert "Le comité de pilotage n'a pas de membre pour : Avise." in text.replace("&#x27;", "'")


def test_complete_programme_is_submitted_as_version_one(
    submitted_programme, client, culture_editor
):
    assert submitted_programme.status == ProgrammeStatus.SUBMITTED
    version = submitted_programme.versions.get()
    assert version.number == 1 and not version.is_approved
    assert Decimal(version.snapshot["totals"]["financing"]) == Decimal("4000")
    client.force_login(culture_editor)
    page = client.get(reverse("programme:programme_detail", args=[submitted_programme.pk]))
    assert "Version 1, soumise le" in page.content.decode()
