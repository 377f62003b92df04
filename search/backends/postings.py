"""Facet postings of the database backend: one bitmap per facet value, kept per index generation.

Counting facets in SQL costs a row per value per matched entry (ten or so per entry), which
dominates searches matching tens of thousands of resources. Here every facet value, every
visibility, and the matched set of a search are bitmaps over page ids (Python integers: bit
``i`` is page ``i``); a facet count is ``(matched & value).bit_count()``, microseconds each.

The postings are read from the facet and entry tables once per index generation (every write
to the index bumps it, see ``backends.database.index_generation``) and kept in this process and
the shared cache. They only count and filter: the hits a user sees are read with their
visibility checked in SQL, so a restricted entry never reaches a user because of them.
"""

from collections import deque
from dataclasses import dataclass
from itertools import repeat

from django.db import connection

from crdla.pagecache import generation

CACHE_SECONDS = 3600
# Byte 0 → « 0 », byte 1 → « 1 »: a row of flags as binary digits.
DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def bitmap(page_ids):
    """The bitmap of an iterable of page ids."""
    ids = list(page_ids)
    if not ids:
        return 0
    # One byte per page id, set by a loop that runs in C (``deque`` consumes the ``map``),
    # then read as binary digits, page 0 last: about twice as fast as setting bits in Python
    # (a search matching 55,000 resources builds its bitmap from 55,000 ids).
    flags = bytearray(max(ids) + 1)
    deque(map(flags.__setitem__, ids, repeat(1)), maxlen=0)
    return int(flags.translate(DIGITS)[::-1], 2)


class Members:
    """Constant-time membership of a bitmap (testing a bit of a big int copies it)."""

    def __init__(self, value):
        self.bits = value.to_bytes((value.bit_length() + 7) // 8, "little")
        self.size = len(self.bits)

    def __contains__(self, page_id):
        byte = page_id >> 3
        return byte < self.size and (self.bits[byte] >> (page_id & 7)) & 1 == 1


@dataclass
class FacetPostings:
    """Bitmaps of every facet value and visibility, and the page ids newest first."""

    values: dict  # facet field -> {value: bitmap}
    visibilities: dict  # visibility -> bitmap
    newest_first: list  # page ids by (published_date DESC, page_id DESC)

    def visible(self, allowed):
        result = 0
        for visibility in allowed:
            result |= self.visibilities.get(visibility, 0)
        return result

    def selection(self, filters, skip=None):
        """Entries holding one of the selected values of every facet with a selection
        (except ``skip``), or None when nothing is selected."""
        result = None
        for field, values in filters.items():
            if field == skip or not values:
                continue
            holders = 0
            for value in values:
                holders |= self.values.get(field, {}).get(value, 0)
            result = holders if result is None else result & holders
        return result

    def counts(self, matched, fields):
        """{field: {value: count}} over ``matched`` for ``fields`` (values counted > 0 only)."""
        counts = {}
        for field in fields:
            per_value = {}
            for value, holders in self.values.get(field, {}).items():
                n = (matched & holders).bit_count()
                if n:
                    per_value[value] = n
            counts[field] = per_value
        return counts


def read_postings(entry_table, facet_table):
    """FacetPostings from the database (one pass over each table)."""
    ids_by_value = {}
    visibility_ids = {}
    newest_first = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT facet, value, entry_id FROM {facet_table}")  # noqa: S608
        for field, value, page_id in cursor.fetchall():
            ids_by_value.setdefault(field, {}).setdefault(value, []).append(page_id)
        cursor.execute(
            f"SELECT page_id, visibility FROM {entry_table} "  # noqa: S608
            "ORDER BY published_date DESC, page_id DESC"
        )
        for page_id, visibility in cursor.fetchall():
            visibility_ids.setdefault(visibility, []).append(page_id)
            newest_first.append(page_id)
    return FacetPostings(
        values={
            field: {value: bitmap(ids) for value, ids in values.items()}
            for field, values in ids_by_value.items()
        },
        visibilities={visibility: bitmap(ids) for visibility, ids in visibility_ids.items()},
        newest_first=newest_first,
    )


def postings_for(index_generation, entry_table, facet_table):
    """The postings of ``index_generation`` (from this process's memory, the cache, or read)."""
    key = f"search:facet-postings:{connection.alias}:{connection.vendor}:{index_generation}"
    return generation.remember(
        key, lambda: read_postings(entry_table, facet_table), timeout=CACHE_SECONDS
    )
