"""Serving the feed: inputs from the cache, the snapshot from the cache or freshly ranked."""

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
    Snapshot,
    build_snapshot,
    chronological_page,
    posts_by_id,
    tail_page,
)


def _block(name: str, user_id: int, version: int, ttl: int, compute):
    key = feed_cache.block_key(name, user_id, version)
    value = feed_cache.cache_get(key)
    if value is None:
        value = compute()
        feed_cache.cache_set(key, value, ttl)
    return value


def inputs_for(user_id: int, version: int, r: Ranking) -> FeedInputs:
    """The viewer's ranking inputs, each building block cached under their version."""
    fellows = _block(
        "fellows", user_id, version, r.fellows_cache_seconds, lambda: fellows_as_of(user_id)
    )
    collectives = _block(
        "collectives",
        user_id,
        version,
        r.collectives_cache_seconds,
        lambda: collectives_as_of(user_id),
    )
    stats = _block(
        "stats",
        user_id,
        version,
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
    version = feed_cache.calc_version(user.id)
    inputs = inputs_for(user.id, version, r)
    token = snapshot_token or f"{version}.{r.version}"
    key = feed_cache.snapshot_key(user.id, *_parse_token(token, version, r.version), unseen)
    snapshot: Snapshot | None = None if refresh else feed_cache.cache_get(key)
    cached = snapshot is not None
    if snapshot is None:
        token = f"{version}.{r.version}"
        key = feed_cache.snapshot_key(user.id, version, r.version, unseen)
        snapshot = build_snapshot(r, inputs, now or timezone.now(), unseen=unseen)
        feed_cache.cache_set(key, snapshot, r.feed_cache_seconds)

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


def _parse_token(token: str, version: int, config_version: int) -> tuple[int, int]:
    try:
        v, c = token.split(".")
        return int(v), int(c)
    except ValueError:
        return version, config_version


def chronological_feed_page(user, *, page: int, page_size: int, unseen: bool) -> FeedPage:
    """A newest-first page: public posts for anonymous visitors, visible posts for users."""
    inputs = None
    version = None
    config_version = 0
    if user is not None and user.is_authenticated:
        r = load_ranking()
        config_version = r.version
        version = feed_cache.calc_version(user.id)
        inputs = inputs_for(user.id, version, r)
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
