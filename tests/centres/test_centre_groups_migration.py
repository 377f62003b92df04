"""Migration centres 0007: each centre's groups are linked to it, found by their current name
or, for a centre renamed before the link existed, by their page permissions on its section."""

import pytest
from django.contrib.auth.models import Group

from crdla.centres.models import CentreGroup
from tests.migrations import latest, migrate

BEFORE = [("centres", "0006_one_committee_seat_per_account")]


@pytest.mark.django_db(transaction=True)
def test_existing_groups_are_linked_even_when_orphaned_by_a_rename(culture, sport):
    groups = {(link.centre_id, link.role): link.group_id for link in CentreGroup.objects.all()}
    assert len(groups) == 4
    migrate(BEFORE)
    # Sport was renamed before the link: its groups no longer carry its name.
    Group.objects.filter(pk=groups[(sport.pk, "editors")]).update(name="Éditeurs — Ancien nom")
    Group.objects.filter(pk=groups[(sport.pk, "experts")]).update(name="Experts — Ancien nom")
    Group.objects.create(name="Éditeurs — Autre chose")  # no permission on any centre

    new = migrate(latest())
    links = new.get_model("centres", "CentreGroup").objects.values_list(
        "centre_id", "role", "group_id"
    )
    assert {(centre, role): group for centre, role, group in links} == groups
