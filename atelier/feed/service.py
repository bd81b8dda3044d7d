"""Serving the feed: inputs from the cache, the snapshot from the cache or freshly ranked."""

import time
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from atelier.analytics import metrics
from atelier.feed import cache as feed_cache
from atelier.feed.config import Ranking, load_ranking
from atelier.feed.inputs import FeedInputs, gather_inputs
from atelier.feed.scoring import Scored, reason_for
from atelier.feed.selectors import (
    build_snapshot,
    chronological_page,
    posts_by_id,
    tail_page,
)

# How long a request waits for another one building the same snapshot before building too.
BUILD_WAIT_SECONDS = 5.0


def inputs_for(user_id: int, tag: str, r: Ranking) -> FeedInputs:
    """The viewer's ranking inputs, each building block cached under their version tag.

    The blocks are read in one cache round trip; if any is missing, all are read again from
    the database together (gather_inputs: three queries) and the missing ones are stored.
    """
    ttl = {
        "fellows": r.fellows_cache_seconds,
        "collectives": r.collectives_cache_seconds,
        "stats": r.stats_cache_seconds,
    }
    keys = {name: feed_cache.block_key(name, user_id, tag) for name in ttl}
    stored = feed_cache.cache_get_many(list(keys.values()))
    blocks = {name: stored.get(key) for name, key in keys.items()}
    for name, value in blocks.items():
        feed_cache.record(name, value is not None)
    if any(value is None for value in blocks.values()):
        live = gather_inputs(user_id)
        fresh = {
            "fellows": live.fellow_ids,
            "collectives": live.collective_ids,
            "stats": (
                live.author_interactions,
                live.author_latest,
                live.type_interactions,
                live.blocked_ids,
                (live.preferred_post_types, live.preferred_artist_types, live.muted_collective_ids),
            ),
        }
        for name, value in fresh.items():
            if blocks[name] is None:
                blocks[name] = value
                feed_cache.cache_set(keys[name], value, ttl[name])
    counts, latest, types, blocked, (post_types, artist_types, muted) = blocks["stats"]
    return FeedInputs(
        user_id=user_id,
        fellow_ids=blocks["fellows"],
        collective_ids=blocks["collectives"],
        blocked_ids=blocked,
        muted_collective_ids=muted,
        preferred_post_types=post_types,
        preferred_artist_types=artist_types,
        author_interactions=counts,
        author_latest=latest,
        type_interactions=types,
    )


def _snapshot(
    user_id: int,
    r: Ranking,
    inputs: FeedInputs,
    tag: str,
    *,
    unseen: bool,
    refresh: bool,
    token: str | None,
    now: datetime | None,
):
    """Return (snapshot, token, cached): the one named by `token` if still cached, else the
    current one, built by one request at a time (the others wait for it briefly)."""
    if token and not refresh:
        old_tag, _, old_config = token.partition(".")
        snapshot = feed_cache.cache_get(
            feed_cache.snapshot_key(user_id, old_tag, int(old_config), unseen)
        )
        if snapshot is not None:
            feed_cache.record("snapshot", True)
            return snapshot, token, True
    token = f"{tag}.{r.version}"
    key = feed_cache.snapshot_key(user_id, tag, r.version, unseen)
    if not refresh:
        snapshot = feed_cache.cache_get(key)
        feed_cache.record("snapshot", snapshot is not None)
        if snapshot is not None:
            return snapshot, token, True
    lock = feed_cache.build_lock_key(user_id, tag, r.version, unseen)
    # Only the request that took the lock releases it: a refresh, or a waiter that gave up,
    # builds without it and must not free another request's lock (that would let a third
    # request build the same snapshot).
    owns_lock = not refresh and feed_cache.acquire_build_lock(lock)
    if not refresh and not owns_lock:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            snapshot = feed_cache.cache_get(key)
            if snapshot is not None:
                return snapshot, token, True
    try:
        metrics.FEED_SNAPSHOT_BUILDS.inc()
        snapshot = build_snapshot(r, inputs, now or timezone.now(), unseen=unseen)
        feed_cache.cache_set(key, snapshot, r.feed_cache_seconds)
    finally:
        if owns_lock:
            feed_cache.release_build_lock(lock)
    return snapshot, token, False


@dataclass
class FeedPage:
    posts: list  # Post instances, in served order
    scored: dict[int, Scored]
    count: int
    count_exact: bool
    ordering: str
    variant: str
    cached: bool
    calc_version: int | None
    snapshot_token: str | None
    exact: bool | None
    score_bound: float | None
    candidates: int | None
    reasons: dict[int, str]
    config_version: int


def personalized_page(
    user,
    *,
    page: int,
    page_size: int,
    unseen: bool,
    refresh: bool,
    snapshot_token: str | None,
    explain: bool,
    now: datetime | None = None,
) -> FeedPage:
    """A page of the user's ranked feed, served as a slice of a (cached) snapshot."""
    r = load_ranking()
    version, tag = feed_cache.versions(user.id)
    inputs = inputs_for(user.id, tag, r)
    snapshot, token, cached = _snapshot(
        user.id, r, inputs, tag, unseen=unseen, refresh=refresh, token=snapshot_token, now=now
    )

    # A snapshot named by the token may predate a bump or a configuration change: describe
    # and explain the page with the versions and configuration it was ranked under.
    served_tag, _, served_config = token.partition(".")
    version = int(served_tag[1:].partition("e")[0])
    ranked_under = snapshot.ranking or r

    start, end = (page - 1) * page_size, page * page_size
    ranked_ids = [s.id for s in snapshot.ranked[start:end]]
    tail_ids = (
        tail_page(
            inputs,
            snapshot,
            offset=max(0, start - len(snapshot.ranked)),
            limit=end - max(start, len(snapshot.ranked)),
            unseen=unseen,
        )
        if end > len(snapshot.ranked)
        else []
    )
    by_id = posts_by_id(ranked_ids + tail_ids, inputs)
    posts = [by_id[i] for i in ranked_ids + tail_ids if i in by_id]
    scored = {s.id: s for s in snapshot.ranked[start:end]}
    reasons = {}
    if explain:
        for post in posts:
            if post.author_id == user.id:
                reasons[post.id] = "Your own post"
            elif post.id in scored:
                reasons[post.id] = reason_for(
                    scored[post.id],
                    ranked_under,
                    author_name=post.author.username,
                    collective_name=post.collective.name if post.collective_id else None,
                )
            else:
                reasons[post.id] = "Older post, shown newest first"
    exact = end <= snapshot.exact_top or snapshot.tail_after is None
    return FeedPage(
        posts=posts,
        scored=scored,
        count=snapshot.count,
        count_exact=snapshot.count_exact,
        ordering="personalized",
        variant="personalized",
        cached=cached,
        calc_version=version,
        snapshot_token=token,
        exact=exact,
        score_bound=snapshot.score_bound,
        candidates=len(snapshot.ranked),
        reasons=reasons,
        config_version=int(served_config),
    )


def chronological_feed_page(user, *, page: int, page_size: int, unseen: bool) -> FeedPage:
    """A newest-first page: public posts for anonymous visitors, visible posts for users."""
    inputs = None
    version = None
    config_version = 0
    if user is not None and user.is_authenticated:
        r = load_ranking()
        config_version = r.version
        version, tag = feed_cache.versions(user.id)
        inputs = inputs_for(user.id, tag, r)
    posts, count, exact = chronological_page(
        inputs, offset=(page - 1) * page_size, limit=page_size, unseen=unseen and inputs is not None
    )
    return FeedPage(
        posts=posts,
        scored={},
        count=count,
        count_exact=exact,
        ordering="chronological",
        variant="chronological",
        cached=False,
        calc_version=version,
        snapshot_token=None,
        exact=None,
        score_bound=None,
        candidates=None,
        reasons={},
        config_version=config_version,
    )
