"""Many requests for the same cold feed at once: one of them builds it, the others wait."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.core.tests.factories import UserFactory
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
    assert len(builds) <= 2
    assert len({tuple(page) for _, page in answers}) == 1
