"""A django-redis cache that degrades to "no cache" while Redis is unreachable.

Every operation fails fast: after a connection error the backend stops talking to Redis
for `RETRY_SECONDS` (answering misses and no-ops at once, so requests never queue behind
socket timeouts), and logs the outage once and its end once. Recovery needs no flush: a
feed key names the user's versions, which live in the database and are bumped in each
write's transaction (atelier/feed/versions.py), so a write during the outage cannot be
lost and a ranking cached before it, under older versions, is never read again.
"""

import functools
import logging
import threading
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("atelier.cache")

RETRY_SECONDS = 5.0
_FAILURES = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)


class _Breaker:
    """Process-wide state of the connection to Redis."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False

    def open(self) -> None:
        with self.lock:
            if not self.down:
                logger.warning(
                    "Redis unreachable: serving without cache, retrying every %ss", RETRY_SECONDS
                )
            self.down = True
            self.down_until = time.monotonic() + RETRY_SECONDS

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def close(self) -> bool:
        """Mark Redis reachable; return True if it had been down."""
        with self.lock:
            was_down, self.down = self.down, False
        if was_down:
            logger.warning("Redis reachable again: cache resumed")
        return was_down


BREAKER = _Breaker()


def _guarded(name: str, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if BREAKER.is_open():
            return fallback(args, kwargs)
        try:
            result = method(self, *args, **kwargs)
        except _FAILURES:
            BREAKER.open()
            return fallback(args, kwargs)
        if BREAKER.down:
            BREAKER.close()
        return result

    return wrapper


def _get_default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _none(args, kwargs):
    return None


def _false(args, kwargs):
    return False


def _empty(args, kwargs):
    return {}


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations never raise on a dead Redis and never wait for it twice."""

    get = _guarded("get", _get_default)
    set = _guarded("set", _false)
    add = _guarded("add", _false)
    delete = _guarded("delete", _false)
    get_many = _guarded("get_many", _empty)
    set_many = _guarded("set_many", _none)
    delete_many = _guarded("delete_many", _none)
    has_key = _guarded("has_key", _false)
    touch = _guarded("touch", _false)
    clear = _guarded("clear", _none)

    def incr(self, key, delta=1, version=None, client=None):
        # Unlike the others, a missing key must still raise ValueError (callers seed it).
        if BREAKER.is_open():
            return None
        try:
            return super().incr(key, delta=delta, version=version, client=client)
        except _FAILURES:
            BREAKER.open()
            return None
