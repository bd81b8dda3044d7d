"""Fixtures the feed tests share."""

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs requests with their on-commit callbacks executed, as a real
    commit would: that is when the services bump the feed's calculation versions."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
