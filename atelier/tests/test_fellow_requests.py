"""POST /api/fellows/requests/ and GET of my pending requests."""

import pytest

from atelier.core import services
from atelier.core.models import UserFellow
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory
from atelier.notification.models import Notification

URL = "/api/fellows/requests/"


def _request_notifications(user):
    return Notification.objects.filter(notified_to=user, kind="fellow_request")


def test_request_creates_a_pending_relation(ana_client, ana, ben):
    response = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert response.status_code == 201
    relation = UserFellow.objects.get()
    body = response.json()
    assert body == {
        "id": relation.id,
        "from_user": ana.id,
        "to_user": ben.id,
        "status": "pending",
        "created_at": body["created_at"],
    }
    assert body["created_at"].endswith("Z")
    assert (relation.user, relation.fellow_user, relation.status) == (ana, ben, "pending")


def test_request_notifies_the_addressee(ana_client, ana, ben):
    ana_client.post(URL, {"user_id": ben.id}, format="json")

    notification = _request_notifications(ben).get()
    assert notification.actor == ana
    assert notification.post is None
    assert not notification.is_read
    assert not Notification.objects.filter(notified_to=ana).exists()


def test_repeating_a_request_returns_the_existing_one(ana_client, ben):
    first = ana_client.post(URL, {"user_id": ben.id}, format="json")
    second = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert second.status_code == 200
    assert second.json() == first.json()
    assert UserFellow.objects.count() == 1
    assert _request_notifications(ben).count() == 1


def test_request_back_returns_their_pending_request(ana_client, ana, ben):
    theirs = FellowFactory(user=ben, fellow_user=ana, status=UserFellow.Status.PENDING)

    response = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == theirs.id
    assert response.json()["from_user"] == ben.id
    assert response.json()["status"] == "pending"
    assert UserFellow.objects.count() == 1


@pytest.mark.parametrize("asked_by_me", [True, False])
def test_request_to_a_fellow_returns_the_accepted_relation(ana_client, ana, ben, asked_by_me):
    pair = (ana, ben) if asked_by_me else (ben, ana)
    relation = FellowFactory(user=pair[0], fellow_user=pair[1])

    response = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == relation.id
    assert response.json()["status"] == "accepted"
    assert not _request_notifications(ben).exists()


@pytest.mark.parametrize("declined_by_me", [True, False])
def test_declined_relation_is_reopened_from_the_new_requester(ana_client, ana, ben, declined_by_me):
    # declined_by_me: ben asked, ana declined; otherwise ana asked and ben declined.
    pair = (ben, ana) if declined_by_me else (ana, ben)
    relation = FellowFactory(user=pair[0], fellow_user=pair[1], status="declined")

    response = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert response.status_code == 201
    assert response.json()["id"] == relation.id
    assert response.json()["from_user"] == ana.id
    assert response.json()["to_user"] == ben.id
    assert response.json()["status"] == "pending"
    relation.refresh_from_db()
    assert (relation.user, relation.fellow_user, relation.responded_at) == (ana, ben, None)
    assert _request_notifications(ben).count() == 1


def test_request_to_yourself_is_400_and_notifies_nobody(ana_client, ana):
    response = ana_client.post(URL, {"user_id": ana.id}, format="json")

    assert response.status_code == 400
    assert "user_id" in response.json()
    assert not UserFellow.objects.exists()
    assert not Notification.objects.exists()


def test_request_to_a_user_I_blocked_is_400(ana_client, ana, ben):
    BlockFactory(blocker=ana, blocked=ben)

    response = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert response.status_code == 400
    assert "user_id" in response.json()
    assert not UserFellow.objects.exists()


def test_request_to_a_user_who_blocked_me_is_400_like_an_unknown_user(ana_client, ana, ben):
    BlockFactory(blocker=ben, blocked=ana)

    blocked = ana_client.post(URL, {"user_id": ben.id}, format="json")
    unknown = ana_client.post(URL, {"user_id": 999_999}, format="json")

    assert blocked.status_code == 400
    assert blocked.json() == unknown.json()
    assert not UserFellow.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"user_id": None},
        {"user_id": "abc"},
        {"user_id": True},
        {"user_id": 0},
        {"user_id": 2**63},
        {"user_id": 10**40},
        {"user_id": [1]},
    ],
)
def test_bad_user_id_is_400(ana_client, body):
    response = ana_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert "user_id" in response.json()


def test_request_needs_authentication(anon_client, ben):
    assert anon_client.post(URL, {"user_id": ben.id}, format="json").status_code == 401


def test_lost_creation_race_returns_the_winner(ana_client, ana, ben, monkeypatch):
    # Ben's request is committed between Ana's lookup and her insert: the insert hits the
    # one-row-per-pair constraint and Ana must get Ben's row, not a 500.
    winner = FellowFactory(user=ben, fellow_user=ana, status=UserFellow.Status.PENDING)
    real = services.pair_relation_queryset
    calls = []

    def first_lookup_misses(a_id, b_id):
        calls.append((a_id, b_id))
        return real(a_id, b_id).none() if len(calls) == 1 else real(a_id, b_id)

    monkeypatch.setattr(services, "pair_relation_queryset", first_lookup_misses)

    response = ana_client.post(URL, {"user_id": ben.id}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == winner.id
    assert UserFellow.objects.count() == 1
    assert len(calls) == 2


# --- GET: my pending requests -------------------------------------------------------------


def test_list_shows_pending_requests_to_and_from_me_newest_first(ana_client, ana, ben, cleo):
    dora, ed = UserFactory(username="dora"), UserFactory(username="ed")
    sent = FellowFactory(user=ana, fellow_user=ben, status="pending")
    received = FellowFactory(user=cleo, fellow_user=ana, status="pending")
    FellowFactory(user=ana, fellow_user=dora)  # accepted: not a request any more
    FellowFactory(user=ed, fellow_user=ana, status="declined")
    FellowFactory(user=ben, fellow_user=cleo, status="pending")  # not mine

    response = ana_client.get(URL)

    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [received.id, sent.id]
    assert response.json()[0] == {
        "id": received.id,
        "from_user": cleo.id,
        "to_user": ana.id,
        "status": "pending",
        "created_at": response.json()[0]["created_at"],
    }


def test_list_leaves_out_requests_with_users_blocked_either_way(ana_client, ana, ben, cleo):
    FellowFactory(user=ben, fellow_user=ana, status="pending")
    FellowFactory(user=ana, fellow_user=cleo, status="pending")
    BlockFactory(blocker=ana, blocked=ben)
    BlockFactory(blocker=cleo, blocked=ana)

    assert ana_client.get(URL).json() == []


def test_list_query_count_does_not_grow(ana_client, ana, django_assert_num_queries):
    for i in range(5):
        FellowFactory(user=UserFactory(username=f"asker{i}"), fellow_user=ana, status="pending")
    BlockFactory(blocker=ana)

    # token, my blocks, the requests
    with django_assert_num_queries(3):
        response = ana_client.get(URL)
    assert len(response.json()) == 5


@pytest.mark.django_db
def test_list_needs_authentication(anon_client):
    assert anon_client.get(URL).status_code == 401
