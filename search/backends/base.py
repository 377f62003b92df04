"""The one interface of the knowledge base, implemented by the database and ES backends."""

import re
import unicodedata

from crdla import access

from ..text import clean_text  # noqa: F401 - re-exported for the backends

# Short French words that carry no meaning for search (query side of the SQLite backend,
# vocabulary of the suggestions).
FRENCH_STOP_WORDS = frozenset(
    """a à au aux avec ce ces c d dans de des du elle en et eux il ils je j l la le les leur
    leurs lui m ma mais me même mes moi mon n ne nos notre nous on ou où par pas pour qu que
    qui s sa se ses son sur t ta te tes toi ton tu un une vos votre vous y est sont été""".split()
)
WORD_RE = re.compile(r"\w+", re.UNICODE)
# "…", « … » and “…”: what a French user types to ask for words side by side.
PHRASE_RE = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')
QUOTES = str.maketrans({c: " " for c in '"«»“”'})


class SearchUnavailable(Exception):
    """The search engine cannot be reached; callers retry later or show a notice."""


def visibilities_for(user):
    """The visibilities ``user`` may see: enforced inside every backend query."""
    return access.visible_audiences(user)


def split_phrases(text):
    """The quoted phrases of a query (with at least two words) and the query without its
    quote marks: « "chantier d'insertion" banque » → (["chantier d'insertion"],
    "chantier d'insertion banque")."""
    phrases = []
    for match in PHRASE_RE.finditer(text):
        phrase = " ".join(next(g for g in match.groups() if g is not None).split())
        if len(WORD_RE.findall(phrase)) > 1:
            phrases.append(phrase)
    return phrases, " ".join(text.translate(QUOTES).split())


def fold(text):
    """Lower case without accents (« Économie » → « economie »)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text):
    """Meaningful words of a text, in order (no stop words, no bare numbers or underscores)."""
    return [
        w
        for w in WORD_RE.findall(text.lower())
        if w not in FRENCH_STOP_WORDS and not w.isdigit() and "_" not in w
    ]


def vocabulary(document):
    """Words of a document's title and summary kept as spelling-suggestion candidates."""
    text = f"{document.get('title', '')} {document.get('summary', '')}"
    return {w for w in words(text) if 4 <= len(w) <= 40 and w.isalpha()}


class KnowledgeBackend:
    """Index, remove and search knowledge-base documents (dicts from ``build_document``)."""

    name = "abstract"
    # True when ``search`` also fills ``SearchResults.suggestion`` (one round trip per page).
    suggests_with_results = False

    def index(self, document):
        self.index_many([document])

    def index_many(self, documents):
        raise NotImplementedError

    def remove(self, page_id):
        raise NotImplementedError

    def rebuild(self, documents, progress=None):
        """Replace the whole index with ``documents``; readers never see an empty index."""
        raise NotImplementedError

    def indexed_hashes(self):
        """page_id → ``document_hash`` of every indexed document (for the nightly check)."""
        raise NotImplementedError

    def search(self, user, query):
        """A ``SearchResults`` page for ``user``; visibility is part of the query itself."""
        raise NotImplementedError

    def count(self, user, text):
        raise NotImplementedError

    def autocomplete(self, user, prefix, limit=8):
        """Titles (and URLs) of visible documents starting with the words typed so far."""
        raise NotImplementedError

    def similar(self, page_id, user, limit=4):
        """Visible documents most like ``page_id`` (never itself)."""
        raise NotImplementedError

    def spelling_suggestion(self, user, text):
        """A corrected query that finds visible documents, or None."""
        raise NotImplementedError
