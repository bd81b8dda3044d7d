"""POST /api/notifications/read/ and GET /api/notifications/unread_count/."""

import pytest

from atelier.core.tests.factories import BlockFactory
from atelier.notification.models import Notification
from atelier.notification.tests.factories import NotificationFactory
from atelier.post.tests.factories import PostFactory

URL = "/api/notifications/read/"
COUNT_URL = "/api/notifications/unread_count/"


def _unread_ids(user) -> set[int]:
    return set(
        Notification.objects.filter(notified_to=user, is_read=False).values_list("id", flat=True)
    )


@pytest.fixture
def anas(ana, ben):
    """Three unread notifications for Ana from Ben."""
    return NotificationFactory.create_batch(3, notified_to=ana, actor=ben)


@pytest.fixture
def bens(ana, ben):
    """One unread notification for Ben from Ana."""
    return NotificationFactory(notified_to=ben, actor=ana)


@pytest.mark.parametrize("body", [{}, {"ids": None}])
def test_without_ids_marks_all_mine(ana_client, ana, ben, anas, bens, body):
    NotificationFactory(notified_to=ana, actor=ben, is_read=True)

    response = ana_client.post(URL, body, format="json")

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert _unread_ids(ana) == set()
    assert _unread_ids(ben) == {bens.id}


def test_no_body_at_all_marks_all_mine(ana_client, ana, anas):
    response = ana_client.post(URL)

    assert response.json() == {"marked": 3}
    assert _unread_ids(ana) == set()


def test_ids_mark_only_those_and_ignore_others(ana_client, ana, ben, anas, bens):
    response = ana_client.post(URL, {"ids": [anas[0].id, bens.id, 999_999]}, format="json")

    assert response.json() == {"marked": 1}
    assert _unread_ids(ana) == {anas[1].id, anas[2].id}
    assert _unread_ids(ben) == {bens.id}


def test_marking_is_idempotent(ana_client, anas):
    ana_client.post(URL, {"ids": [anas[0].id]}, format="json")

    again = ana_client.post(URL, {"ids": [anas[0].id, anas[0].id]}, format="json")

    assert again.status_code == 200
    assert again.json() == {"marked": 0}


def test_an_empty_list_marks_nothing(ana_client, ana, anas):
    response = ana_client.post(URL, {"ids": []}, format="json")

    assert response.json() == {"marked": 0}
    assert len(_unread_ids(ana)) == 3


def test_hidden_notifications_stay_unread(ana_client, ana, ben, cleo, anas):
    hidden = NotificationFactory(notified_to=ana, actor=cleo)
    BlockFactory(blocker=ana, blocked=cleo)

    response = ana_client.post(URL, format="json")

    assert response.json() == {"marked": 3}
    assert _unread_ids(ana) == {hidden.id}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"ids": 5},
        {"ids": "1,2"},
        {"ids": ["a"]},
        {"ids": [1.5]},
        {"ids": [True]},
        {"ids": [2**63]},
        {"ids": [0]},
        {"ids": list(range(1, 1002))},
    ],
)
def test_bad_ids_are_400(ana_client, body):
    response = ana_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert "ids" in response.json()


@pytest.mark.django_db
def test_read_needs_authentication(anon_client):
    assert anon_client.post(URL, {}, format="json").status_code == 401


# --- unread count -------------------------------------------------------------------------


def test_unread_count(ana_client, ana, ben, anas, bens):
    NotificationFactory(notified_to=ana, actor=ben, is_read=True)
    NotificationFactory(notified_to=ana, actor=ben, post=PostFactory(author=ana, is_deleted=True))

    response = ana_client.get(COUNT_URL)

    assert response.status_code == 200
    assert response.json() == {"count": 3}


def test_unread_count_follows_marking(ana_client, anas):
    ana_client.post(URL, {"ids": [anas[0].id]}, format="json")

    assert ana_client.get(COUNT_URL).json() == {"count": 2}


def test_unread_count_query_count(ana_client, anas, django_assert_num_queries):
    with django_assert_num_queries(2):
        ana_client.get(COUNT_URL)


@pytest.mark.django_db
def test_unread_count_needs_authentication(anon_client):
    assert anon_client.get(COUNT_URL).status_code == 401
