"""factory_boy / wagtail-factories factories shared by the whole suite."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from crdla.centres.models import CentrePage
from crdla.core.models import (
    Audience,
    Departement,
    HomePage,
    ProgrammeAxis,
    Sector,
    StandardPage,
    Theme,
)
from crdla.network.models import DLAPage, NetworkPage
from crdla.resources.models import (
    EventPage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password("motdepasse-test")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(
                *[
                    group
                    if isinstance(group, Group)
                    else Group.objects.get_or_create(name=group)[0]
                    for group in extracted
                ]
            )


class SectorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Secteur {n}")
    slug = factory.Sequence(lambda n: f"secteur-{n}")

    class Meta:
        model = Sector
        django_get_or_create = ("slug",)


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")

    class Meta:
        model = Theme
        django_get_or_create = ("slug",)


class AudienceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.Sequence(lambda n: f"public-{n}")

    class Meta:
        model = Audience
        django_get_or_create = ("slug",)


class ImageFactory(wagtail_factories.ImageFactory):
    """A small described image (its description is the default alt text of a cover)."""

    title = factory.Sequence(lambda n: f"Illustration {n}")
    description = "Une illustration aux couleurs du centre"
    file = factory.django.ImageField(width=320, height=180, color="teal")


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Centres de ressources DLA"
    slug = "accueil"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "Une page de présentation."

    class Meta:
        model = StandardPage


class CentrePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Centre de ressources DLA {n}")
    short_name = factory.Sequence(lambda n: f"CRDLA {n}")
    sector = factory.SubFactory(SectorFactory)
    intro = "Le centre outille les chargés de mission DLA."

    class Meta:
        model = CentrePage


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Ressources"
    slug = "ressources"

    class Meta:
        model = ResourceIndexPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guide pratique numéro {n}")
    kind = "guide"
    summary = "Un résumé de la ressource pour les chargés de mission DLA."
    published_date = factory.Sequence(
        lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n)
    )

    class Meta:
        model = ResourcePage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Actualités"
    slug = "actualites"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Actualité {n}")
    intro = "Une actualité du réseau."

    class Meta:
        model = NewsPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Webinaire {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    format = "distanciel"

    class Meta:
        model = EventPage


class NetworkPageFactory(wagtail_factories.PageFactory):
    title = "Réseau DLA Grand Est"
    region = factory.LazyFunction(lambda: Departement.objects.get(code="51").region)
    host_structure = "Structure d'animation régionale"

    class Meta:
        model = NetworkPage


class DLAPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"DLA {n}")
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="51"))
    host_structure = "Structure porteuse du DLA"

    class Meta:
        model = DLAPage


def axis(number):
    return ProgrammeAxis.objects.get(number=number)
