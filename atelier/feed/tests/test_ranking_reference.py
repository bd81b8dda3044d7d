"""The engine's ranking equals the brute-force reference of docs/api.md on random communities."""

from dataclasses import replace
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier.collective.models import Channel, Collective, CollectiveMember
from atelier.core.models import Block, User, UserFellow, UserPreference
from atelier.feed import affinity, sources
from atelier.feed.config import default_ranking
from atelier.feed.pipeline import build_for
from atelier.feed.tests.reference import API_ENGAGEMENT, reference_feed
from atelier.post.models import Appreciation, HiddenPost, Post, SeenPost

POST_TYPES = ["image", "video", "novel", "poem", "music", "comic"]
ARTIST_TYPES = ["visual_artist", "writer", "musician", "filmmaker", "photographer", "other"]
NOW = timezone.now().replace(microsecond=0)

community = st.fixed_dictionaries(
    {
        "artists": st.lists(st.sampled_from(ARTIST_TYPES), min_size=2, max_size=6),
        "collectives": st.lists(st.booleans(), max_size=3),  # True: private
        "members": st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2)), max_size=10),
        "fellows": st.lists(
            st.tuples(
                st.integers(0, 5),
                st.integers(0, 5),
                st.sampled_from(["accepted", "accepted", "pending"]),
            ),
            max_size=8,
        ),
        "posts": st.lists(
            st.tuples(
                st.integers(0, 5),  # author
                st.sampled_from(POST_TYPES),
                st.floats(0, 300),  # hours old
                st.one_of(st.none(), st.integers(0, 2)),  # collective
                st.booleans(),  # deleted (rarely true below)
                st.integers(0, 30),  # comments
            ),
            max_size=30,
        ),
        "appreciations": st.lists(
            st.tuples(
                st.integers(0, 5),
                st.integers(0, 29),
                st.sampled_from(["heart", "praise", "trophy"]),
                st.floats(0, 400),
            ),
            max_size=60,
        ),
        "seen": st.lists(st.integers(0, 29), max_size=8),
        "hidden": st.lists(st.integers(0, 29), max_size=3),
        "blocks": st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=2),
        "preferred_types": st.lists(st.sampled_from(POST_TYPES), max_size=2, unique=True),
        "preferred_artists": st.lists(st.sampled_from(ARTIST_TYPES), max_size=2, unique=True),
        "mute": st.lists(st.integers(0, 2), max_size=1),
    }
)


def build(c) -> User:
    """Write the community; return the viewer (the first user)."""
    users = [
        User.objects.create(username=f"u{i}", artist_type=a) for i, a in enumerate(c["artists"])
    ]
    n = len(users)
    collectives = []
    for i, private in enumerate(c["collectives"]):
        col = Collective.objects.create(
            name=f"C{i}", visibility="private" if private else "public", created_at=NOW
        )
        collectives.append((col, Channel.objects.create(collective=col, name="general")))
    for u, ci in c["members"]:
        if ci < len(collectives) and u < n:
            CollectiveMember.objects.get_or_create(
                user=users[u], collective=collectives[ci][0], defaults={"joined_at": NOW}
            )
    pairs = set()
    for a, b, status in c["fellows"]:
        if a < n and b < n and a != b and frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            UserFellow.objects.create(
                user=users[a], fellow_user=users[b], status=status, created_at=NOW
            )
    posts = []
    for i, (author, ptype, hours, ci, deleted, comments) in enumerate(c["posts"]):
        channel = collectives[ci][1] if ci is not None and ci < len(collectives) else None
        posts.append(
            Post.objects.create(
                author=users[author % n],
                post_type=ptype,
                title=f"p{i}",
                channel=channel,
                collective=channel.collective if channel else None,
                created_at=NOW - timedelta(hours=hours),
                is_deleted=deleted and i % 5 == 0,
                comment_count=comments,
            )
        )
    if posts:
        given_once = set()
        for u, pi, kind, hours in c["appreciations"]:
            post = posts[pi % len(posts)]
            if u >= n or (u, post.id, kind) in given_once:
                continue
            given_once.add((u, post.id, kind))
            Appreciation.objects.create(
                user=users[u],
                post=post,
                post_author=post.author,
                post_type=post.post_type,
                kind=kind,
                created_at=NOW - timedelta(hours=hours),
            )
            field = {"heart": "hearts_count", "praise": "praise_count", "trophy": "trophy_count"}
            setattr(post, field[kind], getattr(post, field[kind]) + 1)
            post.save()
        for pi in set(c["seen"]):
            SeenPost.objects.get_or_create(
                user=users[0], post=posts[pi % len(posts)], defaults={"seen_at": NOW}
            )
        for pi in set(c["hidden"]):
            HiddenPost.objects.get_or_create(user=users[0], post=posts[pi % len(posts)])
    for a, b in c["blocks"]:
        if a < n and b < n and a != b:
            Block.objects.get_or_create(blocker=users[a], blocked=users[b])
    pref = UserPreference.objects.create(
        user=users[0],
        preferred_post_types=c["preferred_types"],
        preferred_artist_types=c["preferred_artists"],
    )
    pref.muted_collectives.set([collectives[i][0] for i in c["mute"] if i < len(collectives)])
    affinity.rebuild()  # the rows above were written directly, not through the services
    return users[0]


def assert_matches(engine, expected, *, upto=None):
    upto = len(expected) if upto is None else upto
    assert [s.id for s in engine[:upto]] == [e["id"] for e in expected[:upto]]
    for got, want in zip(engine[:upto], expected[:upto], strict=True):
        assert got.score == pytest.approx(want["score"], rel=1e-9, abs=1e-9)
        assert got.seen == want["seen"]
        assert got.diversity == want["diversity"]
        for name, value in got.points.items():
            assert value == pytest.approx(want[name], rel=1e-9, abs=1e-9), name


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=community, unseen=st.booleans())
def test_whole_feed_matches_reference(c, unseen):
    with transaction.atomic():
        viewer = build(c)
        r = default_ranking()
        snapshot = build_for(viewer.id, r, NOW, unseen=unseen)
        expected = reference_feed(viewer.id, NOW, unseen=unseen)
        assert snapshot.tail_after is None  # everything fits the default budget
        assert_matches(snapshot.ranked, expected)
        transaction.set_rollback(True)


def test_the_default_points_per_reaction_are_api_md_s():
    r = default_ranking()
    assert {
        "heart": r.engagement_per_heart,
        "praise": r.engagement_per_praise,
        "trophy": r.engagement_per_trophy,
        "comment": r.engagement_per_comment,
    } == API_ENGAGEMENT


points_per_reaction = st.fixed_dictionaries(
    {kind: st.sampled_from([0.0, 0.25, 1.0, 3.0, 7.5]) for kind in API_ENGAGEMENT}
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=community, per=points_per_reaction, cap=st.sampled_from([50.0, 1e6]))
def test_whole_feed_matches_reference_under_other_points_per_reaction(c, per, cap):
    """The live statement and the scorer follow the configured points per reaction."""
    with transaction.atomic():
        viewer = build(c)
        r = replace(
            default_ranking(),
            engagement_cap=cap,
            **{f"engagement_per_{kind}": value for kind, value in per.items()},
        )
        snapshot = build_for(viewer.id, r, NOW)
        expected = reference_feed(viewer.id, NOW, engagement=per, cap=cap)
        assert_matches(snapshot.ranked, expected)
        transaction.set_rollback(True)


def assert_exact_above_bound(c, budget):
    """Rank `c` with a candidate budget of `budget`: the provably exact prefix matches the
    reference, and every post left out scores at most the bound."""
    with transaction.atomic():
        viewer = build(c)
        r = default_ranking()
        object.__setattr__(r, "candidate_budget", budget)
        snapshot = build_for(viewer.id, r, NOW)
        expected = reference_feed(viewer.id, NOW)
        assert_matches(snapshot.ranked, expected, upto=snapshot.exact_top)
        served = {s.id for s in snapshot.ranked}
        if snapshot.score_bound is not None:
            for entry in expected:
                if entry["id"] not in served:
                    assert entry["score"] <= snapshot.score_bound + 1e-9
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=community, budget=st.integers(1, 8))
def test_small_budget_is_exact_above_its_bound(c, budget):
    """With a candidate budget smaller than the feed, the provably exact prefix is exact."""
    assert_exact_above_bound(c, budget)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(c=community, budget=st.integers(1, 8))
def test_dense_sources_are_exact_above_their_bound(c, budget):
    """The same with the fellows' and collectives' sources scanning the newest posts (the
    way celebrity-sized viewers are served)."""
    with mock.patch.object(sources, "DENSE_FROM", -1):
        assert_exact_above_bound(c, budget)
