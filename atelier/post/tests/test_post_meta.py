"""GET /api/posts/meta/?ids=...: counts and my appreciations for up to 100 visible posts."""

import pytest

from atelier.post.services import appreciation_add, remark_create
from atelier.post.tests.conftest import INVISIBLE, collective_channel, make_invisible_post
from atelier.post.tests.factories import PostFactory

URL = "/api/posts/meta/"
ZERO = {
    "hearts": 0,
    "praise": 0,
    "trophies": 0,
    "comments": 0,
    "critiques": 0,
    "hearted": False,
    "praised": False,
    "trophied": False,
    "media": [],
}


def meta(client, *ids) -> dict:
    response = client.get(URL, {"ids": ",".join(str(i) for i in ids)})
    assert response.status_code == 200, response.content
    return response.json()


def test_shape_counts_and_my_flags(ana, ben, cleo, ana_client, cleo_client, bens_post):
    appreciation_add(user=cleo, post=bens_post, kind="heart")
    appreciation_add(user=ana, post=bens_post, kind="praise")
    appreciation_add(user=cleo, post=bens_post, kind="praise")
    appreciation_add(user=ana, post=bens_post, kind="trophy")
    remark_create(kind="comment", author=cleo, post=bens_post, text="x")
    for _ in range(2):
        remark_create(kind="critique", author=ana, post=bens_post, text="y")
    quiet = PostFactory(author=ben)

    assert meta(ana_client, bens_post.id, quiet.id) == {
        str(bens_post.id): {
            "hearts": 1,
            "praise": 2,
            "trophies": 1,
            "comments": 1,
            "critiques": 2,
            "hearted": False,
            "praised": True,
            "trophied": True,
            "media": [],
        },
        str(quiet.id): ZERO,
    }
    # The flags are the viewer's own.
    cleos = meta(cleo_client, bens_post.id)[str(bens_post.id)]
    assert (cleos["hearted"], cleos["praised"], cleos["trophied"]) == (True, True, False)


def test_flags_follow_taking_back(ana, ana_client, bens_post):
    ana_client.post(f"/api/posts/{bens_post.id}/heart/")
    assert meta(ana_client, bens_post.id)[str(bens_post.id)]["hearted"] is True

    ana_client.delete(f"/api/posts/{bens_post.id}/heart/")

    assert meta(ana_client, bens_post.id)[str(bens_post.id)] == ZERO


def test_invisible_deleted_and_unknown_ids_are_left_out(ana, ana_client, bens_post):
    hidden = [make_invisible_post(how, author=bens_post.author, viewer=ana) for how in INVISIBLE]
    # The block scenarios hide every post of ben's, so the visible one is cleo's.
    visible = PostFactory()

    answer = meta(ana_client, visible.id, *(p.id for p in hidden), 987654)

    assert answer == {str(visible.id): ZERO}


def test_member_sees_collective_post(ana, ana_client, ben):
    post = PostFactory(author=ben, channel=collective_channel("private", ana, ben))

    assert meta(ana_client, post.id) == {str(post.id): ZERO}


def test_duplicates_are_fine(ana_client, bens_post):
    response = ana_client.get(URL, {"ids": f"{bens_post.id},{bens_post.id}, {bens_post.id}"})

    assert response.status_code == 200
    assert response.json() == {str(bens_post.id): ZERO}


def test_100_ids_are_accepted_101_are_400(ana_client, bens_post):
    ids = [bens_post.id, *range(10_000, 10_099)]
    assert len(set(ids)) == 100
    assert meta(ana_client, *ids) == {str(bens_post.id): ZERO}

    response = ana_client.get(URL, {"ids": ",".join(map(str, [*ids, 20_000]))})

    assert response.status_code == 400
    assert "ids" in response.json()


@pytest.mark.parametrize(
    "raw",
    ["abc", "1,abc", "", " , ", "0", "-1", "1.5", "1e3", "99999999999999999999", "²", "١"],
)
def test_malformed_ids_are_400(ana_client, bens_post, raw):
    response = ana_client.get(URL, {"ids": raw})

    assert response.status_code == 400
    assert "ids" in response.json()


def test_missing_ids_is_400(ana_client, db):
    response = ana_client.get(URL)

    assert response.status_code == 400
    assert "ids" in response.json()


def test_anonymous_is_401(anon_client, bens_post):
    assert anon_client.get(URL, {"ids": str(bens_post.id)}).status_code == 401


@pytest.mark.parametrize("count", [1, 5])
def test_query_count_does_not_grow_with_ids(ana, ben, ana_client, count, django_assert_num_queries):
    posts = PostFactory.create_batch(count, author=ben)
    for post in posts:
        appreciation_add(user=ana, post=post, kind="heart")

    # Token and user, the visible posts' counters (the visibility rule's membership and
    # blocks are subqueries of that query), my appreciations.
    with django_assert_num_queries(3):
        answer = meta(ana_client, *(p.id for p in posts))

    assert len(answer) == count
    assert all(row["hearted"] for row in answer.values())
