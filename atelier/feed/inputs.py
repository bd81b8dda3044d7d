"""The per-user inputs of the ranking, gathered before scoring; live or "as of" a past moment."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Q

from atelier.collective.models import CollectiveMember
from atelier.core.models import Block, UserFellow, UserPreference
from atelier.post.models import Appreciation


@dataclass
class FeedInputs:
    """Everything about the viewer that the formula needs, as plain values (cacheable)."""

    user_id: int
    fellow_ids: set[int] = field(default_factory=set)
    collective_ids: set[int] = field(default_factory=set)
    blocked_ids: set[int] = field(default_factory=set)
    muted_collective_ids: set[int] = field(default_factory=set)
    preferred_post_types: list[str] = field(default_factory=list)
    preferred_artist_types: list[str] = field(default_factory=list)
    # author id -> hearts + praise + trophies I gave to that author's posts
    author_interactions: dict[int, int] = field(default_factory=dict)
    # author id -> when I last appreciated one of their posts
    author_latest: dict[int, datetime] = field(default_factory=dict)
    # post type -> my hearts + praise + trophies on posts of that type
    type_interactions: dict[str, int] = field(default_factory=dict)


def fellows_as_of(user_id: int, as_of: datetime | None = None) -> set[int]:
    rows = UserFellow.objects.filter(
        Q(user_id=user_id) | Q(fellow_user_id=user_id), status=UserFellow.Status.ACCEPTED
    )
    if as_of is not None:
        rows = rows.filter(created_at__lte=as_of)
    return {b if a == user_id else a for a, b in rows.values_list("user_id", "fellow_user_id")}


def collectives_as_of(user_id: int, as_of: datetime | None = None) -> set[int]:
    rows = CollectiveMember.objects.filter(user_id=user_id)
    if as_of is not None:
        rows = rows.filter(joined_at__lte=as_of)
    return set(rows.values_list("collective_id", flat=True))


def blocks_of(user_id: int) -> set[int]:
    rows = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id))
    return {b if a == user_id else a for a, b in rows.values_list("blocker_id", "blocked_id")}


def preferences_of(user_id: int) -> tuple[list[str], list[str], set[int]]:
    """Return (preferred post types, preferred artist types, muted collective ids)."""
    pref = UserPreference.objects.filter(user_id=user_id).first()
    if pref is None:
        return [], [], set()
    muted = set(pref.muted_collectives.values_list("id", flat=True))
    return list(pref.preferred_post_types), list(pref.preferred_artist_types), muted


def interaction_stats(
    user_id: int, as_of: datetime | None = None
) -> tuple[dict[int, int], dict[int, datetime], dict[str, int]]:
    """Return per-author counts, per-author latest time and per-type counts of my appreciations."""
    rows = Appreciation.objects.filter(user_id=user_id)
    if as_of is not None:
        rows = rows.filter(created_at__lte=as_of)
    per_author = rows.values("post_author_id").annotate(n=Count("id"), latest=Max("created_at"))
    counts = {r["post_author_id"]: r["n"] for r in per_author}
    latest = {r["post_author_id"]: r["latest"] for r in per_author}
    per_type = rows.values("post__post_type").annotate(n=Count("id"))
    types = {r["post__post_type"]: r["n"] for r in per_type}
    return counts, latest, types


def gather_inputs(user_id: int, as_of: datetime | None = None) -> FeedInputs:
    """Read every input from the database (no cache); `as_of` restricts to what was known then.

    Blocks, mutes and preferences carry no history, so they are read as they are now.
    """
    counts, latest, types = interaction_stats(user_id, as_of)
    post_types, artist_types, muted = preferences_of(user_id)
    return FeedInputs(
        user_id=user_id,
        fellow_ids=fellows_as_of(user_id, as_of),
        collective_ids=collectives_as_of(user_id, as_of),
        blocked_ids=blocks_of(user_id),
        muted_collective_ids=muted,
        preferred_post_types=post_types,
        preferred_artist_types=artist_types,
        author_interactions=counts,
        author_latest=latest,
        type_interactions=types,
    )
