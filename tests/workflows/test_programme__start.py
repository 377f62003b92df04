"""Starting a programme: one per centre and year, optionally a copy of the last one."""

from decimal import Decimal

from django.urls import reverse

from workflows.models import ActionProgramme, ProgrammeStatus

from .conftest import fill_programme


def test_new_programme_has_four_axes_and_a_draft_task(pilotage, culture_editor, culture):
    programme = pilotage.start(culture_editor, culture)
    assert programme.status == ProgrammeStatus.DRAFT
    assert [b.axis.number for b in programme.axis_blocks.all()] == [1, 2, 3, 4]
    assert programme.created_by == culture_editor
    assert pilotage.open_task(programme, "draft").owner == culture_editor


def test_one_programme_per_centre_and_year(pilotage, client, culture_editor, culture):
    pilotage.start(culture_editor, culture)
    response = pilotage.post(
        reverse("programme:start:execute"),
        {"centre": culture.pk, "year": 2026, "title": "Doublon", "summary": "x"},
    )
    assert response.status_code == 200
    assert "Ce centre a déjà un programme d&#x27;actions pour l&#x27;année 2026." in (
        response.content.decode()
    )
    assert ActionProgramme.objects.count() == 1


def test_next_year_starts_as_a_copy_of_the_last(pilotage, culture_editor, culture):
    last = pilotage.start(culture_editor, culture, year=2025)
    fill_programme(last)
    last.indicators().update(actual=Decimal("7"))
    new = pilotage.start(culture_editor, culture, year=2026, copy_previous="on")
    assert new.actions().count() == 4
    assert new.indicators().filter(target=10, actual__isnull=True).count() == 4
    assert new.total_financing == last.total_financing
    assert last.actions().count() == 4  # the source is untouched
