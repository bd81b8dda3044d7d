"""The ranking's components, written once: points, ceiling, label, description, reason.

Read it next to docs/api.md's table (and docs/ranking.md). Every other place derives from
`COMPONENTS`: the scorer (`atelier/feed/scorer.py`) computes each `weight x points` (the
component's contribution) and sums them, the candidate bound uses `ceiling`,
`GET /api/feed/weights/` and the page's bars use `label`, `description` and `ceiling`, and
`explain=true` picks its `reason` from the component contributing most. Every reason a
person reads about a post, including those of posts that carry no score, is written here.

A component's `points` is a pure function over the hydrated candidates (NumPy arrays, one
row per post; see `Candidates`) and the viewer, at the moment `now` (epoch seconds).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from atelier.feed.config import Ranking
from atelier.feed.features import Candidates, Viewer

HOUR = 3600.0
DAY = 86400.0


def _recency(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    hours_old = (now - c.created_at) / HOUR
    return r.recency_points * np.exp(-hours_old / r.recency_decay_hours)


def _social(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    return np.where(c.is_fellow, r.social_points, 0.0)


def _interaction(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    return np.minimum(r.interaction_points_each * c.author_appreciations, r.interaction_cap)


# Engagement's reactions: the candidates' counter, and the Ranking field that says how many
# points one of them is worth (docs/api.md's hearts + 2*praise + 5*trophies + 0.5*comments).
ENGAGEMENT_REACTIONS: tuple[tuple[str, str], ...] = (
    ("hearts", "engagement_per_heart"),
    ("praise", "engagement_per_praise"),
    ("trophies", "engagement_per_trophy"),
    ("comments", "engagement_per_comment"),
)


def engagement_raw(c: Candidates, r: Ranking) -> np.ndarray:
    """The reactions on each post, each times its configured points, before the cap."""
    raw = np.zeros(len(c), dtype=np.float64)
    for counter, per in ENGAGEMENT_REACTIONS:
        raw = raw + getattr(r, per) * getattr(c, counter)
    return raw


def _engagement(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    return np.minimum(engagement_raw(c, r), r.engagement_cap)


def _collective(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    return np.where(c.in_collective, r.collective_points, 0.0)


def post_type_points(v: Viewer, r: Ranking) -> dict[str, float]:
    """Points per post type: my top N types min(n, cap); a preferred type the full points.

    Ties among equally-used types are broken by type name, so the choice is deterministic.
    """
    used = sorted(((n, t) for t, n in v.type_appreciations if n > 0), key=lambda x: (-x[0], x[1]))
    points = {t: min(float(n), r.post_type_cap) for n, t in used[: r.post_type_top_n]}
    for t in v.preferred_post_types:
        points[t] = r.preferred_post_type_points
    return points


def _post_type(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    out = np.zeros(len(c), dtype=np.float64)
    for post_type, points in post_type_points(v, r).items():
        out[c.post_type == post_type] = points
    return out


def _recent_boost(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    days = (now - c.author_last) / DAY  # NaN where I never appreciated the author
    with np.errstate(invalid="ignore"):
        within = days < r.recent_boost_days
    return np.where(within, r.recent_boost_points * (1.0 - days / r.recent_boost_days), 0.0)


def _artist_type(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    preferred = np.isin(c.artist_type, list(v.preferred_artist_types))
    return np.where(preferred, r.artist_type_points, 0.0)


def _fellow_fresh(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    hours_old = (now - c.created_at) / HOUR
    fresh = r.fellow_fresh_points * np.exp(-hours_old / r.fellow_fresh_decay_hours)
    return np.where(c.is_fellow, fresh, 0.0)


def _social_proof(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    return np.minimum(r.social_proof_points_each * c.fellows_engaged, r.social_proof_cap)


def _conversation(c: Candidates, v: Viewer, r: Ranking, now: float) -> np.ndarray:
    return np.minimum(r.conversation_points_each * c.author_comments, r.conversation_cap)


@dataclass(frozen=True)
class Component:
    """One term of the score: `weight x points`, with what a person reads about it."""

    name: str  # the `score_breakdown` key; its weight is Ranking.weight_<name>
    points: Callable[[Candidates, Viewer, Ranking, float], np.ndarray]
    ceiling: Callable[[Ranking], float]  # the most points it can give
    label: str
    description: str
    # The sentence `explain=true` gives when this component explains a post ({author},
    # {collective}, {fellows}); None: it never does.
    reason: str | None = None
    # In docs/api.md's table: always in `score_breakdown`. The others appear there only when
    # the configuration gives them a weight, so the default answer is exactly docs/api.md's.
    in_api: bool = True
    # A signal about the viewer's own relations and tastes. A post is explained by its
    # strongest personal contribution; only a post with none by the others (popularity or
    # freshness).
    personal: bool = True


COMPONENTS: tuple[Component, ...] = (
    Component(
        "recency",
        _recency,
        lambda r: r.recency_points,
        "Freshness",
        "New posts score higher; the points fade over a day or two.",
        "New",
        personal=False,
    ),
    Component(
        "social",
        _social,
        lambda r: r.social_points,
        "Fellow",
        "The author is one of your fellows.",
        "From your fellow {author}",
    ),
    Component(
        "interaction",
        _interaction,
        lambda r: r.interaction_cap,
        "Your appreciation",
        "How often you gave hearts, praise and trophies to this author's work.",
        "You often appreciate {author}'s work",
    ),
    Component(
        "engagement",
        _engagement,
        lambda r: r.engagement_cap,
        "Popularity",
        "Hearts, praise, trophies and comments on this post.",
        "Popular right now",
        personal=False,
    ),
    Component(
        "collective",
        _collective,
        lambda r: r.collective_points,
        "Your collective",
        "Posted in a collective you belong to.",
        "In your collective {collective}",
    ),
    Component(
        "post_type",
        _post_type,
        lambda r: max(r.post_type_cap, r.preferred_post_type_points),
        "Kind of post",
        "A kind of post you often appreciate or said you prefer.",
        "A kind of post you enjoy",
    ),
    Component(
        "recent_boost",
        _recent_boost,
        lambda r: r.recent_boost_points,
        "Recently appreciated",
        "You appreciated this author in the past week.",
        "You recently appreciated {author}'s work",
    ),
    Component(
        "artist_type",
        _artist_type,
        lambda r: r.artist_type_points,
        "Kind of artist",
        "By a kind of artist you said you prefer.",
        "By {author}, a kind of artist you prefer",
    ),
    # Beyond docs/api.md's table: weight 0 by default (see RankingConfig), learned by `atelier
    # evaluate --tune`; each earned its place on held-out data (docs/evaluation.md).
    Component(
        "fellow_fresh",
        _fellow_fresh,
        lambda r: r.fellow_fresh_points,
        "New from a fellow",
        "A fellow's post, counting less as it ages.",
        "New from your fellow {author}",
        in_api=False,
    ),
    Component(
        "social_proof",
        _social_proof,
        lambda r: r.social_proof_cap,
        "Your fellows engaged",
        "How many of your fellows appreciated or commented on this post.",
        "{fellows} of your fellows engaged with this",
        in_api=False,
    ),
    Component(
        "conversation",
        _conversation,
        lambda r: r.conversation_cap,
        "Your conversations",
        "How often you commented on this author's work.",
        "You often comment on {author}'s work",
        in_api=False,
    ),
)
NAMES: tuple[str, ...] = tuple(c.name for c in COMPONENTS)
BY_NAME: dict[str, Component] = {c.name: c for c in COMPONENTS}


def shown(r: Ranking) -> tuple[str, ...]:
    """The components a breakdown shows under `r`: docs/api.md's, and any other with a weight."""
    return tuple(c.name for c in COMPONENTS if c.in_api or r.weight(c.name) > 0)


def ceilings(r: Ranking) -> dict[str, float]:
    return {c.name: float(c.ceiling(r)) for c in COMPONENTS}


# The reasons of posts the components do not explain.
OWN_POST_REASON = "Your own post"
# A post past the ranked candidates, served newest first with a null score.
UNSCORED_REASON = "Older post, shown newest first"
# Every post of a newest-first (chronological) page.
CHRONOLOGICAL_REASON = "Newest first"


def reason_for(
    contributions: dict[str, float],
    points: dict[str, float],
    r: Ranking,
    *,
    author: str,
    collective: str | None,
) -> str:
    """One short sentence naming the strongest personal signal behind a post.

    `contributions` are the post's `weight x points` (the scorer's), `points` its points
    (social proof's count of fellows is read from them). Without a personal contribution,
    popularity or freshness, whichever contributes more (freshness on a tie).
    """

    def given(c: Component) -> float:
        return contributions.get(c.name, 0.0)

    with_reason = [
        c for c in COMPONENTS if c.reason and (collective or "{collective}" not in c.reason)
    ]
    personal = [c for c in with_reason if c.personal and given(c) > 0]
    # max() keeps the first of equals: the table's order breaks ties.
    best = max(personal or [c for c in with_reason if not c.personal], key=given)
    fellows = round(points.get("social_proof", 0.0) / (r.social_proof_points_each or 1.0))
    return best.reason.format(author=author, collective=collective, fellows=fellows)
