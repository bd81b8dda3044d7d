"""Writes of notifications."""

from atelier.notification.models import Notification


def notification_create(*, recipient_id: int, actor_id: int, kind: str, post_id=None) -> None:
    """Record a notification for `recipient_id`; acting on your own things notifies nobody."""
    if recipient_id == actor_id:
        return
    Notification.objects.create(
        notified_to_id=recipient_id, actor_id=actor_id, kind=kind, post_id=post_id
    )
