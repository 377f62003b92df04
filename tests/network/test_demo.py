"""The networks' demo loader runs after the core demo and is idempotent."""

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


class FakeCommand:
    def __init__(self):
        self.created = {}
        self.lines = []

    def log(self, message):
        self.lines.append(message)

    def count(self, name, created):
        if created:
            self.created[name] = self.created.get(name, 0) + 1


def test_load_demo_twice(grand_est, dla51, dla10, officer10, animator, culture_sector):
    from crdla.core.models import Region

    grand_est.region = Region.objects.get(code="44")
    grand_est.save()
    first = FakeCommand()
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

    second = FakeCommand()
    load_demo(second)
    assert second.created == {}
    assert CallForTendersPage.objects.count() == 3
