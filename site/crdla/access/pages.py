"""Pages: who may see or change a page, and the querysets that follow the same rule.

A page's audience is its Wagtail view restrictions (on itself or an ancestor). For resources,
news and events the « visibilité » field is the one source of truth: it drives the restriction
(``sync_restriction_from_visibility``), and a change made through Wagtail's « Confidentialité »
dialog is written back into the field (``sync_visibility_from_restriction``).
"""

from django.contrib.auth.models import Group
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from crdla.accounts import roles

PUBLIC = "public"
NETWORK = "dla"


# --- Who is who -----------------------------------------------------------------------------


def can_view_restricted(user):
    """True when ``user`` belongs to the DLA network (officers, animators, centre staff,
    administrators): the audience of « réseau DLA uniquement » content."""
    return member_of(user, roles.DLA_NETWORK_GROUPS)


def member_of(user, group_names):
    """True for a superuser or a member of one of ``group_names``, memoised on the user for
    the request (access checks ask it many times per page)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    memo = user.__dict__.setdefault("_crdla_groups", {})
    key = tuple(group_names)
    if key not in memo:
        memo[key] = user.groups.filter(name__in=group_names).exists()
    return memo[key]


def visible_audiences(user):
    """The page audiences ``user`` may read (for the knowledge-base filter)."""
    return [PUBLIC, NETWORK] if can_view_restricted(user) else [PUBLIC]


# --- One page ---------------------------------------------------------------------------------


def restriction_admits(restriction, user):
    """Whether the view ``restriction`` lets ``user`` in, as Wagtail decides it on serving.

    Password restrictions admit nobody here: a password is a per-session grant, never a
    property of the user, so listings and files never count on it.
    """
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return user.is_authenticated
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        wanted = {group.pk for group in restriction.groups.all()}
        return bool(wanted & set(user.groups.values_list("pk", flat=True)))
    return False


def page_audience(page):
    """``PUBLIC`` when neither the page nor an ancestor is restricted (and, for a page with a
    visibility field, the field says public); else ``NETWORK``."""
    if getattr(page, "visibility", PUBLIC) != PUBLIC:
        return NETWORK
    return NETWORK if page.get_view_restrictions().exists() else PUBLIC


def can_view_page(user, page):
    """Whether ``user`` may read the live ``page`` (same answer as Wagtail's serving)."""
    if not page.live:
        return False
    return all(restriction_admits(r, user) for r in page.get_view_restrictions())


def can_change_page(user, page):
    """Whether ``user`` may edit ``page`` in the admin (Wagtail's page permissions)."""
    return page.permissions_for_user(user).can_edit()


# --- Querysets --------------------------------------------------------------------------------


def public_page_models():
    """Page types whose live, unrestricted pages anyone may read.

    A whitelist rather than « every unrestricted page »: some page types are not
    view-restricted but serve members only (the network survey) and must never be exposed.
    """
    from crdla.centres.models import CentrePage
    from crdla.core.models import HomePage, StandardPage
    from crdla.network.models import (
        CallForTendersIndexPage,
        CallForTendersPage,
        DirectoryPage,
        DLAPage,
        NetworkPage,
    )
    from crdla.resources.models import (
        EventPage,
        NewsIndexPage,
        NewsPage,
        ResourceIndexPage,
        ResourcePage,
    )
    from workflows.models import ProgrammePage

    return (
        HomePage,
        StandardPage,
        CentrePage,
        ResourceIndexPage,
        ResourcePage,
        NewsIndexPage,
        NewsPage,
        EventPage,
        ProgrammePage,
        NetworkPage,
        DLAPage,
        DirectoryPage,
        CallForTendersIndexPage,
        CallForTendersPage,
    )


def public_pages(queryset):
    """The pages of ``queryset`` anyone may read: live, without a view restriction on them or
    an ancestor, of a public page type; a programme page only once its programme has a
    committee-approved version."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.models import ProgrammePage

    model = queryset.model
    pages = queryset.live().public()
    if model is Page:
        pages = pages.type(*public_page_models())
    elif not issubclass(model, public_page_models()):
        return pages.none()
    if model is Page or issubclass(model, ProgrammePage):
        approved = ProgrammePage.objects.filter(programme__versions__is_approved=True).values("pk")
        pages = pages.exclude(
            Q(content_type=ContentType.objects.get_for_model(ProgrammePage)) & ~Q(pk__in=approved)
        )
    return pages


def _refused_q(user):
    """Pages under a view restriction that does not admit ``user`` (authenticated)."""
    through = PageViewRestriction.groups.through
    admitted = Q(restriction_type=PageViewRestriction.LOGIN) | Q(
        restriction_type=PageViewRestriction.GROUPS,
        pk__in=through.objects.filter(group__in=user.groups.all()).values("pageviewrestriction_id"),
    )
    refused = PageViewRestriction.objects.exclude(admitted)
    # One subquery for the restricted pages themselves, one path condition per restricted
    # page with children (sections such as an intranet): few, so the query stays small.
    q = Q(pk__in=refused.values("page_id"))
    for path in sorted(
        set(refused.filter(page__numchild__gt=0).values_list("page__path", flat=True))
    ):
        q |= Q(path__startswith=path)
    return q


def visible_pages(user, queryset):
    """The live pages of ``queryset`` that ``user`` may read.

    Anonymous visitors get ``public_pages``; signed-in users also get the restricted pages
    whose restrictions admit them (DLA-only pages for the network, an intranet for its
    network's members); administrators get every live page.
    """
    if not user.is_authenticated:
        return public_pages(queryset)
    queryset = queryset.live()
    if user.is_superuser:
        return queryset
    return queryset.exclude(_refused_q(user))


def editable_or_live_pages(user, queryset):
    """Pages an admin user may find in the explorer and the page chooser: the live pages
    they may read and the pages they may edit (never another centre's unpublished drafts,
    nor another network's intranet)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if user.is_superuser:
        return queryset
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    readable = visible_pages(user, Page.objects.all())
    return queryset.filter(Q(pk__in=readable.values("pk")) | Q(pk__in=editable.values("pk")))


# --- The visibility field and the view restriction: one source of truth -------------------------


def sync_restriction_from_visibility(page):
    """Make ``page``'s own group restriction match its « visibilité » field.

    Called on full saves (creation, publication), never on draft revisions: a still-live
    DLA-only page is never exposed by an unpublished edit. A « réseau DLA » page is
    restricted to exactly the DLA network groups; a public page has no restriction of its own.
    """
    own = PageViewRestriction.objects.filter(page=page)
    if page.visibility != NETWORK:
        for restriction in own:
            restriction.delete()
        return
    # Any other kind of restriction (password, login) becomes the network one.
    own.exclude(restriction_type=PageViewRestriction.GROUPS).delete()
    restriction = own.first() or PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    network = Group.objects.filter(name__in=roles.dla_network_group_names())
    if set(restriction.groups.values_list("pk", flat=True)) != {g.pk for g in network}:
        restriction.groups.set(network)


def sync_visibility_from_restriction(page):
    """Write the restriction set through Wagtail's privacy dialog back into the field.

    A restriction on the page itself means « réseau DLA uniquement » (and is normalised to the
    network groups), none means « public ». The live row and the latest revision are both
    updated, so that the next publication keeps what the dialog set.
    """
    page = page.specific
    if not hasattr(page, "visibility"):
        return
    wanted = NETWORK if PageViewRestriction.objects.filter(page=page).exists() else PUBLIC
    if wanted == NETWORK:
        page.visibility = NETWORK
        sync_restriction_from_visibility(page)
    if page.visibility != wanted:
        page.visibility = wanted
    type(page).objects.filter(pk=page.pk).update(visibility=wanted)
    for revision in {page.latest_revision, page.live_revision} - {None}:
        if revision.content.get("visibility") != wanted:
            revision.content["visibility"] = wanted
            revision.save(update_fields=["content"])


def can_add_under(user, parent):
    """Whether ``user`` may create pages under ``parent`` in the admin (Wagtail's permissions)."""
    return parent.permissions_for_user(user).can_add_subpage()


def addable_parents(user, queryset):
    """The pages of ``queryset`` under which ``user`` may create pages (e.g. the resource
    indexes of the centres an expert writes for)."""
    if not user.is_authenticated:
        return []
    return [parent for parent in queryset if can_add_under(user, parent)]
