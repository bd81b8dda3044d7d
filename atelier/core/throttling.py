"""Rate limits that a client cannot talk its way around (issue 10, items 3 and 4; issue 17).

* **Who is the client.** `X-Forwarded-For` is believed only when the request comes from a
  proxy listed in `TRUSTED_PROXIES` (addresses or networks; default none). The client is
  then the nearest address in the header that is not itself a trusted proxy. Without
  trusted proxies every request is counted by its socket address, so forging the header
  buys nothing.
* **Where the counts live.** In the default cache. When Redis is unreachable (the cache
  backend's breaker is open) the counts fall back to this process's memory, so login and
  registration stay limited — per process rather than site-wide — instead of failing open.
* **Every view uses these classes**, never DRF's plain ones (which fail open without
  Redis); a test walks the URLconf to keep it so.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from atelier.core.cache_backend import BREAKER

# This process's memory: where the counts go while Redis is unreachable.
LOCAL_COUNTS = LocMemCache("atelier-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The address to count a request against (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):  # the nearest hop was appended last
        if not _is_trusted(hop):
            return hop[:64]
    return hops[0][:64] if hops else remote


def _redis_down() -> bool:
    return BREAKER.down


class _ThrottleCache:
    """The default cache, or this process's memory while Redis is unreachable."""

    def get(self, key, default=None):
        if not _redis_down():
            value = default_cache.get(key, default)
            if not _redis_down():
                return value
        return LOCAL_COUNTS.get(key, default)

    def set(self, key, value, timeout=None):
        if not _redis_down():
            default_cache.set(key, value, timeout)
            if not _redis_down():
                return
        LOCAL_COUNTS.set(key, value, timeout)


class HardenedThrottle:
    """Mixin for a DRF throttle: counts per `client_ip`, kept in memory while Redis is down."""

    cache = _ThrottleCache()

    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonThrottle(HardenedThrottle, AnonRateThrottle):
    pass


class UserThrottle(HardenedThrottle, UserRateThrottle):
    pass


class ScopedThrottle(HardenedThrottle, ScopedRateThrottle):
    """Per user (or client address) and the view's `throttle_scope`, e.g. `upload`."""


class AuthThrottle(HardenedThrottle, SimpleRateThrottle):
    """Log-in and sign-up attempts per client address (rate `auth`), API and pages alike."""

    scope = "auth"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
