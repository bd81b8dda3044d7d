"""Reads about users: profiles, fellow relations, blocks and preferences."""

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from atelier.collective.models import Collective, CollectiveMember
from atelier.core.api import MAX_ID, is_storable_id  # noqa: F401  (re-exported)
from atelier.core.models import Block, User, UserFellow, UserPreference
from atelier.post.models import Post


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


def _count_of(queryset) -> Coalesce:
    """Wrap `queryset` (filtered on an OuterRef) as a correlated COUNT subquery, 0 if none."""
    counted = queryset.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def user_profile_queryset() -> QuerySet[User]:
    """Users annotated with `fellows_count` (accepted relations) and `posts_count` (live posts)."""
    fellows = UserFellow.objects.filter(
        Q(user_id=OuterRef("pk")) | Q(fellow_user_id=OuterRef("pk")),
        status=UserFellow.Status.ACCEPTED,
    )
    posts = Post.objects.filter(author_id=OuterRef("pk"), is_deleted=False)
    return User.objects.annotate(fellows_count=_count_of(fellows), posts_count=_count_of(posts))


def get_user_profile(*, viewer: User, user_id: int) -> User:
    """Return the user `user_id` with its counts; Http404 if unknown or blocked either way.

    A block hides both people from each other, so the profile answers as if missing.
    """
    if not is_storable_id(user_id):
        raise Http404("No user matches the given query.")
    if user_id != viewer.id and is_blocked_either_way(viewer.id, user_id):
        raise Http404("No user matches the given query.")
    try:
        return user_profile_queryset().get(pk=user_id)
    except User.DoesNotExist:
        raise Http404("No user matches the given query.") from None


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


def collective_visible_to(user_id: int) -> Q:
    """A Collective filter: public, or one `user_id` belongs to (an IN subquery, no DISTINCT)."""
    mine = CollectiveMember.objects.filter(user_id=user_id).values("collective_id")
    return Q(visibility=Collective.Visibility.PUBLIC) | Q(pk__in=mine)


def preferences_of(user: User) -> dict:
    """Return the user's four preference lists (all empty when they never set any).

    Mutes of collectives the user can no longer see (a private one they left) are left
    out: they have no effect, and a client echoing GET into PUT must not get a 400.
    """
    preference = UserPreference.objects.filter(user=user).first()
    if preference is None:
        post_types, artist_types, muted = [], [], []
    else:
        post_types = list(preference.preferred_post_types)
        artist_types = list(preference.preferred_artist_types)
        muted = list(
            preference.muted_collectives.filter(collective_visible_to(user.id))
            .order_by("id")
            .values_list("id", flat=True)
        )
    return {
        "preferred_post_types": post_types,
        "preferred_artist_types": artist_types,
        "muted_collectives": muted,
        "blocked_users": blocked_by(user.id),
    }
