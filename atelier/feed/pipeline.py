"""The feed engine as a pipeline: sources -> hydration -> scorer -> diversity -> snapshot.

`build_snapshot` runs the stages in order, each bounded: the sources read a bounded number
of rows (atelier/feed/sources.py) and hydration joins the viewer's features for those
candidates only, in the same query (atelier/feed/features.py); the scorer and author
diversity are pure functions over arrays (atelier/feed/scorer.py); the snapshot keeps the
final order as arrays, with what is provably exact.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import connection

from atelier.core.models import UserFellow
from atelier.feed import sources
from atelier.feed.components import COMPONENTS, NAMES, post_type_points, shown
from atelier.feed.config import Ranking, default_ranking
from atelier.feed.features import (
    COLUMNS,
    Candidates,
    Viewer,
    live_features_sql,
    named,
    relation_counts,
    viewer_profile,
)
from atelier.feed.scorer import contributions, rank
from atelier.feed.selectors import count_sql, feed_sql, read_count
from atelier.feed.sources import Plan


@dataclass
class Scored:
    """One ranked post: its points and contribution (weight x points) per component, seen
    mark, diversity factor, final score: score = sum(contributions) x seen factor x diversity.
    """

    id: int
    author_id: int
    created_at: float
    base_score: float
    seen: bool
    points: dict[str, float]
    diversity: float = 1.0
    score: float = 0.0
    contributions: dict[str, float] = field(default_factory=dict)

    def breakdown(self) -> dict:
        return {**self.points, "seen": self.seen, "diversity": self.diversity}


@dataclass
class Snapshot:
    """A ranked feed: the candidates in final order (arrays), and where the tail starts."""

    ids: np.ndarray
    authors: np.ndarray
    created: np.ndarray
    base: np.ndarray
    seen: np.ndarray
    diversity: np.ndarray
    score: np.ndarray
    points: np.ndarray  # (n, len(NAMES)), in NAMES order
    count: int
    count_exact: bool
    # (created_at, id) of the oldest post of source A; None when the whole feed was ranked.
    tail_after: tuple[datetime, int] | None = None
    # Candidates at or past tail_after, which the tail must skip.
    tail_skip: list[int] = field(default_factory=list)
    score_bound: float | None = None
    exact_top: int = 0
    built_at: datetime | None = None
    # The configuration it was ranked under (its pages are explained with it).
    ranking: Ranking | None = None
    # The viewer's relations version it was built under: a page read after the relations
    # moved (an old `snapshot=` token) explains itself with the relations as they are now.
    relations_version: int | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def page(self, start: int, end: int, ranking: Ranking | None = None) -> list[Scored]:
        """The ranked posts [start, end), explained under the configuration they were ranked
        with (`ranking` for a snapshot that did not keep it)."""
        r = self.ranking or ranking or default_ranking()
        names = shown(r)
        rows = range(max(0, start), min(end, len(self.ids)))
        weighted = contributions(self.points[rows.start : rows.stop], r)

        def per_name(values) -> dict[str, float]:
            return {name: float(v) for name, v in zip(NAMES, values, strict=True) if name in names}

        return [
            Scored(
                id=int(self.ids[i]),
                author_id=int(self.authors[i]),
                created_at=float(self.created[i]),
                base_score=float(self.base[i]),
                seen=bool(self.seen[i]),
                points=per_name(self.points[i]),
                diversity=float(self.diversity[i]),
                score=float(self.score[i]),
                contributions=per_name(weighted[j]),
            )
            for j, i in enumerate(rows)
        ]

    @property
    def ranked(self) -> list[Scored]:
        return self.page(0, len(self.ids))


def ranked_snapshot(c: Candidates, v: Viewer, r: Ranking, now: datetime) -> Snapshot:
    """Score and diversify hydrated candidates: the pure part of the pipeline."""
    scores, ranked = rank(c, v, r, now.timestamp())
    o = ranked.order
    return Snapshot(
        ids=c.post_id[o],
        authors=c.author_id[o],
        created=c.created_at[o],
        base=scores.base[o],
        seen=c.seen[o],
        diversity=ranked.diversity,
        score=ranked.score,
        points=scores.points[o],
        count=len(c),
        count_exact=True,
        built_at=now,
        ranking=r,
    )


def ranking_statement(
    viewer: Viewer, p: Plan, *, unseen: bool, since: datetime, social_proof: bool
) -> tuple[str, list]:
    """Sources, hydration of their candidates and the feed's count, as one SQL statement.

    The viewer's feed is written once, as the common table expression `f` that is not
    materialized: source A, the hydration (which reads every candidate through it) and the
    count are each planned against the post table and its indexes. The text depends on
    the plan's modes, `unseen` and which features are needed, never on the viewer, whose
    id and boost moment are parameters; rows are in COLUMNS order, then count_sql's two.
    """
    sql = (
        "WITH mine AS MATERIALIZED (SELECT collective_id FROM collective_collectivemember "
        f"WHERE user_id = %(v)s), f AS NOT MATERIALIZED ({feed_sql(unseen=unseen)}), "
        f"c AS MATERIALIZED ({sources.candidates_sql(p)}) "
        + live_features_sql(
            social_proof=social_proof,
            artist=bool(viewer.preferred_artist_types),
            extra=count_sql(),
        )
    )
    return named(
        sql,
        {
            "v": viewer.user_id,
            "accepted": UserFellow.Status.ACCEPTED.value,
            "since": connection.ops.adapt_datetimefield_value(since),
        },
    )


def build_snapshot(
    r: Ranking,
    viewer: Viewer,
    now: datetime,
    *,
    fellow_count: int,
    collective_count: int,
    unseen: bool = False,
) -> Snapshot:
    """Rank the viewer's candidates and measure which prefix of the ranking is exact."""
    p = sources.plan(r, fellow_count=fellow_count, collective_count=collective_count)
    sql, params = ranking_statement(
        viewer,
        p,
        unseen=unseen,
        since=sources.boost_since(r, now),
        social_proof=r.weight_social_proof > 0,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    c = Candidates.from_rows(rows)
    snapshot = ranked_snapshot(c, viewer, r, now)
    if len(c) < p.budget:
        # Source A held the whole feed: everything is ranked, nothing is left out.
        snapshot.exact_top = len(c)
        return snapshot

    newest = np.lexsort((-c.post_id, -c.created_at))
    oldest_a = newest[p.budget - 1]
    snapshot.tail_after = (
        datetime.fromtimestamp(c.created_at[oldest_a], tz=now.tzinfo),
        int(c.post_id[oldest_a]),
    )
    snapshot.tail_skip = [int(i) for i in c.post_id[newest[p.budget :]]]
    bound = score_bound(
        r,
        viewer,
        p,
        c,
        now,
        oldest_a_created=float(c.created_at[oldest_a]),
        fellow_count=fellow_count,
        collective_count=collective_count,
    )
    above = snapshot.score > bound
    snapshot.exact_top = int(np.argmin(above)) if not above.all() else len(above)
    snapshot.score_bound = bound
    counted, estimate = rows[0][len(COLUMNS) :]
    snapshot.count, snapshot.count_exact = read_count(counted, estimate)
    return snapshot


def _exhausted(c: Candidates, mask: np.ndarray, key: np.ndarray, p: Plan) -> bool:
    """Did a per-member source return every post of its members? (no member reached
    `per_member` rows, and the source did not reach `side_budget`)"""
    if not mask.any():
        return True
    _, per = np.unique(key[mask], return_counts=True)
    return int(mask.sum()) < p.side_budget and int(per.max()) < p.per_member


def score_bound(
    r: Ranking,
    v: Viewer,
    p: Plan,
    c: Candidates,
    now: datetime,
    *,
    oldest_a_created: float,
    fellow_count: int,
    collective_count: int,
) -> float:
    """An upper bound on the final score of any feed post that is not a candidate.

    Such a post is older than every post of A, so its recency is at most that of A's oldest.
    Every other component may reach its ceiling, except where a source provably returned
    all the posts that carry it: then a left-out post cannot carry it either.
    """
    ceiling = {comp.name: comp.ceiling(r) for comp in COMPONENTS}
    hours = max(0.0, (now.timestamp() - oldest_a_created) / 3600.0)
    ceiling["recency"] = r.recency_points * math.exp(-hours / r.recency_decay_hours)
    fresh_decay = math.exp(-hours / r.fellow_fresh_decay_hours)
    ceiling["fellow_fresh"] = r.fellow_fresh_points * fresh_decay  # older than A's oldest
    if fellow_count == 0:
        ceiling["social"] = ceiling["fellow_fresh"] = ceiling["social_proof"] = 0.0
    elif p.members_exhaustive and not p.fellows_dense:
        if _exhausted(c, c.is_fellow, c.author_id, p):
            ceiling["social"] = ceiling["fellow_fresh"] = 0.0
    if not c.in_collective.any() and collective_count == 0:
        ceiling["collective"] = 0.0
    elif p.members_exhaustive and not p.collectives_dense:
        if _exhausted(c, c.in_collective, c.collective_id, p):
            ceiling["collective"] = 0.0
    if not v.type_appreciations:  # never appreciated anything: no author affinity at all
        ceiling["interaction"] = ceiling["recent_boost"] = 0.0
    ceiling["post_type"] = max(post_type_points(v, r).values(), default=0.0)
    if not v.preferred_artist_types:
        ceiling["artist_type"] = 0.0
    return float(contributions(np.array([ceiling[name] for name in NAMES]), r).sum())


def build_for(user_id: int, r: Ranking, now: datetime, *, unseen: bool = False) -> Snapshot:
    """Read the viewer's inputs from the database (no cache) and build their snapshot."""
    fellow_count, collective_count = relation_counts(user_id)
    return build_snapshot(
        r,
        viewer_profile(user_id),
        now,
        fellow_count=fellow_count,
        collective_count=collective_count,
        unseen=unseen,
    )
