"""The access policy's page rules (``crdla.access.pages``), as the views and the canary use them."""

from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import Page, PageViewRestriction

from crdla import access
from crdla.accounts import roles
from tests.factories import ResourcePageFactory, StandardPageFactory


def test_pages_querysets_and_single_page_answers_agree(culture_index, dla_officer, make_user, home):
    public = ResourcePageFactory(parent=culture_index, title="Public")
    network = ResourcePageFactory(parent=culture_index, title="Réseau", visibility="dla")
    draft = ResourcePageFactory(parent=culture_index, title="Brouillon", live=False)
    # A section restricted to one group (like a network's intranet) and its child.
    section = StandardPageFactory(parent=home, title="Section privée")
    group = Group.objects.create(name="Réseau régional — Test")
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([group])
    child = StandardPageFactory(parent=section, title="Enfant de la section")
    member = make_user("membre.section", roles.DLA_OFFICERS)
    member.groups.add(group)
    outsider = make_user("comite.test")
    admin = make_user("admin.test", is_superuser=True)

    expected = {
        AnonymousUser(): {public},
        outsider: {public},
        dla_officer: {public, network},
        member: {public, network, section, child},
        admin: {public, network, section, child},
    }
    pages = [public, network, draft, section, child]
    ids = [p.pk for p in pages]
    for user, visible in expected.items():
        found = set(access.visible_pages(user, Page.objects.filter(pk__in=ids)).specific())
        assert found == visible, user
        for page in pages:
            assert access.can_view_page(user, page) == (page in visible), (user, page)

    assert set(access.public_pages(Page.objects.filter(pk__in=ids)).specific()) == {public}
    assert access.page_audience(public) == access.PUBLIC
    assert access.page_audience(network) == access.NETWORK
    assert access.page_audience(child) == access.NETWORK
    assert access.visible_audiences(AnonymousUser()) == [access.PUBLIC]
    assert access.visible_audiences(dla_officer) == [access.PUBLIC, access.NETWORK]
