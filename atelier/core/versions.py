"""The per-user version counters that name every cached feed, and the one way to bump them.

They live on `core.User` (`feed_version`, `relations_version`) so that every write, from
any app, can move them in its own transaction without knowing the feed: core is the
ground and imports no other app. Why the bump must sit inside the write's transaction is
argued in atelier/feed/versions.py, which reads them.
"""

from django.db.models import F

from atelier.core.models import User


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
