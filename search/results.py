"""The results contract shared by every backend, and safe highlighting."""

import datetime
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from crdla.resources.models import ResourceKind

# Backends wrap matches in these control characters; ``render_highlight`` escapes the text
# and only then turns them into <mark>, so indexed content can never inject HTML.
MARK_START = "\x02"
MARK_END = "\x03"

SORT_RELEVANCE = "pertinence"
SORT_DATE = "date"

# How deep anyone may page, for every backend: Elasticsearch refuses from + size beyond its
# index.max_result_window (10,000 by default, set from this constant in the index settings),
# and the database backend keeps the same cap so that both behave alike.
MAX_RESULT_WINDOW = 10_000


def last_reachable_page(per_page):
    """The deepest page number whose hits stay within ``MAX_RESULT_WINDOW``."""
    return max(1, MAX_RESULT_WINDOW // max(1, per_page))


def render_highlight(fragment: str) -> SafeString:
    text = escape(fragment)
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


def plain_highlight(fragment: str) -> str:
    return fragment.replace(MARK_START, "").replace(MARK_END, "")


@dataclass
class SearchQuery:
    """What a user asked: text, facet selections (field → values), sort, page."""

    text: str = ""
    filters: dict = field(default_factory=dict)
    sort: str = SORT_RELEVANCE
    page: int = 1
    per_page: int = 10

    def __post_init__(self):
        # Every caller (views, API, commands) gets a page the engines can serve.
        self.page = min(max(1, self.page), last_reachable_page(self.per_page))

    @property
    def effective_sort(self):
        return SORT_DATE if not self.text.strip() else self.sort


@dataclass
class Hit:
    page_id: int
    title: str
    url: str
    summary: str
    kind: str
    centre_name: str
    visibility: str
    published_date: datetime.date | None
    score: float = 0.0
    highlights: list = field(default_factory=list)  # raw fragments with MARK_START/MARK_END
    title_highlight: str = ""  # the whole title with MARK_START/MARK_END, when the engine has it

    @property
    def highlighted(self):
        """The fragments as safe HTML with <mark> around the matched words."""
        return [render_highlight(fragment) for fragment in self.highlights]

    @property
    def title_html(self):
        """The title as safe HTML, with <mark> around the matched words when highlighted."""
        if MARK_START in self.title_highlight:
            return render_highlight(self.title_highlight)
        return escape(self.title)

    @property
    def kind_label(self):
        return dict(ResourceKind.choices).get(self.kind, self.kind)

    @property
    def is_restricted(self):
        return self.visibility != "public"


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    """One page of hits with facet counts, total and an optional spelling suggestion."""

    query: SearchQuery
    hits: list
    total: int
    facets: dict  # field -> [FacetCount]
    suggestion: str | None = None
    page: int = 1
    notices: list = field(default_factory=list)

    @property
    def num_pages(self):
        """Pages to offer: all of them, up to the last one within ``MAX_RESULT_WINDOW``."""
        pages = max(1, -(-self.total // self.query.per_page))
        return min(pages, last_reachable_page(self.query.per_page))
