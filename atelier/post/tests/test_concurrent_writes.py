"""Concurrent writes of every kind, on whichever database the suite runs (issue 10, item 13).

On SQLite a transaction that reads before it writes used to fail at once with "database is
locked" (a 500) when another writer held the lock; with IMMEDIATE transactions every
writer waits its turn. On PostgreSQL the same requests exercise row locks and constraints.
Counters must come out exact either way.
"""

import pytest
from rest_framework.authtoken.models import Token

from atelier.collective.models import Channel, Collective, CollectiveMember
from atelier.collective.tests.factories import CollectiveFactory, MemberFactory
from atelier.core.models import UserFellow
from atelier.core.tests.factories import UserFactory
from atelier.core.tests.helpers import run_concurrently
from atelier.post.models import Comment, Post

pytestmark = pytest.mark.django_db(transaction=True)

N = 8


@pytest.fixture
def crowd():
    users = [UserFactory(username=f"crowd{i}") for i in range(N)]
    return users, [Token.objects.create(user=u).key for u in users]


def _as(client, token):
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_joins_of_one_collective(crowd):
    users, tokens = crowd
    collective = CollectiveFactory(visibility="public")

    codes = run_concurrently(
        lambda c, i: _as(c, tokens[i]).post(f"/api/collectives/{collective.pk}/join/").status_code,
        N,
    )

    assert codes == [200] * N
    collective.refresh_from_db()
    assert collective.members_count == N == CollectiveMember.objects.count()


def test_hearts_and_comments_on_one_post(crowd):
    users, tokens = crowd
    target = Post.objects.create(
        author=UserFactory(username="author"),
        title="t",
        post_type="poem",
        created_at="2026-01-01T00:00Z",
    )

    def act(c, i):
        client = _as(c, tokens[i])
        heart = client.post(f"/api/posts/{target.pk}/heart/").status_code
        comment = client.post(f"/api/posts/{target.pk}/comments/", {"text": "hi"}).status_code
        return heart, comment

    assert run_concurrently(act, N) == [(201, 201)] * N
    target.refresh_from_db()
    assert target.hearts_count == N
    assert target.comment_count == N == Comment.objects.count()


def test_fellow_requests_to_one_user_and_posts(crowd):
    users, tokens = crowd
    star = UserFactory(username="star")

    def act(c, i):
        client = _as(c, tokens[i])
        request = client.post("/api/fellows/requests/", {"user_id": star.pk}).status_code
        post = client.post("/api/posts/", {"title": f"p{i}", "post_type": "poem"}).status_code
        return request, post

    assert run_concurrently(act, N) == [(201, 201)] * N
    assert UserFellow.objects.filter(fellow_user=star).count() == N
    assert Post.objects.count() == N


def test_channels_of_one_name_in_any_case_make_one(crowd):
    users, tokens = crowd
    collective = CollectiveFactory(visibility="public")
    for user in users:
        MemberFactory(collective=collective, user=user, role="admin")
    names = ["Studio", "studio", "STUDIO", "sTudio", "stUdio", "stuDio", "studIo", "StUdIo"]

    codes = run_concurrently(
        lambda c, i: (
            _as(c, tokens[i])
            .post(f"/api/collectives/{collective.pk}/channels/", {"name": names[i]})
            .status_code
        ),
        N,
    )

    assert sorted(codes) == [201] + [400] * (N - 1)
    assert Channel.objects.filter(collective=collective).count() == 1


def test_preferences_and_collective_creation(crowd):
    users, tokens = crowd

    def act(c, i):
        client = _as(c, tokens[i])
        prefs = client.put(
            "/api/user/preferences/",
            {
                "preferred_post_types": ["poem"],
                "preferred_artist_types": [],
                "muted_collectives": [],
                "blocked_users": [users[(i + 1) % N].pk],
            },
        ).status_code
        created = client.post("/api/collectives/", {"name": f"c{i}"}).status_code
        return prefs, created

    assert run_concurrently(act, N) == [(200, 201)] * N
    assert Collective.objects.count() == N
