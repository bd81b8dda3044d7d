"""How many SQL queries a feed page costs, and that it does not grow with the page (no N+1)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.core.models import UserPreference
from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.feed.config import load_ranking
from atelier.feed.tests.factories import AppreciationFactory
from atelier.feed.tests.helpers import channel_of, get_feed, post
from atelier.feed.versions import bump as bump_calc_version
from atelier.post.models import SeenPost

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(ana, ben, cleo):
    """A little of everything the inputs read: fellows, collectives, mutes, blocks,
    preferences, appreciations and seen marks."""
    FellowFactory(user=ana, fellow_user=ben)
    inkers = channel_of("public", ana, cleo)
    muted = channel_of("public", ana)
    pref = UserPreference.objects.create(
        user=ana, preferred_post_types=["poem"], preferred_artist_types=["musician"]
    )
    pref.muted_collectives.set([muted.collective])
    liked = post(cleo, 20, channel=inkers)
    AppreciationFactory(user=ana, post=liked)
    AppreciationFactory(user=ana, post=post(ben, 30), kind="praise")
    SeenPost.objects.create(user=ana, post=post(ben, 3), seen_at=timezone.now())
    for hours in range(1, 6):
        post(UserFactory(), hours)
    load_ranking()  # the configuration row exists, as it does on any running site


def test_personalized_pages_cost_at_most_six_queries(
    ana, ana_client, world, django_assert_max_num_queries
):
    get_feed(ana_client)  # cold: caches the configuration, the inputs and the snapshot

    with django_assert_max_num_queries(6):
        warm = get_feed(ana_client)
    with django_assert_max_num_queries(6):
        rebuilt = get_feed(ana_client, invalidate_cache=True, explain=True)
    bump_calc_version(ana.id)
    with django_assert_max_num_queries(6):
        fresh = get_feed(ana_client, explain=True)

    assert warm["ranking"]["cached"] is True
    assert rebuilt["ranking"]["cached"] is False
    assert fresh["ranking"]["cached"] is False
    assert fresh["ranking"]["calc_version"] > warm["ranking"]["calc_version"]


def test_chronological_pages_are_pinned(ana, ana_client, world, django_assert_max_num_queries):
    get_feed(ana_client, ordering="chronological")

    with django_assert_max_num_queries(3):
        get_feed(ana_client, ordering="chronological")
    bump_calc_version(ana.id)
    with django_assert_max_num_queries(6):
        get_feed(ana_client, ordering="chronological", unseen=True)


def test_anonymous_pages_are_pinned(anon_client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = get_feed(anon_client, page_size=100)
    with django_assert_max_num_queries(2):
        get_feed(anon_client, page_size=2, page=2)

    assert page["count"] >= 5


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        get_feed(client, page_size=100, **params)
    return len(ctx.captured_queries)


def _costs(user, client) -> dict[str, int]:
    """The query count of every kind of page, from a cold cache."""
    cache.clear()
    costs = {"cold": _queries(client, explain=True)}
    costs["warm"] = _queries(client, explain=True)
    costs["rebuilt"] = _queries(client, invalidate_cache=True)
    bump_calc_version(user.id)
    costs["after_bump"] = _queries(client, explain=True)
    costs["chronological"] = _queries(client, ordering="chronological")
    costs["unseen"] = _queries(client, unseen=True)
    return costs


def _collective_posts(viewer, n: int) -> None:
    """`n` posts by distinct authors, each in a channel of its own collective of the viewer's."""
    for i in range(n):
        author = UserFactory(artist_type="musician" if i % 2 else "writer")
        channel = channel_of("public", viewer, author)
        if i % 3 == 0:
            FellowFactory(user=viewer, fellow_user=author)
        mine = post(author, 1 + i, post_type="poem" if i % 2 else "image", hearts_count=i)
        if i % 4 == 0:
            AppreciationFactory(user=viewer, post=mine)
        post(author, 2 + i)  # a public one too
        assert channel.collective_id


def test_query_count_does_not_grow_with_posts_authors_and_collectives(ana, ana_client):
    load_ranking()
    _collective_posts(ana, 5)
    small = _costs(ana, ana_client)
    _collective_posts(ana, 35)
    large = _costs(ana, ana_client)

    assert get_feed(ana_client, page_size=100)["count"] == 80
    assert large == small, (small, large)
    assert all(n <= 6 for name, n in small.items() if name != "cold"), small


def test_anonymous_query_count_does_not_grow_with_authors(anon_client):
    for hours in range(5):
        post(UserFactory(), hours + 1)
    small = _queries(anon_client)
    for hours in range(35):
        post(UserFactory(), hours + 10)
    large = _queries(anon_client)

    assert large == small
