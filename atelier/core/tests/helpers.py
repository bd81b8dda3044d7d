"""Test helpers: running requests at the same instant from several threads."""

import threading

from django.db import connections
from rest_framework.test import APIClient


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
