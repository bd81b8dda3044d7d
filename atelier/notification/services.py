"""Writes of notifications."""

from django.db import connection
from django.utils import timezone

from atelier.notification.models import Notification
from atelier.notification.selectors import notifications_visible_to


def notification_create(*, recipient_id: int, actor_id: int, kind: str, post_id=None) -> None:
    """Notify `recipient_id`; acting on your own things notifies nobody.

    At most one *unread* notification per (actor, kind, post): a repeat refreshes its time
    (it moves back to the top) rather than adding another, so toggling an appreciation
    cannot spam its author. Once read, the next one is new. For a post, one INSERT ... ON
    CONFLICT DO UPDATE against the partial unique constraint does it, concurrent repeats
    included (the loser refreshes the winner's row).
    """
    if recipient_id == actor_id:
        return
    now = timezone.now()
    if post_id is None:
        # Fellow kinds have no post. NULLs are distinct in the unique constraint, so it can
        # never reject these rows (no savepoint needed): refresh the unread one, or add one.
        same = Notification.objects.filter(
            notified_to_id=recipient_id, actor_id=actor_id, kind=kind, post=None, is_read=False
        )
        if not same.update(notified_at=now):
            Notification.objects.create(notified_to_id=recipient_id, actor_id=actor_id, kind=kind)
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        # The conflict target names the columns and the condition of the constraint
        # notif_one_unread_per_subject (models.py), as both databases require for a
        # partial unique index.
        cursor.execute(
            f"INSERT INTO {table} (notified_to_id, actor_id, kind, post_id, is_read, notified_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (notified_to_id, actor_id, kind, post_id) WHERE NOT is_read "
            "DO UPDATE SET notified_at = excluded.notified_at",
            [
                recipient_id,
                actor_id,
                str(kind),  # the value, also for a TextChoices member
                post_id,
                False,
                connection.ops.adapt_datetimefield_value(now),
            ],
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
