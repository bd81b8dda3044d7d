"""POST /api/collectives/{id}/join/: anyone may join a public collective, once."""

import pytest

from atelier.collective.models import CollectiveMember
from atelier.collective.tests.conftest import counted_members
from atelier.core import versions


def _join(client, collective_id):
    return client.post(f"/api/collectives/{collective_id}/join/")


def test_join_public_collective(inkers, cleo, cleo_client):
    response = _join(cleo_client, inkers.id)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == inkers.id
    assert body["role"] == "member"
    assert body["members_count"] == 3
    assert body["channels"] == [{"id": inkers.channels.get().id, "name": "general"}]
    assert CollectiveMember.objects.get(collective=inkers, user=cleo).role == "member"
    assert counted_members(inkers) == (3, 3)


def test_join_twice_is_idempotent(inkers, cleo_client):
    """The second join loses to the unique constraint and is treated as "already a member"."""
    first = _join(cleo_client, inkers.id)
    second = _join(cleo_client, inkers.id)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["members_count"] == 3
    assert counted_members(inkers) == (3, 3)


def test_admin_joining_keeps_admin_role(inkers, ana_client):
    response = _join(ana_client, inkers.id)

    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert counted_members(inkers) == (2, 2)


def test_join_private_collective_is_answered_like_a_missing_one(vault, cleo, cleo_client):
    """Issue 10, item 7 (docs/api.md: an invisible object answers exactly like a missing one)."""
    response = _join(cleo_client, vault.id)
    missing = _join(cleo_client, 987654)

    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert not CollectiveMember.objects.filter(collective=vault, user=cleo).exists()
    assert counted_members(vault) == (2, 2)


def test_member_joining_private_collective_again_is_200(vault, ben_client):
    response = _join(ben_client, vault.id)

    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert counted_members(vault) == (2, 2)


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999999"])
def test_join_unknown_collective_is_404(cleo_client, db, pk):
    assert _join(cleo_client, pk).status_code == 404


def test_anonymous_is_401(anon_client, inkers):
    assert _join(anon_client, inkers.id).status_code == 401


def test_get_is_405(inkers, cleo_client):
    assert cleo_client.get(f"/api/collectives/{inkers.id}/join/").status_code == 405


def test_join_bumps_the_joiners_feed_version(
    inkers, cleo, cleo_client, django_capture_on_commit_callbacks
):
    before = versions.read(cleo.id)[0]
    with django_capture_on_commit_callbacks(execute=True):
        _join(cleo_client, inkers.id)

    assert versions.read(cleo.id)[0] > before
