"""Which posts get scored: a bounded candidate set from index-backed sources, and its bound.

The candidate rule (also in the README, "How the feed is ranked"):

- A: the newest `budget` posts of the feed (index on created_at);
- B: the newest `budget/4` posts of my fellows (index on author, created_at);
- C: the newest `budget/4` posts of the authors I appreciate most (up to 50) and of every
  author I appreciated within the recent-boost window;
- D: the newest `budget/4` posts of my collectives (index on collective, created_at).

Everything in the union is ranked with the exact formula; the rest of the feed follows it,
newest first. What it can miss: an older post (older than all of A) that would still score
high, e.g. a very engaged old post from a stranger, or a fellow's post older than their
newest `budget/4`. `score_bound` is an upper bound on the score of any post left out, so
every ranked post scoring above it is provably in its exact place; when the whole feed fits
in A nothing is left out at all.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet

from atelier.feed.config import Ranking
from atelier.feed.inputs import FeedInputs
from atelier.feed.scoring import post_type_points, recent_boost_authors

TOP_AUTHORS = 50


@dataclass
class CandidatePlan:
    budget: int
    side_budget: int
    interaction_authors: set[int]


def plan(r: Ranking, inputs: FeedInputs, now: datetime) -> CandidatePlan:
    top = sorted(inputs.author_interactions.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_AUTHORS]
    authors = {a for a, _ in top} | set(recent_boost_authors(r, inputs, now))
    return CandidatePlan(
        budget=r.candidate_budget,
        side_budget=max(1, r.candidate_budget // 4),
        interaction_authors=authors,
    )


def _newest(qs: QuerySet, limit: int) -> QuerySet:
    return qs.order_by("-created_at", "-id").values("id")[:limit]


def candidate_queryset(feed: QuerySet, p: CandidatePlan, inputs: FeedInputs) -> QuerySet:
    """The feed restricted to the union of the sources, as one SQL query."""
    sources = [_newest(feed, p.budget)]
    if inputs.fellow_ids:
        sources.append(_newest(feed.filter(author_id__in_ids=inputs.fellow_ids), p.side_budget))
    if p.interaction_authors:
        sources.append(_newest(feed.filter(author_id__in_ids=p.interaction_authors), p.side_budget))
    if inputs.collective_ids:
        sources.append(
            _newest(feed.filter(collective_id__in_ids=inputs.collective_ids), p.side_budget)
        )
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: id IN (A UNION B ...) is a semi-join on the primary key; an OR of
        # IN-subqueries would make it scan the whole post table.
        union = sources[0].union(*sources[1:]) if len(sources) > 1 else sources[0]
        return feed.filter(id__in=union)
    # SQLite cannot slice inside UNION; the OR form is fine at the sizes SQLite serves.
    condition = Q()
    for source in sources:
        condition |= Q(id__in=source)
    return feed.filter(condition)


def score_bound(
    r: Ranking,
    inputs: FeedInputs,
    p: CandidatePlan,
    now: datetime,
    *,
    oldest_of_a: datetime,
    fellow_rows: int,
    author_rows: int,
    collective_rows: int,
) -> float:
    """An upper bound on the final score of any feed post that is not a candidate.

    Such a post is older than every post of A. A side source that returned fewer rows than
    its budget holds all its posts, so a left-out post cannot carry that source's signal.
    """
    hours = max(0.0, (now - oldest_of_a).total_seconds() / 3600.0)
    recency = r.recency_points * math.exp(-hours / r.recency_decay_hours)
    fellows_left = bool(inputs.fellow_ids) and fellow_rows >= p.side_budget
    authors_exhausted = author_rows < p.side_budget
    collectives_left = bool(inputs.collective_ids) and collective_rows >= p.side_budget

    def interaction_points(n: int) -> float:
        return min(r.interaction_points_each * n, r.interaction_cap)

    counts = inputs.author_interactions
    if authors_exhausted:
        counts = {a: n for a, n in counts.items() if a not in p.interaction_authors}
    interaction = max((interaction_points(n) for n in counts.values()), default=0.0)
    boost = 0.0 if authors_exhausted else (r.recent_boost_points if counts else 0.0)
    type_max = max(post_type_points(r, inputs).values(), default=0.0)
    return (
        r.weight_recency * recency
        + r.weight_social * (r.social_points if fellows_left else 0.0)
        + r.weight_interaction * interaction
        + r.weight_engagement * r.engagement_cap
        + r.weight_collective * (r.collective_points if collectives_left else 0.0)
        + r.weight_post_type * type_max
        + r.weight_recent_boost * boost
        + r.weight_artist_type * (r.artist_type_points if inputs.preferred_artist_types else 0.0)
    )
