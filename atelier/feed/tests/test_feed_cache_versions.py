"""The per-user calculation version, the bump after commit, the build lock, and the ranking
configuration's version: what makes a cached page servable or not."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.feed.cache import (
    build_lock_key,
    bump_calc_version,
    calc_version,
    calc_version_key,
    versions,
)
from atelier.feed.config import CONFIG_CACHE_KEY, load_ranking, save_ranking
from atelier.feed.models import RankingConfig
from atelier.feed.tests.helpers import get_feed, get_url, ids, post, server_now
from atelier.feed.tests.reference import API_WEIGHTS, reference_feed

THREADS = 50


def _bump_at_once(user_id: int) -> list[int]:
    """THREADS threads bump `user_id` together; return what each bump returned."""
    barrier = threading.Barrier(THREADS)
    results: list[int] = []
    lock = threading.Lock()

    def bump():
        barrier.wait()
        value = bump_calc_version(user_id)
        with lock:
            results.append(value)

    threads = [threading.Thread(target=bump) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_bumps_lose_none():
    user_id = 424242
    initial = calc_version(user_id)

    results = _bump_at_once(user_id)

    assert calc_version(user_id) == initial + THREADS
    assert sorted(results) == list(range(initial + 1, initial + THREADS + 1))


def test_concurrent_bumps_of_a_missing_version_lose_none():
    user_id = 434343
    calc_version(user_id)
    cache.delete(calc_version_key(user_id))

    results = _bump_at_once(user_id)

    assert None not in results
    assert sorted(results) == list(range(min(results), min(results) + THREADS))
    assert calc_version(user_id) == max(results)


@pytest.mark.django_db
def test_a_deleted_version_key_does_not_revive_an_older_page(ana, ana_client, ben):
    post(ben, 1)
    get_feed(ana_client)
    with_cache = get_feed(ana_client)
    assert with_cache["ranking"]["cached"] is True
    bump_calc_version(ana.id)
    bumped = get_feed(ana_client)
    assert get_feed(ana_client)["ranking"]["cached"] is True

    cache.delete(calc_version_key(ana.id))
    after = get_feed(ana_client)

    assert after["ranking"]["calc_version"] > bumped["ranking"]["calc_version"]
    assert after["ranking"]["calc_version"] > with_cache["ranking"]["calc_version"]
    assert after["ranking"]["cached"] is False


@pytest.mark.django_db(transaction=True)
def test_a_read_during_the_writers_transaction_cannot_cache_stale_data():
    """Thread A hearts inside a transaction; before A commits, thread B builds and caches the
    feed. The bump runs after A's commit, so the next request re-ranks with the heart."""
    ana = UserFactory(username="ana")
    his = post(UserFactory(username="ben"), 1)
    token = Token.objects.create(user=ana).key
    load_ranking()
    start = calc_version(ana.id)
    seen_by_b: dict = {}

    def client() -> APIClient:
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return c

    def thread_b():
        try:
            if connection.vendor == "sqlite":
                # SQLite's shared in-memory test database locks tables a writer touched;
                # PostgreSQL reads the committed (old) data, which is the real case.
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA read_uncommitted = 1")
            seen_by_b["page"] = get_feed(client(), explain=True)
        finally:
            connection.close()

    with transaction.atomic():  # thread A
        assert client().post(f"/api/posts/{his.id}/heart/").status_code == 201
        assert calc_version(ana.id) == start  # no bump before the commit
        b = threading.Thread(target=thread_b)
        b.start()
        b.join()
        assert seen_by_b["page"]["ranking"]["calc_version"] == start
        assert seen_by_b["page"]["ranking"]["cached"] is False
        if connection.vendor == "postgresql":
            assert seen_by_b["page"]["results"][0]["score_breakdown"]["interaction"] == 0.0

    after = get_feed(client(), explain=True)

    assert after["ranking"]["calc_version"] > start
    assert after["ranking"]["cached"] is False
    assert after["results"][0]["score_breakdown"]["interaction"] == 5.0


@pytest.mark.django_db
def test_the_version_tag_carries_the_cache_epoch(ana):
    version, tag = versions(ana.id)

    assert tag == f"v{version}e0"


# --- The build lock ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalidate_cache_does_not_release_another_requests_build_lock(ana, ana_client, ben):
    post(ben, 1)
    r = load_ranking()
    _, tag = versions(ana.id)
    lock = build_lock_key(ana.id, tag, r.version, False)
    assert cache.add(lock, 1, timeout=30)  # another request is building this snapshot

    assert get_feed(ana_client, invalidate_cache=True)["ranking"]["cached"] is False

    assert cache.get(lock) == 1


# --- The ranking configuration ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_weight_change_takes_effect_on_the_next_request(ana, ana_client, ben, committed):
    FellowFactory(user=ana, fellow_user=ben)
    for hours in (10, 12, 14):
        post(ben, hours)
    strangers = [post(UserFactory(), hours) for hours in (1, 2, 3)]
    first = get_feed(ana_client, explain=True, page_size=2)
    old_now = server_now(first["results"][0])
    assert first["results"][0]["author"]["id"] == ben.id  # fellows lead under the defaults

    row = RankingConfig.objects.get(pk=1)
    row.weight_social = 0.0
    with committed():
        save_ranking(row)
    after = get_feed(ana_client, explain=True, page_size=100)

    assert after["ranking"]["config_version"] == first["ranking"]["config_version"] + 1
    assert after["ranking"]["cached"] is False
    assert after["ranking"]["calc_version"] == first["ranking"]["calc_version"]
    expected = reference_feed(
        ana.id, server_now(after["results"][0]), weights={**API_WEIGHTS, "social": 0.0}
    )
    assert ids(after) == [e["id"] for e in expected]
    assert ids(after)[:3] == [p.id for p in strangers]
    for got, want in zip(after["results"], expected, strict=True):
        assert got["score"] == pytest.approx(want["score"], abs=1e-6)

    # Page 2 of the page-1 snapshot is still ranked under the old weights: never mixed.
    second = get_url(ana_client, first["next"])
    old = reference_feed(ana.id, old_now)
    assert second["ranking"]["cached"] is True
    assert second["ranking"]["config_version"] == first["ranking"]["config_version"]
    assert ids(first) + ids(second) == [e["id"] for e in old[:4]]
    for got, want in zip(second["results"], old[2:4], strict=True):
        assert got["score"] == pytest.approx(want["score"], abs=1e-6)


@pytest.mark.django_db
def test_a_stale_configuration_form_still_gets_a_new_version(committed):
    load_ranking()
    stale = RankingConfig.objects.get(pk=1)  # staff member 1 opens the form
    other = RankingConfig.objects.get(pk=1)  # staff member 2 opens and saves first
    other.weight_recency = 0.3
    with committed():
        save_ranking(other)
    versions_seen = {1, other.version}

    stale.weight_social = 0.5
    with committed():
        save_ranking(stale)

    assert stale.version not in versions_seen
    assert RankingConfig.objects.get(pk=1).version == stale.version
    assert load_ranking().version == stale.version
    assert cache.get(CONFIG_CACHE_KEY)["weight_social"] == 0.5
