"""Fixtures for the core tests: watching feed invalidations."""

import pytest

from atelier.core.versions import read


def calc_version(user_id: int) -> int:
    return read(user_id)[0]


@pytest.fixture
def feed_bumps(django_capture_on_commit_callbacks):
    """Run a block of requests with on-commit callbacks executed; report whose feed was bumped.

    Usage: `with feed_bumps(ana, ben) as bumped: ...` then `bumped()` is the set of the
    watched user ids whose calculation version changed.
    """

    class Watch:
        def __init__(self, *users):
            self.ids = [u.id for u in users]

        def __enter__(self):
            self.before = {uid: calc_version(uid) for uid in self.ids}
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()
            return self.bumped

        def __exit__(self, *exc):
            return self.capture.__exit__(*exc)

        def bumped(self) -> set[int]:
            return {uid for uid in self.ids if calc_version(uid) != self.before[uid]}

    return Watch
