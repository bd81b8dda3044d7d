"""The version counters that name every cached feed, and the one way to bump each.

The per-user ones live on `core.User` (`feed_version`, `relations_version`) so that every
write, from any app, can move them in its own transaction without knowing the feed: core
is the ground and imports no other app. Why the bump must sit inside the write's
transaction is argued in atelier/feed/versions.py, which reads them.

The visibility epoch (`core.VisibilityEpoch`, one row) is the global one: a moderation
change to what anyone may see moves it (`visibility_changed`), and with it the name of
every viewer's ranked snapshot.
"""

from django.db.models import F

from atelier.core.models import User, VisibilityEpoch

EPOCH_ROW = 1


def bump(*user_ids: int | None, relations: bool = False) -> None:
    """Move the users' feed version on (and their relations version with `relations`).

    Call it inside the transaction of the change; rows are updated in id order, so two
    transactions bumping the same users cannot deadlock on each other.
    """
    ids = sorted({uid for uid in user_ids if uid is not None})
    if not ids:
        return
    changes = {"feed_version": F("feed_version") + 1}
    if relations:
        changes["relations_version"] = F("relations_version") + 1
    User.objects.filter(id__in=ids).update(**changes)


def ranking_inputs_changed(*user_ids: int | None, relations: bool = False) -> None:
    """Retire the users' cached rankings: bump their feed version in this transaction.

    `relations=True` says the change touched a building block too (fellows, collectives,
    blocks, mutes, preferences), which a heart or a hide does not. The bump commits or
    rolls back with the change itself, so a concurrent reader either sees the old data
    under the old version or the new data under the new one.
    """
    bump(*user_ids, relations=relations)


def read(user_id: int) -> tuple[int, int]:
    """The user's (feed version, relations version) as committed now (one query)."""
    row = User.objects.filter(id=user_id).values_list("feed_version", "relations_version")
    return row.get()


def visibility_changed() -> None:
    """Retire every viewer's cached ranking: move the visibility epoch on, in this transaction.

    Call it inside the transaction of any moderation change that hides or shows content to
    others (a removal or restore, a suspension, a limit, their reversals, a target held or
    released): the epoch names every ranked snapshot, so once this commits, each viewer's
    next feed read rebuilds from the committed state, in any process, with Redis up or
    down. The row stays locked until the transaction ends (moderation actions queue on it,
    which is cheap for something this rare): call it last, after the target's own locks.
    """
    if VisibilityEpoch.objects.filter(pk=EPOCH_ROW).update(value=F("value") + 1):
        return
    # No row (a database flushed by a test): create it from the clock, which differs from
    # the 0 read meanwhile; a concurrent creator wins and this one moves it on.
    _, created = VisibilityEpoch.objects.get_or_create(pk=EPOCH_ROW)
    if not created:
        VisibilityEpoch.objects.filter(pk=EPOCH_ROW).update(value=F("value") + 1)


def visibility_epoch() -> int:
    """The visibility epoch as committed now (one primary-key read; 0 before any row)."""
    row = VisibilityEpoch.objects.filter(pk=EPOCH_ROW).values_list("value", flat=True)
    return row.first() or 0
