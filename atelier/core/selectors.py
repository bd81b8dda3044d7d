"""Reads about users and their relations: fellows and blocks."""

from django.db.models import Q

from atelier.core.models import Block, User, UserFellow


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


def is_blocked_either_way(a_id: int, b_id: int) -> bool:
    """Return True if either user blocked the other."""
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def fellows_of(user_id: int):
    """Return a QuerySet of the fellows of `user_id`, by username."""
    return User.objects.filter(id__in=fellow_ids(user_id)).order_by("username")
