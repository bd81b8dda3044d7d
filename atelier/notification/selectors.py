"""Reads of notifications: the ones a user should see, newest first."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from atelier.core.models import Block, User
from atelier.notification.models import Notification
from atelier.post.models import Post
from atelier.post.visibility import hidden_members, visible_to


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    """Return the notifications addressed to `user` that still make sense to show.

    Left out: those about a post the user may no longer see (deleted, or in a collective
    they left: the one visibility rule, atelier/post/visibility.py), those from someone
    blocked either way (a block hides the two people from each other), and those from a
    suspended member or one held after reports (docs/moderation.md). Subqueries only,
    so this stays one query whatever the number of blocks or collectives.
    """
    blocked = Block.objects.filter(blocker=user).values("blocked_id")
    blockers = Block.objects.filter(blocked=user).values("blocker_id")
    post_visible = Exists(Post.objects.filter(visible_to(user), pk=OuterRef("post_id")))
    return (
        Notification.objects.filter(notified_to=user)
        .filter(Q(post__isnull=True) | post_visible)
        .exclude(actor_id__in=blocked)
        .exclude(actor_id__in=blockers)
        .exclude(actor_id__in=hidden_members(user.id))
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
