"""The per-user versions that name every cached feed, kept in the database.

`feed_version` changes with any ranking input of the user (a heart, a hide, a new post of
theirs, a new fellow ...); `relations_version` only with the building blocks: fellows,
collectives, blocks, mutes and preferences. Both live on the user row: they are bumped with
one atomic UPDATE inside the transaction that makes the change (so a reader sees the new
data and the new version together, or neither), and read with the request at no extra cost.
A Redis stall therefore cannot lose a bump, and no process can serve a ranking cached
under a version older than the last committed change.
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


def of(user) -> tuple[int, int]:
    """(feed version, relations version) of a user loaded by this request."""
    return user.feed_version, user.relations_version


def read(user_id: int) -> tuple[int, int]:
    """The user's versions as committed now (one query)."""
    row = User.objects.filter(id=user_id).values_list("feed_version", "relations_version")
    return row.get()


def calc_version(user_id: int) -> int:
    """The user's feed version as committed now."""
    return read(user_id)[0]
