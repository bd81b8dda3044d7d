"""POST /api/collectives/{id}/leave/: leaving, idempotently, and handing over the admin role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from atelier.collective.models import Collective, CollectiveMember
from atelier.collective.services import collective_member_add
from atelier.collective.tests.conftest import counted_members
from atelier.core import versions
from atelier.core.tests.factories import UserFactory


def _leave(client, collective_id):
    return client.post(f"/api/collectives/{collective_id}/leave/")


def test_member_leaves(inkers, ben, ben_client):
    response = _leave(ben_client, inkers.id)

    assert response.status_code == 200
    assert response.json() == {"detail": "You left the collective."}
    assert not CollectiveMember.objects.filter(collective=inkers, user=ben).exists()
    assert counted_members(inkers) == (1, 1)


def test_leaving_twice_is_idempotent(inkers, ben_client):
    _leave(ben_client, inkers.id)
    response = _leave(ben_client, inkers.id)

    assert response.status_code == 200
    assert response.json() == {"detail": "You are not a member of this collective."}
    assert counted_members(inkers) == (1, 1)


def test_stranger_leaving_public_collective_is_200(inkers, cleo_client):
    response = _leave(cleo_client, inkers.id)

    assert response.status_code == 200
    assert counted_members(inkers) == (2, 2)


def test_stranger_leaving_private_collective_is_404(vault, cleo_client):
    response = _leave(cleo_client, vault.id)

    assert response.status_code == 404
    assert counted_members(vault) == (2, 2)


def test_member_leaves_private_collective_then_cannot_see_it(vault, ben_client):
    assert _leave(ben_client, vault.id).status_code == 200

    assert ben_client.get(f"/api/collectives/{vault.id}/").status_code == 404
    assert _leave(ben_client, vault.id).status_code == 404
    assert counted_members(vault) == (1, 1)


def test_last_admin_leaving_promotes_longest_standing_member(ana, ana_client, inkers, ben):
    newer = UserFactory(username="newer")
    collective_member_add(collective=inkers, user=newer)
    # ben joined before `newer`; make it unambiguous even with equal clocks
    CollectiveMember.objects.filter(user=newer).update(
        joined_at=timezone.now() + timedelta(minutes=1)
    )

    assert _leave(ana_client, inkers.id).status_code == 200

    roles = dict(CollectiveMember.objects.filter(collective=inkers).values_list("user", "role"))
    assert roles == {ben.id: "admin", newer.id: "member"}
    assert counted_members(inkers) == (2, 2)


def test_promotion_breaks_joined_at_ties_by_membership_id(ana, ana_client, inkers, ben):
    newer = UserFactory(username="newer")
    collective_member_add(collective=inkers, user=newer)
    CollectiveMember.objects.filter(collective=inkers).update(joined_at=timezone.now())

    _leave(ana_client, inkers.id)

    assert CollectiveMember.objects.get(collective=inkers, user=ben).role == "admin"
    assert CollectiveMember.objects.get(collective=inkers, user=newer).role == "member"


def test_no_promotion_while_another_admin_remains(ana, ana_client, inkers, ben):
    cleo_admin = UserFactory(username="other-admin")
    collective_member_add(collective=inkers, user=cleo_admin, role="admin")

    _leave(ana_client, inkers.id)

    assert CollectiveMember.objects.get(collective=inkers, user=ben).role == "member"
    assert CollectiveMember.objects.get(collective=inkers, user=cleo_admin).role == "admin"


def test_last_member_leaving_keeps_an_empty_collective(inkers, ana_client, ben_client):
    _leave(ben_client, inkers.id)
    _leave(ana_client, inkers.id)

    assert Collective.objects.filter(pk=inkers.pk).exists()
    assert counted_members(inkers) == (0, 0)


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999999"])
def test_leave_unknown_collective_is_404(ben_client, db, pk):
    assert _leave(ben_client, pk).status_code == 404


def test_anonymous_is_401(anon_client, inkers):
    assert _leave(anon_client, inkers.id).status_code == 401


def test_leave_bumps_the_leavers_feed_version(
    inkers, ben, ben_client, django_capture_on_commit_callbacks
):
    before = versions.read(ben.id)[0]
    with django_capture_on_commit_callbacks(execute=True):
        _leave(ben_client, inkers.id)

    assert versions.read(ben.id)[0] > before
