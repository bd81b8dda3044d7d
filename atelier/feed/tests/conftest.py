"""Fixtures the feed tests share."""

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block, then the on-commit callbacks it queued, as a real
    commit would (a test's transaction never commits, so they would never run otherwise).

    Those callbacks are clean-ups after a write: dropping the cached ranking configuration
    (`save_ranking`) or rollout, deleting media files. The feed's versions are not among
    them: a write bumps them inside its own transaction (feed/versions.py), so a feed moves
    after a heart or a new fellow with or without this block.
    """

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
