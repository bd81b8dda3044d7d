"""Collectives the collective tests share, built through the services like the API does."""

import pytest

from atelier.collective.models import Collective
from atelier.collective.services import collective_create, collective_member_add
from atelier.core.tests.conftest import feed_bumps  # noqa: F401  (test_preferences.py)


@pytest.fixture
def inkers(ana, ben):
    """Inkers: public; ana is its admin, ben a plain member."""
    collective = collective_create(creator=ana, name="Inkers", visibility="public")
    collective_member_add(collective=collective, user=ben)
    return collective


@pytest.fixture
def vault(ana, ben):
    """The Vault: private; ana is its admin, ben a plain member. Cleo is not in it."""
    collective = collective_create(creator=ana, name="The Vault", visibility="private")
    collective_member_add(collective=collective, user=ben)
    return collective


def counted_members(collective: Collective) -> tuple[int, int]:
    """Return (the denormalised counter, the real number of memberships)."""
    collective.refresh_from_db()
    return collective.members_count, collective.members.count()
