"""GET /api/users/{id}/ and /api/users/me/: profiles with fellow and post counts."""

import pytest

from atelier.core.models import UserFellow
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory
from atelier.post.tests.factories import PostFactory


def test_profile_shape_and_counts(ana_client, ana, ben, cleo):
    dora = UserFactory(username="dora")
    FellowFactory(user=ben, fellow_user=cleo)  # ben asked
    FellowFactory(user=dora, fellow_user=ben)  # ben was asked: counts too
    FellowFactory(user=ben, fellow_user=ana, status=UserFellow.Status.PENDING)
    PostFactory.create_batch(2, author=ben)
    PostFactory(author=ben, is_deleted=True)
    PostFactory(author=cleo)

    response = ana_client.get(f"/api/users/{ben.id}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": ben.id,
        "username": "ben",
        "display_name": None,
        "artist_type": "photographer",
        "avatar": None,
        "bio": "",
        "fellows_count": 2,
        "posts_count": 2,
        "pinned_posts": [],
    }


def test_profile_of_a_user_without_anything_has_zero_counts(ana_client, cleo):
    response = ana_client.get(f"/api/users/{cleo.id}/")

    assert response.json()["fellows_count"] == 0
    assert response.json()["posts_count"] == 0


def test_my_own_profile_by_id(ana_client, ana):
    assert ana_client.get(f"/api/users/{ana.id}/").json()["username"] == "ana"


@pytest.mark.parametrize("user_id", ["999999", str(2**63), str(10**30)])
def test_unknown_user_is_404(ana_client, user_id):
    assert ana_client.get(f"/api/users/{user_id}/").status_code == 404


def test_user_I_blocked_is_404(ana_client, ana, ben):
    BlockFactory(blocker=ana, blocked=ben)

    assert ana_client.get(f"/api/users/{ben.id}/").status_code == 404


def test_user_who_blocked_me_is_404(ana_client, ana, ben):
    BlockFactory(blocker=ben, blocked=ana)

    assert ana_client.get(f"/api/users/{ben.id}/").status_code == 404


def test_profile_needs_authentication(anon_client, ben):
    assert anon_client.get(f"/api/users/{ben.id}/").status_code == 401


def test_profile_costs_a_fixed_number_of_queries(ana_client, ben, cleo, django_assert_num_queries):
    FellowFactory(user=ben, fellow_user=cleo)
    PostFactory.create_batch(3, author=ben)

    # token, the user with both counts as subqueries, block check, the pins
    with django_assert_num_queries(4):
        ana_client.get(f"/api/users/{ben.id}/")


def test_me_includes_email(client_for, ben):
    dora = UserFactory(username="dora", email="dora@example.com")
    FellowFactory(user=dora, fellow_user=ben)
    PostFactory(author=dora)

    response = client_for(dora).get("/api/users/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": dora.id,
        "username": "dora",
        "display_name": None,
        "artist_type": "other",
        "avatar": None,
        "bio": "",
        "fellows_count": 1,
        "posts_count": 1,
        "pinned_posts": [],
        "avatar_media": None,
        "email": "dora@example.com",
    }


@pytest.mark.django_db
def test_me_needs_authentication(anon_client):
    assert anon_client.get("/api/users/me/").status_code == 401


def test_posts_count_counts_only_what_the_reader_may_see(ana_client, ben, cleo, client_for):
    """A private collective's post is not counted for someone outside it: a count must not
    tell of a post its reader cannot open."""
    from atelier.collective.tests.factories import ChannelFactory, MemberFactory

    channel = ChannelFactory(collective__visibility="private")
    MemberFactory(collective=channel.collective, user=ben)
    MemberFactory(collective=channel.collective, user=cleo)
    PostFactory(author=ben)
    PostFactory(author=ben, channel=channel)

    assert ana_client.get(f"/api/users/{ben.id}/").json()["posts_count"] == 1
    assert client_for(cleo).get(f"/api/users/{ben.id}/").json()["posts_count"] == 2
    assert client_for(ben).get("/api/users/me/").json()["posts_count"] == 2
