"""The one way a write says "this user's ranking inputs changed": bump after commit."""

from django.db import transaction

from atelier.feed import cache as feed_cache


def ranking_inputs_changed(*user_ids: int) -> None:
    """After the current transaction commits, bump each user's calculation version.

    Bumping on commit (not before) means a concurrent reader cannot rebuild and cache a
    page from the old data under the new version. Outside a transaction it runs at once.
    """
    ids = sorted({uid for uid in user_ids if uid is not None})
    if not ids:
        return

    def bump() -> None:
        for uid in ids:
            feed_cache.bump_calc_version(uid)

    transaction.on_commit(bump)
