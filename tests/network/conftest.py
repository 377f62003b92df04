"""Fixtures of the regional networks: two networks, their DLA, officers and animators."""

import pytest

from crdla.accounts import roles
from crdla.core.models import Departement, Sector
from crdla.network.models import DLAOfficer
from tests.factories import DLAPageFactory, NetworkPageFactory, SectorFactory

from .factories import CallForTendersIndexPageFactory, IntranetPageFactory


@pytest.fixture
def culture_sector(db):
    return SectorFactory(slug="culture", name="Culture")


@pytest.fixture
def sport_sector(db):
    return SectorFactory(slug="sport", name="Sport")


@pytest.fixture
def grand_est(home):
    network = NetworkPageFactory(
        parent=home,
        title="Réseau DLA Grand Est",
        slug="grand-est",
        region=Departement.objects.get(code="51").region,
    )
    return network


@pytest.fixture
def bretagne(home):
    return NetworkPageFactory(
        parent=home,
        title="Réseau DLA Bretagne",
        slug="bretagne",
        region=Departement.objects.get(code="35").region,
    )


@pytest.fixture
def dla51(grand_est):
    return DLAPageFactory(parent=grand_est, title="DLA de la Marne", slug="dla-51")


@pytest.fixture
def dla10(grand_est):
    return DLAPageFactory(
        parent=grand_est,
        title="DLA de l'Aube",
        slug="dla-10",
        departement=Departement.objects.get(code="10"),
    )


@pytest.fixture
def dla35(bretagne):
    return DLAPageFactory(
        parent=bretagne,
        title="DLA d'Ille-et-Vilaine",
        slug="dla-35",
        departement=Departement.objects.get(code="35"),
    )


def _officer(make_user, username, dla, network):
    user = make_user(username, roles.DLA_OFFICERS)
    user.profile.dla = dla
    user.profile.network = network
    user.profile.save()
    DLAOfficer.objects.create(page=dla, name=username, email=user.email, user=user)
    return user


@pytest.fixture
def officer51(make_user, dla51, grand_est):
    return _officer(make_user, "cm.dla51", dla51, grand_est)


@pytest.fixture
def officer10(make_user, dla10, grand_est):
    return _officer(make_user, "cm.dla10", dla10, grand_est)


@pytest.fixture
def officer35(make_user, dla35, bretagne):
    return _officer(make_user, "cm.dla35", dla35, bretagne)


@pytest.fixture
def animator(make_user, grand_est):
    user = make_user("animateur.grandest", roles.ANIMATORS)
    user.profile.network = grand_est
    user.profile.save()
    grand_est.animator = user
    grand_est.save_revision().publish()
    return user


@pytest.fixture
def calls_index(grand_est, dla51):
    return CallForTendersIndexPageFactory(parent=grand_est)


@pytest.fixture
def intranet(grand_est, officer51, officer10, animator):
    return IntranetPageFactory(parent=grand_est)


@pytest.fixture
def sectors(culture_sector, sport_sector):
    return {s.slug: s for s in Sector.objects.all()}
