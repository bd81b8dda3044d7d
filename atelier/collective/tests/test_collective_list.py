"""GET /api/collectives/ and /api/collectives/{id}/: what each user may see of collectives."""

import pytest

from atelier.collective.services import channel_create, collective_create
from atelier.collective.tests.factories import CollectiveFactory, MemberFactory

URL = "/api/collectives/"


def _by_id(response) -> dict[int, dict]:
    return {item["id"]: item for item in response.json()}


def test_list_shows_public_and_mine_with_my_role(inkers, vault, ben_client, cleo_client):
    stranger_private = CollectiveFactory(visibility="private")

    ben_view = _by_id(ben_client.get(URL))
    cleo_view = _by_id(cleo_client.get(URL))

    assert set(ben_view) == {inkers.id, vault.id}
    assert ben_view[vault.id]["role"] == "member"
    assert set(cleo_view) == {inkers.id}
    assert cleo_view[inkers.id]["role"] is None
    assert stranger_private.id not in ben_view


def test_list_item_shape(inkers, ana_client):
    response = ana_client.get(URL)

    assert response.status_code == 200
    [item] = response.json()
    assert item == {
        "id": inkers.id,
        "name": "Inkers",
        "visibility": "public",
        "members_count": 2,
        "channels": [{"id": inkers.channels.get().id, "name": "general"}],
        "created_at": item["created_at"],
        "role": "admin",
    }


def test_mine_come_first_then_newest(ana, ben, ana_client):
    older_public = collective_create(creator=ben, name="Old", visibility="public")
    mine = collective_create(creator=ana, name="Mine", visibility="public")
    newer_public = collective_create(creator=ben, name="New", visibility="public")

    ids = [item["id"] for item in ana_client.get(URL).json()]

    assert ids == [mine.id, newer_public.id, older_public.id]


def test_limit_bounds_the_list(ana, ana_client):
    for n in range(3):
        collective_create(creator=ana, name=f"C{n}", visibility="public")

    response = ana_client.get(URL, {"limit": 2})

    assert response.status_code == 200
    assert len(response.json()) == 2


@pytest.mark.parametrize("limit", ["0", "501", "abc", "99999999999999999999999"])
def test_bad_limit_is_400(ana_client, limit):
    response = ana_client.get(URL, {"limit": limit})

    assert response.status_code == 400
    assert "limit" in response.json()


def test_list_query_count_does_not_grow(ana, ben, ana_client, django_assert_num_queries):
    for n in range(5):
        collective = collective_create(creator=ben, name=f"C{n}", visibility="public")
        channel_create(collective=collective, admin=ben, name="extra")
        MemberFactory(collective=collective, user=ana)

    # token, collectives with my role, their channels
    with django_assert_num_queries(3):
        response = ana_client.get(URL)

    assert len(response.json()) == 5
    assert all(len(item["channels"]) == 2 for item in response.json())


def test_anonymous_is_401(anon_client, inkers):
    assert anon_client.get(URL).status_code == 401
    assert anon_client.get(f"{URL}{inkers.id}/").status_code == 401


def test_detail_of_public_collective_for_a_stranger(inkers, cleo_client):
    response = cleo_client.get(f"{URL}{inkers.id}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Inkers"
    assert response.json()["role"] is None


def test_detail_of_private_collective_for_a_member(vault, ben_client):
    response = ben_client.get(f"{URL}{vault.id}/")

    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert response.json()["visibility"] == "private"


def test_detail_of_private_collective_is_404_for_a_stranger(vault, cleo_client):
    response = cleo_client.get(f"{URL}{vault.id}/")

    assert response.status_code == 404
    assert "Vault" not in response.content.decode()


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999999"])
def test_detail_of_unknown_or_huge_id_is_404(ana_client, db, pk):
    assert ana_client.get(f"{URL}{pk}/").status_code == 404


def test_detail_query_count(inkers, ana_client, django_assert_num_queries):
    # token, the collective with my role, its channels
    with django_assert_num_queries(3):
        ana_client.get(f"{URL}{inkers.id}/")
