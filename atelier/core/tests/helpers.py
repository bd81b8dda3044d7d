"""Test helpers: requests at the same instant from several threads; a Redis that is down."""

import threading
from contextlib import contextmanager

from django.core.cache import caches
from django.db import connections
from django.test import override_settings
from rest_framework.test import APIClient

from atelier.core.cache_backend import BREAKER, ResilientRedisCache


def run_concurrently(request, count: int) -> list:
    """Run `request(client, i)` in `count` threads released together; return the results.

    Each thread has its own APIClient and its own database connection (closed at the
    end), so the requests really race in the database. Use with a transactional test.
    An exception in a thread is returned in its place, so the test sees it.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        client = APIClient()
        try:
            barrier.wait(timeout=30)
            results[i] = request(client, i)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# A Redis nothing listens on (port 1): the first operation opens the cache's breaker.
DEAD_REDIS = {
    "default": {
        "BACKEND": "atelier.core.cache_backend.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }
}


def _reset_breaker() -> None:
    with BREAKER.lock:
        BREAKER.down = False
        BREAKER.down_until = 0.0


@contextmanager
def redis_down():
    """Run the block with the default cache on a Redis that is down (a fresh breaker)."""
    _reset_breaker()
    try:
        with override_settings(CACHES=DEAD_REDIS):
            assert isinstance(caches["default"], ResilientRedisCache)
            yield
    finally:
        _reset_breaker()
