"""The edge of the open data: rate limit per client address and CORS open for reading.

Applies to the paths of ``CRDLA_OPEN_DATA_PATHS`` only (the API, exports, calendars, feeds
and catalogue); the rest of the site is untouched.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")


def client_address(request):
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw.

    X-Forwarded-For is read only when ``CRDLA_TRUSTED_PROXY_COUNT`` (the same count as the
    login throttling's) says how many proxies append to it; otherwise anyone could change
    address at every request by sending a made-up header.
    """
    proxies = getattr(settings, "CRDLA_TRUSTED_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def parse_rate(rate):
    """« 120/min » → (120, 60). Empty or « 0/… » switches the limit off."""
    if not rate:
        return None
    count, _sep, period = rate.partition("/")
    seconds = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600}[period or "min"]
    return (int(count), seconds) if int(count) > 0 else None


class OpenDataMiddleware:
    """Rate limit (fixed window in the cache) and CORS headers on the open-data paths.

    The limit fails open: when the cache cannot be reached the request is served and a
    warning is logged. The limit protects capacity, not confidentiality (everything here is
    public), so an outage of the cache must not become an outage of the open data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def applies(self, request):
        return request.path.startswith(tuple(settings.CRDLA_OPEN_DATA_PATHS))

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = self.throttle(request) or self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
        response["Access-Control-Expose-Headers"] = "Retry-After, X-RateLimit-Limit"
        response["Access-Control-Max-Age"] = "86400"
        return response

    def throttle(self, request):
        """A 429 response when the client is over the limit, else None."""
        limit = parse_rate(getattr(settings, "CRDLA_OPEN_DATA_RATE", ""))
        if limit is None:
            return None
        count, seconds = limit
        window = int(time.time() // seconds)
        key = f"opendata-rate:{client_address(request)}:{window}"
        cache = caches[settings.CRDLA_OPEN_DATA_CACHE_ALIAS]
        try:
            cache.add(key, 0, timeout=seconds + 1)
            used = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            used = 1
        except Exception:  # noqa: BLE001 — any cache failure: fail open (see the class)
            logger.warning("Limitation des données ouvertes inactive : cache injoignable")
            return None
        if used <= count:
            return None
        retry_after = max(1, (window + 1) * seconds - int(time.time()))
        response = JsonResponse(
            {
                "message": _(
                    "Trop de requêtes depuis votre adresse : %(count)s par %(seconds)s s au "
                    "plus. Réessayez dans %(retry)s s."
                )
                % {"count": count, "seconds": seconds, "retry": retry_after}
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Retry-After"] = str(retry_after)
        response["X-RateLimit-Limit"] = f"{count}/{seconds}s"
        return response
