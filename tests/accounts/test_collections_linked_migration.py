"""Migrations network 0006 and accounts 0005: each network's group and each centre's and
network's collection are linked to it, found by their current name or, for one renamed before
the link existed, by the permissions (or view restriction) it holds."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection

from crdla import access
from crdla.network.access import network_group
from tests.factories import NetworkPageFactory
from tests.migrations import latest, migrate
from tests.network.factories import IntranetPageFactory

BEFORE = [
    ("accounts", "0004_no_committee_groups"),
    ("network", "0005_vote_status_machine_without_process"),
]


@pytest.mark.django_db(transaction=True)
def test_existing_groups_and_collections_are_linked_even_when_orphaned_by_a_rename(
    home, culture, sport
):
    grand_est = NetworkPageFactory(parent=home, slug="grand-est")
    IntranetPageFactory(parent=grand_est)  # restricted to the network's group
    expected = {
        "culture": access.centre_collection(culture).pk,
        "sport": access.centre_collection(sport).pk,
        "grand-est": access.network_collection(grand_est).pk,
    }
    group = network_group(grand_est).pk
    migrate(BEFORE)
    # Sport's collection was renamed (by hand, or with the centre) before the link.
    Collection.objects.filter(pk=expected["sport"]).update(name="Ancien nom")
    # Grand Est's group too (its région renamed): found by the intranet's view restriction.
    Group.objects.filter(pk=group).update(name="Réseau régional — Ancienne région")
    Group.objects.create(name="Réseau régional — Sans réseau")  # no permission anywhere
    Collection.get_first_root_node().add_child(name="Zone libre")  # nobody's (sorted last: no move)

    new = migrate(latest())
    links = new.get_model("accounts", "PageCollection").objects.values_list(
        "page_id", "collection_id"
    )
    assert dict(links) == {
        culture.pk: expected["culture"],
        sport.pk: expected["sport"],
        grand_est.pk: expected["grand-est"],
    }
    network_links = new.get_model("network", "NetworkGroup").objects.values_list(
        "network_id", "group_id"
    )
    assert dict(network_links) == {grand_est.pk: group}
    assert Group.objects.filter(pk=group).exists()
