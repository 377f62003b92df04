"""``.public()`` stays one small query however many DLA-only pages exist."""

from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from crdla.resources.models import ResourcePage
from tests.factories import ResourcePageFactory, StandardPageFactory


def wagtail_semantics(queryset):
    """Wagtail's own definition: not restricted, and no restricted ancestor."""
    return {
        page.pk
        for page in queryset
        if not any(
            PageViewRestriction.objects.filter(page=a).exists()
            for a in page.get_ancestors(inclusive=True)
        )
    }


def test_same_result_as_wagtail_for_leaves_and_branches(home, culture_index):
    public = ResourcePageFactory(parent=culture_index, slug="public")
    restricted = ResourcePageFactory(parent=culture_index, slug="dla", visibility="dla")
    section = StandardPageFactory(parent=home, slug="intranet")
    inside = StandardPageFactory(parent=section, slug="dedans")
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.all()[:1])
    pages = Page.objects.all()
    assert set(pages.public().values_list("pk", flat=True)) == wagtail_semantics(pages)
    assert public.pk in set(pages.public().values_list("pk", flat=True))
    private = set(pages.not_public().values_list("pk", flat=True))
    assert {restricted.pk, section.pk, inside.pk} <= private and public.pk not in private
    assert list(ResourcePage.objects.live().public()) == [public]


def test_thousands_of_restrictions_do_not_break_public_queries(
    home, culture_index, django_assert_max_num_queries
):
    leaf = ResourcePageFactory(parent=culture_index, slug="dla", visibility="dla")
    section = StandardPageFactory(parent=home, slug="intranet")
    StandardPageFactory(parent=section, slug="dedans")
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=leaf, restriction_type="login") for _ in range(1500)]
        + [PageViewRestriction(page=section, restriction_type="login") for _ in range(1500)]
    )
    with django_assert_max_num_queries(2):
        slugs = set(Page.objects.public().values_list("slug", flat=True))
    assert "dla" not in slugs and "intranet" not in slugs and "dedans" not in slugs
    assert "ressources" in slugs
