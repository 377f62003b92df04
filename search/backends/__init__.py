"""Backend selection: Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the database."""

from django.conf import settings

from .base import KnowledgeBackend, SearchUnavailable, visibilities_for

__all__ = ["KnowledgeBackend", "SearchUnavailable", "get_backend", "visibilities_for"]

_cache = {}


def get_backend():
    """The configured knowledge-base backend (one instance per configuration)."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "crdla")
    opensearch = getattr(settings, "ELASTICSEARCH_OPENSEARCH_MODE", False)
    timeouts = {
        "search_timeout": getattr(settings, "ELASTICSEARCH_SEARCH_TIMEOUT", 3.0),
        "index_timeout": getattr(settings, "ELASTICSEARCH_INDEX_TIMEOUT", 60.0),
    }
    key = (url, prefix, opensearch, *timeouts.values())
    if key not in _cache:
        if url:
            from .elastic import ElasticsearchBackend

            _cache[key] = ElasticsearchBackend(url, prefix, opensearch=opensearch, **timeouts)
        else:
            from .database import DatabaseBackend

            _cache[key] = DatabaseBackend()
    return _cache[key]
