"""The per-user versions (in the database, bumped with the change), the snapshot token, the
build lock, and the ranking configuration's version: what makes a cached page servable."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.feed import versions
from atelier.feed.cache import SCHEMA, SnapshotToken
from atelier.feed.config import CONFIG_CACHE_KEY, load_ranking, save_ranking
from atelier.feed.models import RankingConfig
from atelier.feed.tests.helpers import get_feed, get_url, ids, post, server_now
from atelier.feed.tests.reference import API_WEIGHTS, reference_feed
from atelier.feed.versions import calc_version, visibility_epoch

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_bumps_lose_none():
    """Each bump is one UPDATE ... SET feed_version = feed_version + 1: none is lost."""
    ana = UserFactory()
    initial = calc_version(ana.id)
    barrier = threading.Barrier(THREADS)
    errors = []

    def bump():
        try:
            barrier.wait()
            with transaction.atomic():
                versions.bump(ana.id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert calc_version(ana.id) == initial + THREADS


@pytest.mark.django_db
def test_a_heart_moves_the_feed_version_but_not_the_relations_version(ana, ana_client, ben):
    his = post(ben, 1)
    feed_before, relations_before = versions.read(ana.id)

    assert ana_client.post(f"/api/posts/{his.id}/heart/").status_code == 201

    feed_after, relations_after = versions.read(ana.id)
    assert feed_after == feed_before + 1
    assert relations_after == relations_before


@pytest.mark.django_db
def test_a_new_fellow_moves_both_versions_of_both_users(ana, ana_client, ben, ben_client):
    """Accepting a fellow request through the API moves the feed and relations versions of
    both users by one; asking alone moves none (nothing in a feed changed yet)."""
    initial = {user.id: versions.read(user.id) for user in (ana, ben)}
    asked = ana_client.post("/api/fellows/requests/", {"user_id": ben.id})
    assert asked.status_code == 201
    before = {user.id: versions.read(user.id) for user in (ana, ben)}
    assert before == initial

    accepted = ben_client.post(f"/api/fellows/requests/{asked.json()['id']}/accept/")

    assert accepted.status_code == 200
    after = {user.id: versions.read(user.id) for user in (ana, ben)}
    for user_id, (feed, relations) in before.items():
        assert after[user_id] == (feed + 1, relations + 1)


@pytest.mark.django_db
def test_a_new_user_never_reuses_a_version_cached_for_an_earlier_id(ana_client, ana, ben):
    """Versions start from the clock: a deleted user's cached pages cannot match a newcomer."""
    post(ben, 1)
    first = get_feed(ana_client)
    ana.delete()
    newcomer = UserFactory(id=first["results"][0]["author"]["id"] + 1000)
    assert newcomer.feed_version > first["ranking"]["calc_version"]


@pytest.mark.django_db(transaction=True)
def test_a_read_during_the_writers_transaction_cannot_cache_stale_data():
    """Thread A hearts inside a transaction; before A commits, thread B builds and caches the
    feed. The bump commits with A's heart, so the next request re-ranks with the heart."""
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
            seen_by_b["page"] = get_feed(client(), explain=True)
        finally:
            connection.close()

    with transaction.atomic():  # thread A
        assert client().post(f"/api/posts/{his.id}/heart/").status_code == 201
        b = threading.Thread(target=thread_b)
        b.start()
        b.join()
        page_b = seen_by_b["page"]
        # B saw the committed state: the old version with the old data, never the old
        # data under the new version.
        assert page_b["ranking"]["cached"] is False
        assert page_b["ranking"]["calc_version"] == start
        assert page_b["results"][0]["score_breakdown"]["interaction"] == 0.0

    after = get_feed(client(), explain=True)

    assert after["ranking"]["calc_version"] == start + 1
    assert after["ranking"]["cached"] is False
    assert after["results"][0]["score_breakdown"]["interaction"] == 5.0


@pytest.mark.django_db
def test_a_page_cached_before_a_cache_outage_is_not_served_after_a_write_during_it(
    ana, ana_client, ben, monkeypatch
):
    """While the cache drops every write (an unreachable Redis), a heart still moves the
    version in the database: the page cached before the outage is never served again."""
    his = post(ben, 1)
    before = get_feed(ana_client, explain=True)
    assert get_feed(ana_client)["ranking"]["cached"] is True

    monkeypatch.setattr(cache, "set", lambda *a, **k: False)
    monkeypatch.setattr(cache, "add", lambda *a, **k: False)
    monkeypatch.setattr(cache, "delete", lambda *a, **k: False)
    assert ana_client.post(f"/api/posts/{his.id}/heart/").status_code == 201
    monkeypatch.undo()

    after = get_feed(ana_client, explain=True)
    assert after["ranking"]["calc_version"] == before["ranking"]["calc_version"] + 1
    assert after["ranking"]["cached"] is False
    assert after["results"][0]["score_breakdown"]["interaction"] == 5.0


def test_the_snapshot_token_formats_and_parses_itself():
    token = SnapshotToken(feed_version=1234, config_version=7, epoch=99)

    assert SnapshotToken.parse(str(token)) == token
    assert str(token) == f"v1234e{SCHEMA}.7.99"
    assert SnapshotToken.parse(f"v1234e{SCHEMA + 1}.7.99") is None  # another deploy's shape
    assert SnapshotToken.parse("v1234.7") is None
    assert SnapshotToken.parse(f"v1234e{SCHEMA}.7") is None  # before the epoch: expired
    assert f":s{SCHEMA}:" in token.key(5, unseen=False)
    assert token.key(5, unseen=False) != token.key(5, unseen=True)
    # Another visibility epoch (a moderation change since) names another snapshot.
    assert token.key(5, unseen=False) != SnapshotToken(1234, 7, 100).key(5, unseen=False)


# --- The build lock ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalidate_cache_does_not_release_another_requests_build_lock(ana, ana_client, ben):
    post(ben, 1)
    r = load_ranking()
    ana.refresh_from_db()
    lock = SnapshotToken(ana.feed_version, r.version, visibility_epoch()).lock_key(
        ana.id, unseen=False
    )
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
