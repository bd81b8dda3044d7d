"""The per-user versions that name every cached feed, kept in the database.

`feed_version` changes with any ranking input of the user (a heart, a hide, a new post of
theirs, a new fellow ...); `relations_version` only with the building blocks: fellows,
collectives, blocks, mutes and preferences. Both live on the user row: they are bumped with
one atomic UPDATE inside the transaction that makes the change (so a reader sees the new
data and the new version together, or neither), and read with the request at no extra cost.
A Redis stall therefore cannot lose a bump, and no process can serve a ranking cached
under a version older than the last committed change.

One more counter names every snapshot: the global visibility epoch, which a moderation
change to what anyone may see moves on (`core.versions.visibility_changed`), so every
viewer's next read rebuilds; it costs one primary-key read per personalized feed request.

The writer is core's (atelier/core/versions.py): any app bumps them inside its own
transaction without importing the feed, and the feed only reads them.
"""

from atelier.core.versions import bump, read, visibility_epoch  # noqa: F401  (writer, readers)


def of(user) -> tuple[int, int]:
    """(feed version, relations version) of a user loaded by this request."""
    return user.feed_version, user.relations_version


def calc_version(user_id: int) -> int:
    """The user's feed version as committed now."""
    return read(user_id)[0]
