"""Reads of notifications: the ones a user should see, newest first."""

from django.db.models import Q, QuerySet

from atelier.core.models import Block, User
from atelier.notification.models import Notification


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    """Return the notifications addressed to `user` that still make sense to show.

    Left out: those about a deleted post, and those from someone blocked either way
    (a block hides the two people from each other). Blocks are IN subqueries, so this
    stays one query whatever the number of blocks.
    """
    blocked = Block.objects.filter(blocker=user).values("blocked_id")
    blockers = Block.objects.filter(blocked=user).values("blocker_id")
    return (
        Notification.objects.filter(notified_to=user)
        .filter(Q(post__isnull=True) | Q(post__is_deleted=False))
        .exclude(actor_id__in=blocked)
        .exclude(actor_id__in=blockers)
    )


def notification_list(*, user: User, unread_only: bool = False, limit: int = 50) -> list:
    """Return at most `limit` of the user's notifications, newest first, actors joined."""
    qs = notifications_visible_to(user)
    if unread_only:
        qs = qs.filter(is_read=False)
    return list(qs.select_related("actor").order_by("-notified_at", "-id")[:limit])


def unread_count(*, user: User) -> int:
    """Return how many of the user's visible notifications are unread."""
    return notifications_visible_to(user).filter(is_read=False).count()
