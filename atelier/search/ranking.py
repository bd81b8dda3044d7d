"""How matching posts are ordered: text relevance blended with freshness and engagement.

Defined once, here, as a pure function over the candidates (no database), for both
databases: the database gives each candidate its text relevance (PostgreSQL's `ts_rank`,
SQLite's `bm25`, both weighing a title hit 2.5 times a body hit), and

    score = 0.6 * text + 0.25 * freshness + 0.15 * engagement

- `text`: the candidate's relevance over the best among the candidates (0..1), so the
  two databases' different scales do not matter;
- `freshness`: 0.5 ** (age / 14 days): 1 for a post just made, 0.5 at two weeks;
- `engagement`: points / (points + 20), points = hearts + 2 x praise + 3 x trophies +
  comments + critiques: 0.5 at 20 points, approaching 1.

Ties go to the newer post. docs/search.md explains the choice of weights.
"""

import math
from dataclasses import dataclass
from datetime import datetime

TEXT_WEIGHT = 0.6
FRESHNESS_WEIGHT = 0.25
ENGAGEMENT_WEIGHT = 0.15
FRESHNESS_HALF_LIFE_HOURS = 14 * 24
ENGAGEMENT_HALF_POINTS = 20
REACTION_POINTS = {"hearts": 1, "praise": 2, "trophies": 3, "comments": 1, "critiques": 1}


@dataclass(frozen=True)
class Candidate:
    """A matching post, with what the blend reads."""

    id: int
    created_at: datetime
    relevance: float
    hearts: int = 0
    praise: int = 0
    trophies: int = 0
    comments: int = 0
    critiques: int = 0

    @property
    def points(self) -> int:
        return sum(getattr(self, name) * points for name, points in REACTION_POINTS.items())


def freshness(created_at: datetime, now: datetime) -> float:
    """1 for a post made now, halving every FRESHNESS_HALF_LIFE_HOURS (1 for the future)."""
    hours = max(0.0, (now - created_at).total_seconds() / 3600)
    return math.pow(0.5, hours / FRESHNESS_HALF_LIFE_HOURS)


def engagement(points: int) -> float:
    """0 for no reactions, 0.5 at ENGAGEMENT_HALF_POINTS, approaching 1."""
    points = max(0, points)
    return points / (points + ENGAGEMENT_HALF_POINTS)


def score(candidate: Candidate, *, best_relevance: float, now: datetime) -> float:
    """The blended score of one candidate (see the module's docstring)."""
    text = candidate.relevance / best_relevance if best_relevance > 0 else 0.0
    return (
        TEXT_WEIGHT * text
        + FRESHNESS_WEIGHT * freshness(candidate.created_at, now)
        + ENGAGEMENT_WEIGHT * engagement(candidate.points)
    )


def rank(candidates: list[Candidate], now: datetime) -> list[int]:
    """The candidates' ids, best first (ties: newer first, then the higher id)."""
    best = max((c.relevance for c in candidates), default=0.0)
    scored = [(score(c, best_relevance=best, now=now), c.created_at, c.id) for c in candidates]
    scored.sort(reverse=True)
    return [post_id for _, _, post_id in scored]
