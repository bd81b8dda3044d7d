"""The one way a write says "this user's ranking inputs changed"."""

from atelier.feed import versions


def ranking_inputs_changed(*user_ids: int | None, relations: bool = False) -> None:
    """Retire the users' cached rankings: bump their feed version in this transaction.

    `relations=True` says the change touched a building block too (fellows, collectives,
    blocks, mutes, preferences), which a heart or a hide does not. The bump commits or
    rolls back with the change itself, so a concurrent reader either sees the old data
    under the old version or the new data under the new one.
    """
    versions.bump(*user_ids, relations=relations)
