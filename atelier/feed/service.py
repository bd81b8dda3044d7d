"""Serving the feed: inputs from the cache, the snapshot from the cache or freshly ranked."""

import time
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from atelier.feed import cache as feed_cache
from atelier.feed.config import Ranking, load_ranking
from atelier.feed.inputs import (
    FeedInputs,
    blocks_of,
    collectives_as_of,
    fellows_as_of,
    interaction_stats,
    preferences_of,
)
from atelier.feed.scoring import Scored, reason_for
from atelier.feed.selectors import (
    build_snapshot,
    chronological_page,
    posts_by_id,
    tail_page,
)

# How long a request waits for another one building the same snapshot before building too.
BUILD_WAIT_SECONDS = 5.0


def _block(name: str, user_id: int, tag: str, ttl: int, compute):
    key = feed_cache.block_key(name, user_id, tag)
    value = feed_cache.cache_get(key)
    feed_cache.record(name, value is not None)
    if value is None:
        value = compute()
        feed_cache.cache_set(key, value, ttl)
    return value


def inputs_for(user_id: int, tag: str, r: Ranking) -> FeedInputs:
    """The viewer's ranking inputs, each building block cached under their version tag."""
    fellows = _block(
        "fellows", user_id, tag, r.fellows_cache_seconds, lambda: fellows_as_of(user_id)
    )
    collectives = _block(
        "collectives",
        user_id,
        tag,
        r.collectives_cache_seconds,
        lambda: collectives_as_of(user_id),
    )
    stats = _block(
        "stats",
        user_id,
        tag,
        r.stats_cache_seconds,
        lambda: (*interaction_stats(user_id), blocks_of(user_id), preferences_of(user_id)),
    )
    counts, latest, types, blocked, (post_types, artist_types, muted) = stats
    return FeedInputs(
        user_id=user_id,
        fellow_ids=fellows,
        collective_ids=collectives,
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
    if not refresh and not feed_cache.acquire_build_lock(lock):
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            snapshot = feed_cache.cache_get(key)
            if snapshot is not None:
                return snapshot, token, True
    try:
        snapshot = build_snapshot(r, inputs, now or timezone.now(), unseen=unseen)
        feed_cache.cache_set(key, snapshot, r.feed_cache_seconds)
    finally:
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
            if post.id in scored:
                reasons[post.id] = reason_for(
                    scored[post.id],
                    r,
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
        config_version=r.version,
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
