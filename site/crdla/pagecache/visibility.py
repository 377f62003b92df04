"""A private-pages filter that scales with the number of DLA-only pages.

Wagtail's ``PageQuerySet.private_q()`` ORs one path condition per view restriction. Every
DLA-only resource has its own restriction (see ``VisibilityMixin``), so with 10,000 resources
(1,000 of them DLA-only) every ``.public()`` query carried 1,000 conditions: slow on
PostgreSQL, and an error on SQLite ("Expression tree is too large"), which broke the main menu,
the listings, the feed and Wagtail's sitemap of every public page.

This version gives the same result with one ``NOT IN`` subquery for the restricted pages
themselves, plus one path condition per restricted page that has children (sections such as
an intranet), which stay few. It replaces Wagtail's method once, at start-up, because
``.public()`` is called by Wagtail itself (sitemap, privacy checks) and not only by our code.
"""

from django.db.models import Q


def scalable_private_q(queryset):
    """Pages under a view restriction: restricted pages and the descendants of restricted ones."""
    from wagtail.models import PageViewRestriction

    restrictions = PageViewRestriction.objects.all()
    q = Q(pk__in=restrictions.values("page_id"))
    for path in restricted_branches():
        q |= Q(path__startswith=path)
    return q


def restricted_branches():
    """The paths of the restricted pages that have children, kept per cache generation.

    Creating, moving or deleting a page and changing a restriction bump the generation.
    """
    from wagtail.models import PageViewRestriction

    from . import generation

    def read():
        restrictions = PageViewRestriction.objects.filter(page__numchild__gt=0)
        return sorted(set(restrictions.values_list("page__path", flat=True)))

    current = generation.for_active_request()
    if current is None:
        return read()
    return generation.remember(f"crdla-private-branches:{current}", read)


def install():
    from wagtail.query import PageQuerySet

    PageQuerySet.private_q = scalable_private_q
