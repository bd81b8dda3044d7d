"""The per-user inputs of the ranking, gathered before scoring; live or "as of" a past moment."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, CharField, Count, F, Max, Q, Value, When

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


_RELATION_KINDS = {"f": "fellow_ids", "c": "collective_ids", "b": "blocked_ids", "m": "muted"}


def relations_of(user_id: int, as_of: datetime | None = None) -> dict[str, set[int]]:
    """Fellows, collectives, blocks (either way) and muted collectives, in one query.

    Accepted fellows (either direction), memberships, blocks (either way) and mutes, as
    one UNION ALL of (kind, id) pairs, so a feed request after a bump does not pay one
    round trip per relation.
    """

    def tagged(qs, kind: str, other):
        return qs.order_by().annotate(k=Value(kind, output_field=CharField()), i=other)

    def other_side(mine: str, theirs: str):
        return Case(When(**{mine: user_id}, then=F(theirs)), default=F(mine))

    fellows = UserFellow.objects.filter(
        Q(user_id=user_id) | Q(fellow_user_id=user_id), status=UserFellow.Status.ACCEPTED
    )
    members = CollectiveMember.objects.filter(user_id=user_id)
    if as_of is not None:
        fellows = fellows.filter(created_at__lte=as_of)
        members = members.filter(joined_at__lte=as_of)
    parts = [
        tagged(fellows, "f", other_side("user_id", "fellow_user_id")),
        tagged(members, "c", F("collective_id")),
        tagged(
            Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)),
            "b",
            other_side("blocker_id", "blocked_id"),
        ),
        tagged(
            UserPreference.muted_collectives.through.objects.filter(
                userpreference__user_id=user_id
            ),
            "m",
            F("collective_id"),
        ),
    ]
    rows = (
        parts[0]
        .values_list("k", "i")
        .union(*[p.values_list("k", "i") for p in parts[1:]], all=True)
    )
    found: dict[str, set[int]] = {name: set() for name in _RELATION_KINDS.values()}
    for kind, other in rows:
        found[_RELATION_KINDS[kind]].add(other)
    return found


def appreciation_stats(
    user_id: int, as_of: datetime | None = None
) -> tuple[dict[int, int], dict[int, datetime], dict[str, int]]:
    """My appreciations per author (count, latest) and per post type, in one grouped query."""
    rows = Appreciation.objects.filter(user_id=user_id)
    if as_of is not None:
        rows = rows.filter(created_at__lte=as_of)
    grouped = (
        rows.order_by()
        .values_list("post_author_id", "post_type")
        .annotate(n=Count("id"), latest=Max("created_at"))
    )
    counts: dict[int, int] = {}
    latest: dict[int, datetime] = {}
    types: dict[str, int] = {}
    for author, post_type, n, at in grouped:
        counts[author] = counts.get(author, 0) + n
        if author not in latest or at > latest[author]:
            latest[author] = at
        types[post_type] = types.get(post_type, 0) + n
    return counts, latest, types


def gather_inputs(user_id: int, as_of: datetime | None = None) -> FeedInputs:
    """Read every input from the database (no cache, three queries); `as_of` restricts to
    what was known then.

    Blocks, mutes and preferences carry no history, so they are read as they are now.
    """
    relations = relations_of(user_id, as_of)
    counts, latest, types = appreciation_stats(user_id, as_of)
    lists = (
        UserPreference.objects.filter(user_id=user_id)
        .values_list("preferred_post_types", "preferred_artist_types")
        .first()
    )
    post_types, artist_types = lists or ([], [])
    return FeedInputs(
        user_id=user_id,
        fellow_ids=relations["fellow_ids"],
        collective_ids=relations["collective_ids"],
        blocked_ids=relations["blocked_ids"],
        muted_collective_ids=relations["muted"],
        preferred_post_types=list(post_types),
        preferred_artist_types=list(artist_types),
        author_interactions=counts,
        author_latest=latest,
        type_interactions=types,
    )
