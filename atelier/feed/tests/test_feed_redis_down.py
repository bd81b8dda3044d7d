"""With Redis unreachable the site serves without a cache: never a 500."""

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

from atelier.core import cache_backend
from atelier.core.cache_backend import BREAKER
from atelier.feed.tests.helpers import FEED, get_feed, get_url, ids, post

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "atelier.core.cache_backend.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }
}


def _reset_breaker() -> None:
    with BREAKER.lock:
        BREAKER.down = False
        BREAKER.down_until = 0.0


@pytest.fixture
def redis_down():
    """The default cache is a ResilientRedisCache on a closed port, for this test only."""
    _reset_breaker()
    with override_settings(CACHES=DEAD_REDIS):  # its setting_changed signal resets `caches`
        assert isinstance(caches["default"], cache_backend.ResilientRedisCache)
        yield
    _reset_breaker()


@pytest.fixture
def posts(ben):
    return [post(ben, hours) for hours in range(1, 6)]


def test_the_backend_answers_misses_and_opens_the_breaker(redis_down):
    assert cache.get("anything") is None
    assert cache.get("anything", "default") == "default"
    assert cache.set("k", 1) is False
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("k") is None
    assert BREAKER.is_open()


def test_anonymous_feed(redis_down, anon_client, posts):
    page = get_feed(anon_client, page_size=2)

    assert ids(page) == [p.id for p in posts[:2]]
    assert ids(get_url(anon_client, page["next"])) == [p.id for p in posts[2:4]]


def test_personalized_feed(redis_down, ana_client, posts):
    first = get_feed(ana_client, page_size=2, explain=True)
    again = get_feed(ana_client, page_size=2)
    second = get_url(ana_client, first["next"])

    assert ids(first) == ids(again) == [p.id for p in posts[:2]]
    assert ids(second) == [p.id for p in posts[2:4]]
    assert first["ranking"]["cached"] is False
    assert again["ranking"]["cached"] is False
    assert get_feed(ana_client, invalidate_cache=True)["count"] == 5
    assert get_feed(ana_client, ordering="chronological", unseen=True)["count"] == 5


def test_writes_and_reads_of_posts(
    redis_down, ana_client, posts, django_capture_on_commit_callbacks
):
    target = posts[0]
    with django_capture_on_commit_callbacks(execute=True):  # the bump fails quietly
        assert ana_client.post(f"/api/posts/{target.id}/heart/").status_code == 201
        assert ana_client.delete(f"/api/posts/{target.id}/heart/").status_code == 204
        assert ana_client.post(f"/api/posts/{target.id}/praise/").status_code == 201
        created = ana_client.post(FEED, {"title": "Still here", "post_type": "poem"})
        assert created.status_code == 201

    assert ana_client.get(f"/api/posts/{target.id}/").status_code == 200
    page = get_feed(ana_client, explain=True)
    assert created.json()["id"] in ids(page)
    praised = next(r for r in page["results"] if r["id"] == target.id)
    assert praised["score_breakdown"]["interaction"] == 5.0
