"""GET /api/fellows/ and DELETE /api/fellows/{user_id}/: my fellows, and unfriending."""

import pytest

from atelier.core.models import UserFellow
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory


def test_list_shows_accepted_fellows_both_ways_by_username(ana_client, ana, ben, cleo):
    dora, ed = UserFactory(username="dora"), UserFactory(username="ed")
    FellowFactory(user=ana, fellow_user=cleo)
    FellowFactory(user=ben, fellow_user=ana)
    FellowFactory(user=ana, fellow_user=dora, status="pending")
    FellowFactory(user=ed, fellow_user=ana, status="declined")
    FellowFactory(user=dora, fellow_user=ed)  # not mine

    response = ana_client.get("/api/fellows/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": ben.id,
            "username": "ben",
            "display_name": None,
            "artist_type": "photographer",
            "avatar": None,
        },
        {
            "id": cleo.id,
            "username": "cleo",
            "display_name": None,
            "artist_type": "musician",
            "avatar": None,
        },
    ]


def test_list_is_empty_without_fellows(ana_client):
    assert ana_client.get("/api/fellows/").json() == []


def test_blocking_a_fellow_keeps_the_fellowship(ana_client, ana, ben):
    FellowFactory(user=ana, fellow_user=ben)

    ana_client.patch("/api/user/preferences/", {"blocked_users": [ben.id]}, format="json")

    assert [f["id"] for f in ana_client.get("/api/fellows/").json()] == [ben.id]


def test_list_query_count_does_not_grow(ana_client, ana, django_assert_num_queries):
    for i in range(6):
        FellowFactory(user=ana, fellow_user=UserFactory(username=f"fellow{i}"))

    # token, my fellow ids, the users
    with django_assert_num_queries(3):
        response = ana_client.get("/api/fellows/")
    assert len(response.json()) == 6


@pytest.mark.django_db
def test_list_needs_authentication(anon_client):
    assert anon_client.get("/api/fellows/").status_code == 401


# --- DELETE -------------------------------------------------------------------------------


@pytest.mark.parametrize("asked_by_me", [True, False])
def test_unfriending_removes_the_relation_for_both(ana_client, ben_client, ana, ben, asked_by_me):
    pair = (ana, ben) if asked_by_me else (ben, ana)
    FellowFactory(user=pair[0], fellow_user=pair[1])

    response = ana_client.delete(f"/api/fellows/{ben.id}/")

    assert response.status_code == 204
    assert not UserFellow.objects.exists()
    assert ana_client.get("/api/fellows/").json() == []
    assert ben_client.get("/api/fellows/").json() == []


def test_unfriending_invalidates_both_feeds(ana_client, ana, ben, cleo, feed_bumps):
    FellowFactory(user=ana, fellow_user=ben)

    with feed_bumps(ana, ben, cleo) as bumped:
        ana_client.delete(f"/api/fellows/{ben.id}/")

    assert bumped() == {ana.id, ben.id}


def test_unfriending_again_is_404(ana_client, ana, ben):
    FellowFactory(user=ana, fellow_user=ben)
    ana_client.delete(f"/api/fellows/{ben.id}/")

    assert ana_client.delete(f"/api/fellows/{ben.id}/").status_code == 404


@pytest.mark.parametrize("status", ["pending", "declined"])
def test_unfriending_someone_who_is_not_a_fellow_is_404(ana_client, ana, ben, status):
    FellowFactory(user=ana, fellow_user=ben, status=status)

    assert ana_client.delete(f"/api/fellows/{ben.id}/").status_code == 404
    assert UserFellow.objects.filter(status=status).exists()


@pytest.mark.parametrize("user_id", ["999999", str(2**63), str(10**30)])
def test_unfriending_an_unknown_user_is_404(ana_client, user_id):
    assert ana_client.delete(f"/api/fellows/{user_id}/").status_code == 404


def test_others_fellowship_is_not_mine_to_end(cleo_client, ana, ben):
    FellowFactory(user=ana, fellow_user=ben)

    assert cleo_client.delete(f"/api/fellows/{ben.id}/").status_code == 404
    assert UserFellow.objects.exists()


def test_they_can_become_fellows_again(ana_client, ana, ben):
    FellowFactory(user=ana, fellow_user=ben)
    ana_client.delete(f"/api/fellows/{ben.id}/")

    response = ana_client.post("/api/fellows/requests/", {"user_id": ben.id}, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "pending"


def test_unfriending_needs_authentication(anon_client, ben):
    assert anon_client.delete(f"/api/fellows/{ben.id}/").status_code == 401


def test_blocked_fellow_can_still_be_removed(ana_client, ana, ben):
    FellowFactory(user=ana, fellow_user=ben)
    BlockFactory(blocker=ben, blocked=ana)

    assert ana_client.delete(f"/api/fellows/{ben.id}/").status_code == 204
