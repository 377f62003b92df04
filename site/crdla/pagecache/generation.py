"""The cache generation: every cached page, menu and fragment is keyed on it; a bump kills them.

Where it lives depends on the cache (``CRDLA_PAGE_CACHE_SHARED``):

- a **shared** cache (Redis, Memcached): in the cache itself, so that a cached page costs no
  SQL query at all and a publication handled by one web process is seen by every other one at
  the next request;
- the embedded **per-process** cache (local memory): in the database (``CacheGeneration``),
  the only thing all processes share; a cached page then costs one query.

The database row is bumped in both cases (one UPDATE inside the publishing transaction).
"""

import contextvars
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation

KEY = "crdla-page-generation"

# The request being served (set by PublicPageCacheMiddleware for every request), so that code
# without a request at hand (PageQuerySet.private_q) can key what it caches on the generation.
active_request = contextvars.ContextVar("crdla_active_request", default=None)


def cache():
    return caches[settings.CRDLA_PAGE_CACHE_ALIAS]


def is_shared():
    return getattr(settings, "CRDLA_PAGE_CACHE_SHARED", False)


def current():
    """The current generation, or None when the shared cache cannot tell (nothing is cached)."""
    if not is_shared():
        from .models import CacheGeneration

        return CacheGeneration.current()
    value = cache().get(KEY)
    if value is None:
        # First use, or evicted: start from the clock so that no page stored under an
        # earlier value can come back to life.
        cache().add(KEY, time.time_ns(), None)
        value = cache().get(KEY)
    return value


def for_request(request):
    """``current()`` read once per request (the page cache middleware reads it first)."""
    if request is None:
        request = active_request.get()
    if request is None:
        return current()
    if not hasattr(request, "crdla_cache_generation"):
        request.crdla_cache_generation = current()
    return request.crdla_cache_generation


def for_request_with(request, key):
    """``for_request(request)`` and the cached value of ``key``, read together: one round trip
    to a shared cache instead of two (the page cache's hit path)."""
    if is_shared() and not hasattr(request, "crdla_cache_generation"):
        values = cache().get_many([KEY, key])
        if values.get(KEY) is not None:
            request.crdla_cache_generation = values[KEY]
            return values[KEY], values.get(key)
    return for_request(request), cache().get(key)


# Whole pages this process served lately, each with the generation it was rendered in (at most
# PAGES_KEPT, oldest first): while the generation is current, a hit asks the shared cache for
# the generation alone, not for the page's bytes (60 kB for the directory, with its map).
_pages = {}
PAGES_KEPT = 200


def page_for_request(request, key):
    """``(for_request(request), the page stored under key)``: the page from this process's
    memory while its generation is current (one small read), otherwise read with the
    generation (``for_request_with``, one round trip; a second one after a bump, when this
    process still holds an older copy)."""
    kept = _pages.get(key)
    if kept is not None and kept["expires"] <= time.time():  # its time in the cache is over
        _pages.pop(key, None)
        kept = None
    if kept is None:
        current_generation, stored = for_request_with(request, key)
    else:
        current_generation = for_request(request)
        if current_generation is None or kept["generation"] == current_generation:
            return current_generation, kept
        stored = cache().get(key)
    if stored is None or stored.get("expires", 0) <= time.time():
        return current_generation, None
    if stored["generation"] == current_generation:
        keep(_pages, PAGES_KEPT, key, stored)
    return current_generation, stored


def store_page(key, stored, timeout):
    """Keep a rendered page (``{"generation": …}``) ``timeout`` seconds, in the cache and in
    this process (which drops it at the same time as the cache does)."""
    stored["expires"] = time.time() + timeout
    cache().set(key, stored, timeout)
    keep(_pages, PAGES_KEPT, key, stored)


# What is kept per generation never changes (a change makes a new generation, so new keys):
# each process also keeps it in memory, sparing a round trip to the shared cache per value.
# At most MEMORY_ENTRIES values, the oldest dropped first (a dict keeps insertion order): old
# generations' values go first, and a full memory never empties at once.
_memory = {}
MEMORY_ENTRIES = 2000


def keep(memory, limit, key, value):
    """``memory[key] = value``, first dropping the oldest entries beyond ``limit`` (another
    thread — runserver, threaded workers — may be dropping them too)."""
    while len(memory) >= limit:
        try:
            memory.pop(next(iter(memory)), None)
        except (StopIteration, RuntimeError):  # emptied, or changed while looking
            pass
    memory[key] = value


def remember(key, compute, timeout=3600):
    """The value of ``key`` (a key that holds the generation): from this process's memory, the
    cache, or ``compute()``. A None from ``compute()`` is returned but not kept."""
    try:
        return _memory[key]
    except KeyError:
        pass
    value = cache().get(key)
    if value is None:
        value = compute()
        if value is None:
            return None
        cache().set(key, value, timeout)
    keep(_memory, MEMORY_ENTRIES, key, value)  # what is dropped, the shared cache still has
    return value


# Model instances served lately (pages with their related rows), per generation: they stay in
# this process (no pickling through the shared cache), at most OBJECTS_KEPT, oldest first.
_objects = {}
OBJECTS_KEPT = 200


def remember_in_process(key, compute):
    """Like ``remember``, in this process's memory only: for objects that should not travel
    through the shared cache. Callers must not change what they get (copy it first)."""
    try:
        return _objects[key]
    except KeyError:
        pass
    value = compute()
    if value is not None:
        keep(_objects, OBJECTS_KEPT, key, value)
    return value


def forget_process_memory():
    """Empty this process's memory of cached values (tests: each rollback resets the
    generation, so the next test could read what the last one kept under the same value)."""
    _memory.clear()
    _objects.clear()
    _pages.clear()


def remember_for_request(request, name, compute):
    """``compute()``'s value kept under ``name`` for the request's generation and language:
    data that only a publication changes (filter options…). Computed afresh when the cache
    cannot tell the generation."""
    current = for_request(request)
    if current is None:
        return compute()
    return remember(f"{name}:{current}:{translation.get_language()}", compute)


def for_active_request():
    """The generation of the request being served, or None outside of a request."""
    request = active_request.get()
    return None if request is None else for_request(request)


def bump():
    """Kill every cached page and fragment, now and again once the change is committed.

    The second bump closes the window in which another request could render the page from
    the state before the commit and store it under the new generation.
    """
    from .models import CacheGeneration

    CacheGeneration.bump()
    request = active_request.get()
    if request is not None and hasattr(request, "crdla_cache_generation"):
        del request.crdla_cache_generation  # the rest of this request reads the new one
    if is_shared():
        _bump_shared()
        transaction.on_commit(_bump_shared)


def _bump_shared():
    try:
        cache().incr(KEY)
    except ValueError:  # not there (first use, evicted): any fresh value will do
        cache().set(KEY, time.time_ns(), None)
