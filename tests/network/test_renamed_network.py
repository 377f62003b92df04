"""A renamed network keeps its group and collection (issue 15, item 4: linked by id).

The network's group was found by its name (« Réseau régional — <région> »): renaming the
région, or moving the network to another région, created a new group while the intranet's
view restriction and the call permissions stayed on the old one.
"""

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model

from crdla import access
from crdla.core.models import Region
from crdla.network.access import network_group

pytestmark = pytest.mark.django_db


def rename_region(network):
    region = network.region
    region.name = "Grand-Est-Champagne"
    region.save()


def move_to_another_region(network):
    network.region = Region.objects.filter(network__isnull=True).first()
    network.save_revision().publish()


def add_call_url(calls_index):
    return reverse("wagtailadmin_pages:add", args=["network", "callfortenderspage", calls_index.pk])


@pytest.mark.parametrize("renaming", [rename_region, move_to_another_region])
def test_a_renamed_networks_people_keep_their_rights(
    client, renaming, grand_est, intranet, calls_index, officer51, animator, officer35
):
    group, collection = network_group(grand_est), access.network_collection(grand_est)
    renaming(grand_est)
    grand_est.refresh_from_db()

    assert network_group(grand_est) == group
    assert access.network_collection(grand_est) == collection
    group.refresh_from_db()
    collection.refresh_from_db()
    assert grand_est.region.name in group.name and grand_est.region.name in collection.name
    # An officer who joins after the rename is let in too (the linked group is the one synced).
    officer35.profile.network, officer35.profile.dla = grand_est, None
    officer35.profile.save()
    for user in (officer51, animator, officer35):
        client.force_login(user)
        assert client.get(intranet.url).status_code == 200, user
        assert client.get(add_call_url(calls_index)).status_code == 200, user
        assert collection in access.collections_for_user(user, get_document_model(), ["add"])


def test_another_networks_people_still_cannot(client, grand_est, intranet, calls_index, officer35):
    rename_region(grand_est)
    client.force_login(officer35)
    assert client.get(intranet.url).status_code == 403
    assert client.get(add_call_url(calls_index)).status_code == 302
    collection = access.network_collection(grand_est)
    assert collection not in access.collections_for_user(officer35, get_document_model())


def test_a_draft_with_another_region_renames_nothing(grand_est, intranet):
    name = network_group(grand_est).name
    grand_est.region = Region.objects.filter(network__isnull=True).first()
    grand_est.save_revision()
    assert network_group(grand_est).name == name
