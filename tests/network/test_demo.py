"""The networks' demo loader runs after the core demo and is idempotent."""

import io

import pytest

from crdla.network.demo import load_demo
from crdla.network.models import (
    AlertSubscription,
    CallForTendersPage,
    DirectoryPage,
    ExchangeSpace,
    IntranetPage,
    RegionalProgramme,
    SurveyPage,
)

pytestmark = pytest.mark.django_db


def demo_command():
    from crdla.core.management.commands.load_initial_data import Command

    command = Command(stdout=io.StringIO())
    command.created = {}
    return command


def test_load_demo_twice(grand_est, dla51, dla10, officer10, animator, culture_sector):
    from crdla.core.models import Region

    grand_est.region = Region.objects.get(code="44")
    grand_est.save()
    first = demo_command()
    load_demo(first)
    assert first.created["consultations"] == 3
    assert CallForTendersPage.objects.live().count() == 3
    assert CallForTendersPage.objects.filter(status="ouvert").count() == 2
    assert AlertSubscription.objects.filter(confirmed_at__isnull=False).count() == 2
    assert IntranetPage.objects.child_of(grand_est).exists()
    assert ExchangeSpace.objects.get().memberships.filter(user=officer10).exists()
    assert RegionalProgramme.objects.get().status == "draft"
    assert SurveyPage.objects.get().form_fields.count() == 3
    assert DirectoryPage.objects.count() == 1

    second = demo_command()
    load_demo(second)
    assert second.created == {}
    assert CallForTendersPage.objects.count() == 3
