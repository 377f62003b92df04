"""Factories for the regional networks' tests."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from crdla.core.models import Departement
from crdla.network.models import (
    AlertSubscription,
    CallForTendersIndexPage,
    CallForTendersPage,
    CallLot,
    DLAPage,
    IntranetPage,
)
from tests.factories import SectorFactory


class CallForTendersIndexPageFactory(wagtail_factories.PageFactory):
    title = "Consultations"
    slug = "consultations"

    class Meta:
        model = CallForTendersIndexPage


class CallForTendersPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Accompagnement modèle économique {n}")
    reference = factory.Sequence(lambda n: f"DLA51-2026-{n:03d}")
    dla = factory.LazyFunction(lambda: DLAPage.objects.order_by("pk").first())
    kind = "individuel"
    structure_type = "Association employeuse"
    sector = factory.SubFactory(SectorFactory)
    structure_size = "1-9"
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="51"))
    description = "<p>Consolider le modèle économique de la structure.</p>"
    publication_date = factory.LazyFunction(timezone.now)
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    contact_name = "Chargée de mission"
    contact_email = "dla51@example.org"

    class Meta:
        model = CallForTendersPage


class IntranetPageFactory(wagtail_factories.PageFactory):
    title = "Intranet du réseau"
    slug = "intranet"

    class Meta:
        model = IntranetPage


class AlertSubscriptionFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"prestataire{n}@example.org")
    consent_text = "J'accepte…"
    consent_at = factory.LazyFunction(timezone.now)
    consent_ip = "127.0.0.1"
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = AlertSubscription


def add_lot(call, title="Lot unique", days=3, ceiling=2400):
    CallLot.objects.create(page=call, title=title, days=days, ceiling=ceiling)
