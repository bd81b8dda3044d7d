"""Serving the feed: the ranked snapshot from the cache or freshly built, sliced into pages."""

import time
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from django.utils import timezone

from atelier.feed import cache as feed_cache
from atelier.feed import metrics, scorer, versions
from atelier.feed.components import (
    BY_NAME,
    NAMES,
    OWN_POST_REASON,
    UNSCORED_REASON,
    reason_for,
)
from atelier.feed.config import Ranking, load_ranking
from atelier.feed.features import (
    Viewer,
    hydrate,
    read_preferences,
    relation_counts,
    viewer_profile,
)
from atelier.feed.pipeline import Scored, Snapshot, build_snapshot
from atelier.feed.selectors import (
    chronological_page,
    count_feed,
    feed_queryset,
    posts_by_id,
    tail_page,
)

# How long a request waits for another one building the same snapshot before building too.
BUILD_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Relations:
    """The viewer's building block: what changes only with their relations version."""

    fellow_count: int
    collective_count: int
    preferred_post_types: tuple[str, ...]
    preferred_artist_types: tuple[str, ...]


def relations_for(user_id: int, relations_version: int, r: Ranking) -> Relations:
    """The viewer's building block, cached under their relations version (a heart keeps it)."""
    key = feed_cache.relations_key(user_id, relations_version)
    cached = feed_cache.cache.get(key)
    feed_cache.record("relations", cached is not None)
    if cached is not None:
        return cached
    fellow_count, collective_count = relation_counts(user_id)
    post_types, artist_types = read_preferences(user_id)
    relations = Relations(fellow_count, collective_count, tuple(post_types), tuple(artist_types))
    feed_cache.cache.set(key, relations, r.fellows_cache_seconds)
    return relations


def _build(user_id: int, r: Ranking, relations: Relations, now: datetime, unseen: bool):
    metrics.FEED_SNAPSHOT_BUILDS.inc()
    viewer = viewer_profile(
        user_id, preferences=(relations.preferred_post_types, relations.preferred_artist_types)
    )
    return build_snapshot(
        r,
        viewer,
        now,
        fellow_count=relations.fellow_count,
        collective_count=relations.collective_count,
        unseen=unseen,
    )


def _snapshot(
    user,
    r: Ranking,
    *,
    unseen: bool,
    refresh: bool,
    token: str | None,
    now: datetime | None,
) -> tuple[Snapshot, feed_cache.SnapshotToken, bool]:
    """Return (snapshot, its token, cached): the one named by `token` if still cached and
    ranked under the current visibility epoch, else the current one, built by one request
    at a time (the others wait for it briefly).

    A token from before a moderation change (an older epoch) is answered like an expired
    one, from the current snapshot: what moderation hid or showed again is then ranked and
    counted as it is now, at the price of a page that may repeat or skip a post.
    """
    cache = feed_cache.cache
    epoch = versions.visibility_epoch()
    requested = feed_cache.SnapshotToken.parse(token) if token and not refresh else None
    if requested is not None and requested.epoch == epoch:
        snapshot = cache.get(requested.key(user.id, unseen))
        if snapshot is not None:
            feed_cache.record("snapshot", True)
            return snapshot, requested, True
    feed_version, relations_version = versions.of(user)
    current = feed_cache.SnapshotToken(feed_version, r.version, epoch)
    key = current.key(user.id, unseen)
    if not refresh:
        snapshot = cache.get(key)
        feed_cache.record("snapshot", snapshot is not None)
        if snapshot is not None:
            return snapshot, current, True
    relations = relations_for(user.id, relations_version, r)
    lock = current.lock_key(user.id, unseen)
    # Only the request that took the lock releases it: a refresh, or a waiter that gave up,
    # builds without it and must not free another request's lock (that would let a third
    # request build the same snapshot).
    owns_lock = not refresh and feed_cache.acquire_build_lock(lock)
    if owns_lock:
        # Another request may have built it and let go of the lock between this request's
        # miss above and its taking the lock: then the snapshot is there, and building it
        # again would make a stampede cost two builds.
        snapshot = cache.get(key)
        if snapshot is not None:
            feed_cache.release_build_lock(lock)
            return snapshot, current, True
    if not refresh and not owns_lock:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            snapshot = cache.get(key)
            if snapshot is not None:
                return snapshot, current, True
    try:
        snapshot = _build(user.id, r, relations, now or timezone.now(), unseen)
        snapshot.relations_version = relations_version
        cache.set(key, snapshot, r.feed_cache_seconds)
    finally:
        if owns_lock:
            feed_cache.release_build_lock(lock)
    return snapshot, current, False


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
    # How far `next` walks, when not `count`: an old snapshot token reports the feed's
    # count now but walks the snapshot it started on to its end (no post skipped).
    extent: tuple[int, bool] | None = None

    @property
    def walk(self) -> tuple[int, bool]:
        """(how many positions `next` walks through, whether that number is exact)."""
        return self.extent if self.extent is not None else (self.count, self.count_exact)


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
    snapshot, token, cached = _snapshot(
        user, r, unseen=unseen, refresh=refresh, token=snapshot_token, now=now
    )
    # A snapshot named by the token may predate a bump or a configuration change: describe
    # and explain the page with the versions and configuration it was ranked under.
    ranked_under = snapshot.ranking or r

    start, end = (page - 1) * page_size, page * page_size
    scored_page = snapshot.page(start, end, ranked_under)
    count, count_exact = snapshot.count, snapshot.count_exact
    if snapshot.relations_version != versions.of(user)[1]:
        # A token naming a snapshot built before a fellow, collective, block or mute
        # changed: keep its order (paging neither repeats nor skips), but count and
        # explain with the relations as they are now (issue 17, defect 8).
        count, count_exact = count_feed(feed_queryset(user.id, unseen=unseen))
        if explain:
            scored_page = with_current_relations(scored_page, user.id, ranked_under, snapshot)
    ranked_ids = [s.id for s in scored_page]
    tail_ids = []
    if end > len(snapshot) and snapshot.tail_after is not None:
        tail_ids = tail_page(
            user.id,
            after=snapshot.tail_after,
            skip=snapshot.tail_skip,
            built_at=snapshot.built_at,
            offset=max(0, start - len(snapshot)),
            limit=end - max(start, len(snapshot)),
            unseen=unseen,
        )
    by_id = posts_by_id(ranked_ids + tail_ids, user.id)
    posts = [by_id[i] for i in ranked_ids + tail_ids if i in by_id]
    scored = {s.id: s for s in scored_page}
    reasons = {}
    if explain:
        for post in posts:
            if post.author_id == user.id:
                reasons[post.id] = OWN_POST_REASON
            elif post.id in scored:
                reasons[post.id] = reason_for(
                    scored[post.id].contributions,
                    scored[post.id].points,
                    ranked_under,
                    author=post.author.username,
                    collective=post.collective.name if post.collective_id else None,
                )
            else:
                reasons[post.id] = UNSCORED_REASON
    exact = end <= snapshot.exact_top or snapshot.tail_after is None
    return FeedPage(
        posts=posts,
        scored=scored,
        count=count,
        count_exact=count_exact,
        ordering="personalized",
        variant="personalized",
        cached=cached,
        calc_version=token.feed_version,
        snapshot_token=str(token),
        exact=exact,
        score_bound=snapshot.score_bound,
        candidates=len(snapshot),
        reasons=reasons,
        config_version=token.config_version,
        extent=(snapshot.count, snapshot.count_exact),
    )


# The components whose points follow the viewer's relations (fellows, collectives): what
# an old snapshot may explain wrongly once those relations moved.
RELATION_COMPONENTS = ("social", "fellow_fresh", "social_proof", "collective")


def with_current_relations(
    scored: list[Scored], user_id: int, r: Ranking, snapshot: Snapshot
) -> list[Scored]:
    """The page's scored posts with their relation-based points read again now (one
    hydration query for the page's posts only), and their scores summed again from them;
    the order stays the snapshot's."""
    if not scored:
        return scored
    c = hydrate(user_id, [s.id for s in scored], social_proof=r.weight_social_proof > 0)
    now = snapshot.built_at.timestamp() if snapshot.built_at else time.time()
    viewer = Viewer(user_id=user_id)
    fresh = {name: BY_NAME[name].points(c, viewer, r, now) for name in RELATION_COMPONENTS}
    row = {int(post_id): i for i, post_id in enumerate(c.post_id)}
    out = []
    for s in scored:
        i = row.get(s.id)
        if i is None:  # no longer in the feed: the page read drops it
            out.append(s)
            continue
        points = dict(s.points)
        for name in RELATION_COMPONENTS:
            if name in points:
                points[name] = float(fresh[name][i])
        # The scorer is where weights meet points (one formula): a row in NAMES order.
        row_points = np.array([[points.get(name, 0.0) for name in NAMES]])
        weighted = scorer.contributions(row_points, r)[0]
        base = float(scorer.weighted_sum(row_points, np.array([s.seen]), r)[0])
        contributions = {
            name: float(v) for name, v in zip(NAMES, weighted, strict=True) if name in points
        }
        out.append(
            replace(
                s,
                points=points,
                contributions=contributions,
                base_score=base,
                score=base * s.diversity,
            )
        )
    return out


def chronological_feed_page(user, *, page: int, page_size: int, unseen: bool) -> FeedPage:
    """A newest-first page: public posts for anonymous visitors, visible posts for users."""
    signed_in = user is not None and user.is_authenticated
    viewer_id = user.id if signed_in else None
    posts, count, exact = chronological_page(
        viewer_id, offset=(page - 1) * page_size, limit=page_size, unseen=unseen and signed_in
    )
    return FeedPage(
        posts=posts,
        scored={},
        count=count,
        count_exact=exact,
        ordering="chronological",
        variant="chronological",
        cached=False,
        calc_version=user.feed_version if signed_in else None,
        snapshot_token=None,
        exact=None,
        score_bound=None,
        candidates=None,
        reasons={},
        config_version=load_ranking().version if signed_in else 0,
    )
