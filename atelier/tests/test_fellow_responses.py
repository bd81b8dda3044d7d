"""POST /api/fellows/requests/{id}/accept/ and .../decline/: only the addressee answers."""

import pytest

from atelier.core.models import UserFellow
from atelier.core.tests.factories import BlockFactory, FellowFactory
from atelier.notification.models import Notification


@pytest.fixture
def request_to_ben(ana, ben):
    """Ana asked Ben to become fellows."""
    return FellowFactory(user=ana, fellow_user=ben, status=UserFellow.Status.PENDING)


def _accept(client, relation_id):
    return client.post(f"/api/fellows/requests/{relation_id}/accept/")


def _decline(client, relation_id):
    return client.post(f"/api/fellows/requests/{relation_id}/decline/")


# --- accept -------------------------------------------------------------------------------


def test_addressee_accepts(ben_client, ana, ben, request_to_ben):
    response = _accept(ben_client, request_to_ben.id)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == request_to_ben.id
    assert body["status"] == "accepted"
    assert (body["from_user"], body["to_user"]) == (ana.id, ben.id)
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "accepted"
    assert request_to_ben.responded_at is not None


def test_accepting_makes_them_fellows_both_ways(ana_client, ben_client, request_to_ben):
    _accept(ben_client, request_to_ben.id)

    assert [f["username"] for f in ana_client.get("/api/fellows/").json()] == ["ben"]
    assert [f["username"] for f in ben_client.get("/api/fellows/").json()] == ["ana"]


def test_accepting_notifies_the_requester_once(ben_client, ana, ben, request_to_ben):
    _accept(ben_client, request_to_ben.id)
    again = _accept(ben_client, request_to_ben.id)

    assert again.status_code == 200
    assert again.json()["status"] == "accepted"
    notification = Notification.objects.get(kind="fellow_accept")
    assert (notification.notified_to, notification.actor) == (ana, ben)


def test_accepting_invalidates_both_feeds(ben_client, ana, ben, cleo, request_to_ben, feed_bumps):
    with feed_bumps(ana, ben, cleo) as bumped:
        _accept(ben_client, request_to_ben.id)

    assert bumped() == {ana.id, ben.id}


def test_accepting_again_changes_no_feed(ben_client, ana, ben, request_to_ben, feed_bumps):
    _accept(ben_client, request_to_ben.id)

    with feed_bumps(ana, ben) as bumped:
        _accept(ben_client, request_to_ben.id)

    assert bumped() == set()


def test_requester_cannot_accept_their_own_request(ana_client, request_to_ben):
    assert _accept(ana_client, request_to_ben.id).status_code == 404
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "pending"


def test_bystander_cannot_accept(cleo_client, request_to_ben):
    assert _accept(cleo_client, request_to_ben.id).status_code == 404


@pytest.mark.parametrize("relation_id", ["999999", str(2**63), str(10**30)])
def test_unknown_request_is_404(ben_client, relation_id):
    assert _accept(ben_client, relation_id).status_code == 404
    assert _decline(ben_client, relation_id).status_code == 404


def test_accepting_a_declined_request_is_400(ben_client, request_to_ben):
    _decline(ben_client, request_to_ben.id)

    response = _accept(ben_client, request_to_ben.id)

    assert response.status_code == 400
    assert "detail" in response.json()
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "declined"


@pytest.mark.parametrize("blocker_is_ben", [True, False])
def test_accepting_across_a_block_is_400(ben_client, ana, ben, request_to_ben, blocker_is_ben):
    BlockFactory(blocker=ben if blocker_is_ben else ana, blocked=ana if blocker_is_ben else ben)

    response = _accept(ben_client, request_to_ben.id)

    assert response.status_code == 400
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "pending"
    assert not Notification.objects.filter(kind="fellow_accept").exists()


def test_accept_needs_authentication(anon_client, request_to_ben):
    assert _accept(anon_client, request_to_ben.id).status_code == 401


def test_accept_is_post_only(ben_client, request_to_ben):
    assert ben_client.get(f"/api/fellows/requests/{request_to_ben.id}/accept/").status_code == 405


# --- decline ------------------------------------------------------------------------------


def test_addressee_declines(ben_client, ana, ben, request_to_ben):
    response = _decline(ben_client, request_to_ben.id)

    assert response.status_code == 200
    assert response.json()["id"] == request_to_ben.id
    assert response.json()["status"] == "declined"
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "declined"
    assert request_to_ben.responded_at is not None
    assert not Notification.objects.filter(notified_to=ana).exists()


def test_declining_is_idempotent(ben_client, request_to_ben):
    _decline(ben_client, request_to_ben.id)

    again = _decline(ben_client, request_to_ben.id)

    assert again.status_code == 200
    assert again.json()["status"] == "declined"


def test_declined_request_leaves_the_pending_list(ana_client, ben_client, request_to_ben):
    _decline(ben_client, request_to_ben.id)

    assert ana_client.get("/api/fellows/requests/").json() == []
    assert ana_client.get("/api/fellows/").json() == []


def test_requester_and_bystander_cannot_decline(ana_client, cleo_client, request_to_ben):
    assert _decline(ana_client, request_to_ben.id).status_code == 404
    assert _decline(cleo_client, request_to_ben.id).status_code == 404
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "pending"


def test_declining_an_accepted_relation_is_400(ben_client, request_to_ben):
    _accept(ben_client, request_to_ben.id)

    response = _decline(ben_client, request_to_ben.id)

    assert response.status_code == 400
    assert "detail" in response.json()
    request_to_ben.refresh_from_db()
    assert request_to_ben.status == "accepted"


def test_decline_needs_authentication(anon_client, request_to_ben):
    assert _decline(anon_client, request_to_ben.id).status_code == 401
