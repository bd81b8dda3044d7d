"""Reads about users: fellow relations, blocks, the sensitive-content preference (profiles
with their posts count are post's, post/profiles.py; preferences, which name collectives,
are collective's)."""

from django.db.models import Q, QuerySet

from atelier.core.api import MAX_ID, is_storable_id  # noqa: F401  (re-exported)
from atelier.core.models import Block, User, UserFellow, UserPreference


def fellow_ids(user_id: int) -> set[int]:
    """Return the ids of the users with an accepted fellow relation with `user_id`."""
    rows = UserFellow.objects.filter(
        Q(user_id=user_id) | Q(fellow_user_id=user_id), status=UserFellow.Status.ACCEPTED
    ).values_list("user_id", "fellow_user_id")
    return {b if a == user_id else a for a, b in rows}


def blocked_ids_either_way(user_id: int) -> set[int]:
    """Return the ids of users `user_id` blocked or who blocked `user_id`."""
    rows = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {b if a == user_id else a for a, b in rows}


def without_blocked(queryset: QuerySet, viewer_id: int | None, field: str) -> QuerySet:
    """Leave out of `queryset` the rows whose `field` (a user id) is blocked either way.

    A block hides the two people's content from each other: posts, galleries, comments,
    critiques. Two IN subqueries, so it stays one query whatever the number of blocks.
    """
    if viewer_id is None:
        return queryset
    blocked = Block.objects.filter(blocker_id=viewer_id).values("blocked_id")
    blockers = Block.objects.filter(blocked_id=viewer_id).values("blocker_id")
    return queryset.exclude(**{f"{field}__in": blocked}).exclude(**{f"{field}__in": blockers})


def blocks_between(a, b) -> QuerySet[Block]:
    """The blocks either of two users made of the other; `a` and `b` are ids or
    expressions (an OuterRef, to test a row with Exists)."""
    return Block.objects.filter(Q(blocker_id=a, blocked_id=b) | Q(blocker_id=b, blocked_id=a))


def is_blocked_either_way(a_id: int, b_id: int) -> bool:
    """Return True if either user blocked the other."""
    return blocks_between(a_id, b_id).exists()


def fellows_of(user_id: int):
    """Return a QuerySet of the fellows of `user_id`, by username."""
    return User.objects.filter(id__in=fellow_ids(user_id)).order_by("username")


def pair_relation_queryset(a_id: int, b_id: int) -> QuerySet[UserFellow]:
    """The (at most one) fellow relation between two users, whichever way it was requested."""
    return UserFellow.objects.filter(
        Q(user_id=a_id, fellow_user_id=b_id) | Q(user_id=b_id, fellow_user_id=a_id)
    )


def fellow_relation(viewer_id: int, other_id: int) -> str:
    """How `viewer_id` stands with `other_id`: "fellows", "sent" (a request of the viewer's
    waits), "received" (the other's request waits) or "none"."""
    pair = pair_relation_queryset(viewer_id, other_id).first()
    if pair is None:
        return "none"
    if pair.status == UserFellow.Status.ACCEPTED:
        return "fellows"
    if pair.status == UserFellow.Status.PENDING:
        return "sent" if pair.user_id == viewer_id else "received"
    return "none"


def pending_fellow_requests(user_id: int) -> QuerySet[UserFellow]:
    """Pending requests sent to or by `user_id`, newest first, without blocked counterparts."""
    blocked = blocked_ids_either_way(user_id)
    qs = UserFellow.objects.filter(
        Q(user_id=user_id) | Q(fellow_user_id=user_id), status=UserFellow.Status.PENDING
    )
    if blocked:
        qs = qs.exclude(user_id__in=blocked).exclude(fellow_user_id__in=blocked)
    return qs.order_by("-created_at", "-id")


def incoming_fellow_requests(user_id: int) -> QuerySet[UserFellow]:
    """Pending requests sent to `user_id`, newest first, with their senders; without
    blocked counterparts."""
    return pending_fellow_requests(user_id).filter(fellow_user_id=user_id).select_related("user")


def users_with_ids(ids: list[int]) -> QuerySet[User]:
    """The users among `ids`, by username (unknown ids are left out)."""
    return User.objects.filter(pk__in=ids).order_by("username", "id")


def blocked_by(user_id: int) -> list[int]:
    """Return the ids of the users `user_id` blocked, ascending."""
    return list(
        Block.objects.filter(blocker_id=user_id)
        .order_by("blocked_id")
        .values_list("blocked_id", flat=True)
    )


def shows_sensitive_content(user) -> bool:
    """Return True if `user` chose to see posts with a content warning unfolded (the
    preference `show_sensitive_content`); a visitor, or a member who never chose, gets the
    fold (docs/moderation.md, "Content warnings")."""
    if user is None or not user.is_authenticated:
        return False
    return UserPreference.objects.filter(user_id=user.id, show_sensitive_content=True).exists()
