"""Many requests for the same cold feed at once: one of them builds it, the others wait.

Exactly one build: a request that takes the build lock looks at the cache once more
before building, since another request may have built the snapshot and let go of the
lock between this one's miss and its taking the lock.
"""

import threading
import time
from unittest import mock

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.core.tests.factories import UserFactory
from atelier.feed import cache as feed_cache
from atelier.feed import service
from atelier.feed.config import load_ranking
from atelier.feed.tests.helpers import FEED, post

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_a_cold_feed_is_built_once_under_a_stampede():
    ana = UserFactory(username="ana")
    for hours in range(1, 11):
        post(UserFactory(), hours)
    token = Token.objects.create(user=ana).key
    load_ranking()
    real_build = service.build_snapshot
    builds = []
    builds_lock = threading.Lock()

    def slow_build(*args, **kwargs):
        with builds_lock:
            builds.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every other request to arrive meanwhile
        return real_build(*args, **kwargs)

    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, list[int] | None]] = []

    def request():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait()
            response = client.get(FEED)
            body = response.json() if response.status_code == 200 else None
            answers.append(
                (response.status_code, [r["id"] for r in body["results"]] if body else None)
            )
        finally:
            connection.close()

    with mock.patch("atelier.feed.service.build_snapshot", side_effect=slow_build):
        threads = [threading.Thread(target=request) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert [status for status, _ in answers] == [200] * THREADS
    assert len(builds) == 1
    assert len({tuple(page) for _, page in answers}) == 1


@pytest.mark.django_db
def test_a_request_that_takes_the_lock_after_another_built_the_snapshot_does_not_build_it(
    ana, ana_client
):
    """The race a stampede can hit: request A misses the cache, then B builds the snapshot
    and releases the lock, then A takes the lock. A serves B's snapshot, built once."""
    for hours in range(1, 4):
        post(UserFactory(), hours)
    load_ranking()
    real_build = service.build_snapshot
    real_acquire = feed_cache.acquire_build_lock
    builds = []
    other_request = {}

    def counted_build(*args, **kwargs):
        builds.append(1)
        return real_build(*args, **kwargs)

    def acquire_after_another_request(key, *args, **kwargs):
        if "page" not in other_request:  # A, between its miss and the lock: B runs to the end
            other_request["page"] = None  # B itself takes the lock as usual
            other_request["page"] = ana_client.get(FEED).json()
        return real_acquire(key, *args, **kwargs)

    with (
        mock.patch("atelier.feed.service.build_snapshot", side_effect=counted_build),
        mock.patch(
            "atelier.feed.cache.acquire_build_lock", side_effect=acquire_after_another_request
        ),
    ):
        page = ana_client.get(FEED).json()

    assert len(builds) == 1
    assert other_request["page"]["ranking"]["cached"] is False
    assert page["ranking"]["cached"] is True
    assert [p["id"] for p in page["results"]] == [p["id"] for p in other_request["page"]["results"]]
