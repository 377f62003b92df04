"""Migration network 0004: a DLA's ``structure_porteuse`` becomes ``host_structure``, in its
column and in its revisions (a draft saved before the rename keeps its value), and back."""

import pytest
from wagtail.models import Revision

from tests.migrations import latest, migrate

BEFORE = [("network", "0003_exchange_space_closing_and_announcements")]


@pytest.mark.django_db(transaction=True)
def test_host_structure_is_renamed_in_the_column_and_the_drafts(dla51):
    dla51.host_structure = "France Active Champagne"
    revision = dla51.save_revision()  # a draft: the column keeps the published value

    old = migrate(BEFORE)
    old_dla = old.get_model("network", "DLAPage").objects.get(pk=dla51.pk)
    assert old_dla.structure_porteuse == "Structure porteuse du DLA"
    content = old.get_model("wagtailcore", "Revision").objects.get(pk=revision.pk).content
    assert content["structure_porteuse"] == "France Active Champagne"
    assert "host_structure" not in content

    migrate(latest())
    draft = Revision.objects.get(pk=revision.pk).as_object()
    assert draft.host_structure == "France Active Champagne"
    dla51.refresh_from_db()
    assert dla51.host_structure == "Structure porteuse du DLA"
