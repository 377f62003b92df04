"""The access policy: the one place that answers « may this user see / change / manage this
object? » for every kind of object, and the querysets that follow the same rules.

Views, listings, feeds, the sitemap, search, the open data, e-mails and admin hooks call these
functions and never re-implement a rule. One module per object kind; this file only re-exports
them (``from crdla import access``; ``access.visible_pages(user, qs)``).
"""

# Programmes and their sealed reviews, exchange spaces, calls for tenders: used as modules
# (``access.programmes.visible_reviews(...)``), their names would otherwise collide.
from . import calls, programmes, spaces  # noqa: F401
from .media import (  # noqa: F401
    MediaAudience,
    can_change_media,
    can_view_media,
    centre_collection,
    change_refusal,
    collections_for_user,
    default_collection_for,
    live_referencing_pages,
    media_audience,
    network_collection,
    public_media,
    visible_media,
)
from .pages import (  # noqa: F401
    NETWORK,
    PUBLIC,
    addable_parents,
    can_add_under,
    can_change_page,
    can_view_page,
    can_view_restricted,
    editable_or_live_pages,
    page_audience,
    public_page_models,
    public_pages,
    restriction_admits,
    sync_restriction_from_visibility,
    sync_visibility_from_restriction,
    visible_audiences,
    visible_pages,
)
