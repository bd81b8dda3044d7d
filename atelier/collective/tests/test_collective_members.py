"""GET, POST /api/collectives/{id}/members/: the member list, and invitations by admins."""

import pytest

from atelier.collective.models import CollectiveMember
from atelier.collective.services import collective_member_add
from atelier.collective.tests.conftest import counted_members
from atelier.core import versions
from atelier.core.tests.factories import UserFactory


def _url(collective_id) -> str:
    return f"/api/collectives/{collective_id}/members/"


def _invite(client, collective_id, user_id):
    return client.post(_url(collective_id), {"user_id": user_id}, format="json")


# --- invitations -------------------------------------------------------------------------


def test_admin_invites_into_private_collective(vault, cleo, ana_client, client_for):
    response = _invite(ana_client, vault.id, cleo.id)

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "user": {
            "id": cleo.id,
            "username": "cleo",
            "display_name": None,
            "artist_type": "musician",
            "avatar": None,
        },
        "role": "member",
        "joined_at": body["joined_at"],
    }
    assert body["joined_at"].endswith("Z")
    assert counted_members(vault) == (3, 3)
    # the invitation is what lets cleo in
    assert client_for(cleo).get(f"/api/collectives/{vault.id}/").json()["role"] == "member"


def test_inviting_a_member_again_is_200_and_keeps_the_role(vault, ana, ben, ana_client):
    response = _invite(ana_client, vault.id, ben.id)

    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert response.json()["user"]["id"] == ben.id
    assert counted_members(vault) == (2, 2)

    itself = _invite(ana_client, vault.id, ana.id)
    assert itself.status_code == 200
    assert itself.json()["role"] == "admin"


def test_plain_member_cannot_invite(vault, cleo, ben_client):
    response = _invite(ben_client, vault.id, cleo.id)

    assert response.status_code == 403
    assert counted_members(vault) == (2, 2)


def test_stranger_inviting_into_private_collective_is_404(vault, cleo_client, ana):
    assert _invite(cleo_client, vault.id, ana.id).status_code == 404


def test_stranger_inviting_into_public_collective_is_403(inkers, cleo, cleo_client):
    assert _invite(cleo_client, inkers.id, cleo.id).status_code == 403
    assert not CollectiveMember.objects.filter(collective=inkers, user=cleo).exists()


def test_permission_is_checked_before_the_body(vault, ben_client):
    assert _invite(ben_client, vault.id, "garbage").status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"user_id": None},
        {"user_id": "abc"},
        {"user_id": 0},
        {"user_id": -1},
        {"user_id": 999999},
        {"user_id": 99999999999999999999999999},
        {"user_id": [1]},
        {"user_id": 1.5},
    ],
)
def test_bad_user_id_is_400(vault, ana_client, payload):
    response = ana_client.post(_url(vault.id), payload, format="json")

    assert response.status_code == 400
    assert "user_id" in response.json()
    assert counted_members(vault) == (2, 2)


def test_inactive_user_cannot_be_invited(vault, ana_client):
    gone = UserFactory(username="gone", is_active=False)

    assert _invite(ana_client, vault.id, gone.id).status_code == 400


def test_unknown_collective_is_404(ana_client, cleo):
    assert _invite(ana_client, 999999, cleo.id).status_code == 404


def test_anonymous_is_401(anon_client, vault, cleo):
    assert _invite(anon_client, vault.id, cleo.id).status_code == 401
    assert anon_client.get(_url(vault.id)).status_code == 401


def test_invite_bumps_the_invited_users_feed_version(
    vault, cleo, ana_client, django_capture_on_commit_callbacks
):
    before = versions.read(cleo.id)[0]
    with django_capture_on_commit_callbacks(execute=True):
        _invite(ana_client, vault.id, cleo.id)

    assert versions.read(cleo.id)[0] > before


def test_promoted_member_can_invite(vault, ana_client, ben_client, cleo):
    """After the last admin leaves, the member who took over holds the admin rights."""
    ana_client.post(f"/api/collectives/{vault.id}/leave/")

    assert _invite(ben_client, vault.id, cleo.id).status_code == 201


# --- the member list ---------------------------------------------------------------------


def test_member_list_oldest_first(inkers, ana, ben, cleo_client):
    response = cleo_client.get(_url(inkers.id))

    assert response.status_code == 200
    assert [(m["user"]["username"], m["role"]) for m in response.json()] == [
        ("ana", "admin"),
        ("ben", "member"),
    ]
    assert response.json()[0]["user"] == {
        "id": ana.id,
        "username": "ana",
        "display_name": None,
        "artist_type": "writer",
        "avatar": None,
    }


def test_member_list_of_private_collective(vault, ben_client, cleo_client):
    assert len(ben_client.get(_url(vault.id)).json()) == 2
    assert cleo_client.get(_url(vault.id)).status_code == 404


def test_member_list_limit(inkers, ana_client):
    assert len(ana_client.get(_url(inkers.id), {"limit": 1}).json()) == 1
    assert ana_client.get(_url(inkers.id), {"limit": 0}).status_code == 400


def test_member_list_query_count_does_not_grow(inkers, ana_client, django_assert_num_queries):
    for n in range(6):
        collective_member_add(collective=inkers, user=UserFactory(username=f"m{n}"))

    # token, the collective (with my role), its channels, members with their users
    with django_assert_num_queries(4):
        response = ana_client.get(_url(inkers.id))

    assert len(response.json()) == 8
