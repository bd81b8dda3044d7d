"""Writes of notifications."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from atelier.notification.models import Notification
from atelier.notification.selectors import notifications_visible_to


def notification_create(*, recipient_id: int, actor_id: int, kind: str, post_id=None) -> None:
    """Notify `recipient_id`; acting on your own things notifies nobody.

    At most one *unread* notification per (actor, kind, post): a repeat refreshes its time
    (it moves back to the top) rather than adding another, so toggling an appreciation
    cannot spam its author. Once read, the next one is new. A partial unique constraint
    settles concurrent repeats; the loser refreshes the winner's row.
    """
    if recipient_id == actor_id:
        return
    same = Notification.objects.filter(
        notified_to_id=recipient_id, actor_id=actor_id, kind=kind, post_id=post_id, is_read=False
    )
    if same.update(notified_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            Notification.objects.create(
                notified_to_id=recipient_id, actor_id=actor_id, kind=kind, post_id=post_id
            )
    except IntegrityError:  # a concurrent repeat inserted it first
        same.update(notified_at=timezone.now())


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (only `ids` when given, all when None).

    Ids of other users' notifications, and of ones the list hides, are ignored. Return
    how many went from unread to read. One UPDATE, so it is atomic on its own.
    """
    qs = notifications_visible_to(user).filter(is_read=False)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(is_read=True)
