"""Paging through one ranked snapshot with `next`, and smart filtering of cached pages."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.feed.config import save_ranking
from atelier.feed.models import RankingConfig
from atelier.feed.tests.factories import AppreciationFactory
from atelier.feed.tests.helpers import channel_of, get_feed, get_url, ids, post, walk
from atelier.feed.tests.reference import reference_feed
from atelier.post.models import HiddenPost, SeenPost

pytestmark = pytest.mark.django_db


def token_of(page: dict) -> str:
    link = page["next"] or page["previous"]
    return parse_qs(urlparse(link).query)["snapshot"][0]


def walked_ids(pages: list[dict]) -> list[int]:
    return [pid for page in pages for pid in ids(page)]


@pytest.fixture
def strangers(ana):
    """Ten public posts, an hour apart, by ten different authors: ranked by recency alone."""
    return [post(UserFactory(), hours) for hours in range(1, 11)]


# --- One snapshot across pages --------------------------------------------------------------


def test_following_next_after_a_heart_neither_repeats_nor_skips(ana_client, strangers, committed):
    first = get_feed(ana_client, page_size=3)
    top6 = ids(get_feed(ana_client, page_size=6))  # the same snapshot, read whole
    assert ids(first) == top6[:3]

    with committed():  # re-ranks: the 5th post's author becomes one ana appreciates
        assert ana_client.post(f"/api/posts/{top6[4]}/heart/").status_code == 201
    second = get_url(ana_client, first["next"])

    assert second["ranking"]["cached"] is True
    assert ids(first) + ids(second) == top6
    assert len(set(ids(first) + ids(second))) == 6
    assert ids(get_url(ana_client, second["previous"])) == ids(first)

    fresh = get_feed(ana_client, page_size=3)
    assert fresh["ranking"]["cached"] is False
    assert fresh["ranking"]["calc_version"] > first["ranking"]["calc_version"]
    assert ids(fresh)[0] == top6[4]  # the heart did re-rank: a fresh page 2 would differ


def test_walking_all_pages_covers_every_visible_post_once(ana, ana_client, ben, strangers):
    FellowFactory(user=ana, fellow_user=ben)
    visible = [p.id for p in strangers] + [post(ben, 20).id, post(ana, 15).id]
    post(ben, 1, channel=channel_of("private", ben))
    post(ben, 1, is_deleted=True)

    pages = walk(ana_client, page_size=3)

    got = walked_ids(pages)
    assert len(got) == len(set(got))
    assert sorted(got) == sorted(visible)
    assert all(p["count"] == len(visible) for p in pages)
    assert got == [e["id"] for e in reference_feed(ana.id, timezone.now())]


# --- Feeds larger than the candidate budget --------------------------------------------------


@pytest.fixture
def small_budget(committed):
    row, _ = RankingConfig.objects.get_or_create(pk=1)
    row.candidate_budget = 4
    with committed():
        save_ranking(row)


@pytest.fixture
def big_world(ana, ben, cleo):
    """Twenty visible posts of every kind (fellow, collective, appreciated, strangers, seen)
    plus a few invisible ones: far more than a candidate budget of 4."""
    FellowFactory(user=ana, fellow_user=ben)
    inkers = channel_of("public", ana, cleo)
    eve = UserFactory(username="eve")
    liked = post(eve, 200)
    AppreciationFactory(user=ana, post=liked)
    visible = [liked]
    visible += [post(ben, 30 + 7 * i) for i in range(4)]
    visible += [post(cleo, 40 + 5 * i, channel=inkers) for i in range(4)]
    visible += [post(eve, 50 + 3 * i) for i in range(3)]
    visible += [post(UserFactory(), 1 + 2 * i) for i in range(7)]
    visible.append(post(ana, 25))
    SeenPost.objects.create(user=ana, post=visible[-2], seen_at=timezone.now())
    post(cleo, 2, channel=channel_of("private", cleo))
    post(ben, 3, is_deleted=True)
    return [p.id for p in visible]


@pytest.mark.parametrize("page_size", [1, 3, 7])
def test_walking_a_feed_larger_than_the_budget(ana_client, small_budget, big_world, page_size):
    pages = walk(ana_client, page_size=page_size, explain=True)

    got = walked_ids(pages)
    assert len(got) == len(set(got))
    assert sorted(got) == sorted(big_world)
    assert pages[0]["ranking"]["candidates"] < len(big_world)  # there is a newest-first tail
    assert pages[0]["count"] == len(big_world)
    tail = [r for page in pages for r in page["results"] if r["score"] is None]
    assert tail, "the walk must reach the tail"


def test_walking_a_feed_larger_than_the_budget_unseen(ana, ana_client, small_budget, big_world):
    seen = SeenPost.objects.get(user=ana).post_id

    got = walked_ids(walk(ana_client, page_size=3, unseen=True))

    assert len(got) == len(set(got))
    assert sorted(got) == sorted(pid for pid in big_world if pid != seen)


def test_walking_past_the_budget_while_appreciating(ana_client, small_budget, big_world, committed):
    pages = [get_feed(ana_client, page_size=3)]
    while pages[-1]["next"]:
        with committed():  # every page, ana hearts its last post: a bump each time
            ana_client.post(f"/api/posts/{ids(pages[-1])[-1]}/heart/")
        pages.append(get_url(ana_client, pages[-1]["next"]))
        assert pages[-1]["ranking"]["cached"] is True

    got = walked_ids(pages)
    assert len(got) == len(set(got))
    assert sorted(got) == sorted(big_world)


def test_tail_posts_removed_after_being_served_do_not_shift_the_walk(
    ana, ana_client, small_budget, big_world, committed
):
    """Hiding a post already seen on an earlier page must not make a later one skipped."""
    pages = [get_feed(ana_client, page_size=3, explain=True)]
    while pages[-1]["next"]:
        served_tail = [r["id"] for r in pages[-1]["results"] if r["score"] is None]
        if served_tail:
            with committed():
                ana_client.post(f"/api/posts/{served_tail[0]}/hide/")
        pages.append(get_url(ana_client, pages[-1]["next"]))

    got = walked_ids(pages)
    assert len(got) == len(set(got))
    assert sorted(got) == sorted(big_world)


def test_marking_tail_posts_seen_while_walking_unseen_skips_none(
    ana, ana_client, small_budget, big_world, committed
):
    """The usual client: walking with unseen=true and marking each page seen as it goes."""
    already = SeenPost.objects.get(user=ana).post_id
    pages = [get_feed(ana_client, page_size=3, unseen=True)]
    while pages[-1]["next"]:
        with committed():
            ana_client.post("/api/posts/seen/", {"post_ids": ids(pages[-1])}, format="json")
        pages.append(get_url(ana_client, pages[-1]["next"]))

    got = walked_ids(pages)
    assert len(got) == len(set(got))
    assert sorted(got) == sorted(pid for pid in big_world if pid != already)


# --- Smart filtering of cached snapshots -----------------------------------------------------


def test_a_post_deleted_after_caching_is_not_served(
    ana_client, ben, ben_client, strangers, committed
):
    his = post(ben, 0.5)
    before = get_feed(ana_client, page_size=5)
    assert his.id in ids(before)

    with committed():
        assert ben_client.delete(f"/api/posts/{his.id}/").status_code == 204
    again = get_feed(ana_client, page_size=5)

    assert again["ranking"]["cached"] is True
    assert again["ranking"]["calc_version"] == before["ranking"]["calc_version"]
    assert his.id not in ids(again)
    assert ids(again) == [pid for pid in ids(before) if pid != his.id]


def test_a_post_deleted_on_a_later_page_is_not_served_either(
    ana_client, ben, ben_client, strangers, committed
):
    his = post(ben, 4.5)  # ranked 5th
    first = get_feed(ana_client, page_size=3)

    with committed():
        ben_client.delete(f"/api/posts/{his.id}/")
    second = get_url(ana_client, first["next"])

    assert second["ranking"]["cached"] is True
    assert his.id not in ids(second)
    assert len(ids(second)) == 2


@pytest.mark.parametrize("how", ["block", "leave", "hide", "mute"])
def test_cached_pages_drop_posts_no_longer_for_me(ana, ana_client, ben, strangers, committed, how):
    channel = channel_of("private", ana, ben)
    his = post(ben, 0.5, channel=channel) if how in ("leave", "mute") else post(ben, 0.5)
    first = get_feed(ana_client, page_size=3)
    assert his.id in ids(first)
    token = token_of(first)

    with committed():
        if how == "block":
            response = ana_client.patch(
                "/api/user/preferences/", {"blocked_users": [ben.id]}, format="json"
            )
        elif how == "leave":
            response = ana_client.post(f"/api/collectives/{channel.collective_id}/leave/")
        elif how == "hide":
            response = ana_client.post(f"/api/posts/{his.id}/hide/")
        else:
            response = ana_client.patch(
                "/api/user/preferences/",
                {"muted_collectives": [channel.collective_id]},
                format="json",
            )
        assert response.status_code in (200, 204)

    from_cache = get_feed(ana_client, page_size=3, snapshot=token)  # page 1 of that snapshot
    assert from_cache["ranking"]["cached"] is True
    assert his.id not in ids(from_cache)
    assert ids(from_cache) == [pid for pid in ids(first) if pid != his.id]

    fresh = get_feed(ana_client, page_size=3)  # the version moved: a fresh ranking
    assert fresh["ranking"]["cached"] is False
    assert his.id not in ids(fresh)


def test_a_hidden_post_is_absent_from_every_cached_copy(ana, ana_client, strangers):
    first = get_feed(ana_client, page_size=3)
    target = ids(first)[1]
    HiddenPost.objects.create(user=ana, post_id=target)  # no bump at all

    assert target not in ids(get_feed(ana_client, page_size=3))
    assert target not in ids(get_feed(ana_client, page_size=3, snapshot=token_of(first)))
