"""Reads about collectives and memberships."""

from django.db.models import Q, QuerySet

from atelier.collective.models import Collective, CollectiveMember


def member_collective_ids(user_id: int) -> set[int]:
    """Return the ids of the collectives `user_id` belongs to."""
    return set(
        CollectiveMember.objects.filter(user_id=user_id).values_list("collective_id", flat=True)
    )


def visible_collectives(user) -> QuerySet[Collective]:
    """Return the collectives `user` may see: every public one and those they belong to."""
    if not user.is_authenticated:
        return Collective.objects.filter(visibility=Collective.Visibility.PUBLIC)
    return Collective.objects.filter(
        Q(visibility=Collective.Visibility.PUBLIC) | Q(members__user=user)
    ).distinct()


def membership(user_id: int, collective_id: int) -> CollectiveMember | None:
    """Return the membership of `user_id` in `collective_id`, or None."""
    return CollectiveMember.objects.filter(user_id=user_id, collective_id=collective_id).first()
