"""Writes of notifications."""

from atelier.notification.models import Notification
from atelier.notification.selectors import notifications_visible_to


def notification_create(*, recipient_id: int, actor_id: int, kind: str, post_id=None) -> None:
    """Record a notification for `recipient_id`; acting on your own things notifies nobody."""
    if recipient_id == actor_id:
        return
    Notification.objects.create(
        notified_to_id=recipient_id, actor_id=actor_id, kind=kind, post_id=post_id
    )


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (only `ids` when given, all when None).

    Ids of other users' notifications, and of ones the list hides, are ignored. Return
    how many went from unread to read. One UPDATE, so it is atomic on its own.
    """
    qs = notifications_visible_to(user).filter(is_read=False)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(is_read=True)
