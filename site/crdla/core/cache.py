"""A Redis cache that fails open: when Redis is down, reads are misses and writes are
dropped (logged once a minute), so every page, the login and the admin keep answering from
the database. Configured in settings for ``rediscache://`` URLs.

What relies on the cache then: the page cache serves nothing (and invalidations made during
the outage are lost, bounded by PAGE_CACHE_SECONDS); Wagtail recomputes the site root paths;
the open-data and subscription rate limits let requests through (fail open: a lost limit
costs a little load, a false limit would cut a public service). Sessions are in the database
and django-axes keeps its lockouts in the database: login throttling stays closed.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Connection problems only: a bug (a bad key, a pickling error) still raises.
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    CACHE_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
except ImportError:  # pragma: no cover - redis is a dependency
    CACHE_ERRORS = (ConnectionError, TimeoutError)

_last_report = 0.0


def _report(operation, exc):
    global _last_report
    now = time.monotonic()
    if now - _last_report > 60:
        _last_report = now
        logger.error("Cache injoignable (%s) : le site continue sans cache. %r", operation, exc)


def _fail_open(operation, default):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailOpenRedisCache, self), operation)(*args, **kwargs)
        except CACHE_ERRORS as exc:
            _report(operation, exc)
            if operation in ("incr", "decr"):
                raise ValueError("cache unavailable") from exc  # as for a missing key
            return default(args, kwargs) if callable(default) else default

    method.__name__ = operation
    return method


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every operation, and its constructor fills a
    table of some 170 response callbacks: about half of the CPU of a cached page's two reads.
    A ``redis.Redis`` is thread-safe (its pool hands out the connections), so one will do.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:  # pools live as long as this client: ids are stable
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache whose connection errors read as misses and dropped writes."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    get = _fail_open(
        "get", lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None)
    )
    get_many = _fail_open("get_many", {})
    set = _fail_open("set", None)
    add = _fail_open("add", False)
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    delete_many = _fail_open("delete_many", None)
    set_many = _fail_open("set_many", [])
    has_key = _fail_open("has_key", False)
    incr = _fail_open("incr", None)
    decr = _fail_open("decr", None)
    clear = _fail_open("clear", None)

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value
