"""POST /api/posts/: create a public post, or one in a channel of a collective I belong to."""

import pytest

from atelier.core.choices import PostType
from atelier.post.models import Post
from atelier.post.tests.conftest import collective_channel

URL = "/api/posts/"

POST_FIELDS = {
    "id",
    "author",
    "post_type",
    "title",
    "body",
    "channel",
    "collective",
    "created_at",
    "hearts_count",
    "praise_count",
    "trophy_count",
    "comment_count",
    "critique_count",
    "media",
    "content_warning",
}


def test_create_answers_201_with_the_post_object(ana, ana_client):
    response = ana_client.post(
        URL, {"title": "Dawn", "post_type": "poem", "body": "Light, slowly."}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == POST_FIELDS
    post = Post.objects.get()
    assert body == {
        "id": post.id,
        "author": {
            "id": ana.id,
            "username": "ana",
            "display_name": None,
            "artist_type": "writer",
            "avatar": None,
        },
        "post_type": "poem",
        "title": "Dawn",
        "body": "Light, slowly.",
        "channel": None,
        "collective": None,
        "created_at": body["created_at"],
        "hearts_count": 0,
        "praise_count": 0,
        "trophy_count": 0,
        "comment_count": 0,
        "critique_count": 0,
        "media": [],
        "content_warning": None,
    }
    assert body["created_at"].endswith("Z")
    assert (post.author_id, post.title, post.is_deleted) == (ana.id, "Dawn", False)


def test_body_is_optional(ana_client):
    response = ana_client.post(URL, {"title": "Dawn", "post_type": "image"}, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == ""


@pytest.mark.parametrize("post_type", PostType.values)
def test_every_post_type_is_accepted(ana_client, post_type):
    response = ana_client.post(URL, {"title": "t", "post_type": post_type}, format="json")

    assert response.status_code == 201
    assert Post.objects.get().post_type == post_type


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"post_type": "image"}, "title"),
        ({"title": "t"}, "post_type"),
        ({"title": "", "post_type": "image"}, "title"),
        ({"title": "   ", "post_type": "image"}, "title"),
        ({"title": None, "post_type": "image"}, "title"),
        ({"title": "t", "post_type": "sculpture"}, "post_type"),
        ({"title": "t", "post_type": "IMAGE"}, "post_type"),
        ({"title": "x" * 201, "post_type": "image"}, "title"),
        ({"title": "t", "post_type": "image", "body": "x" * 20_001}, "body"),
        ({"title": ["t"], "post_type": "image"}, "title"),
        ({"title": {"t": 1}, "post_type": "image"}, "title"),
        ({"title": "t", "post_type": ["image"]}, "post_type"),
        ({"title": "t", "post_type": "image", "channel": "abc"}, "channel"),
        ({"title": "t", "post_type": "image", "channel": 1.5}, "channel"),
        ({"title": "t", "post_type": "image", "channel": 0}, "channel"),
        ({"title": "t", "post_type": "image", "channel": 99999999999999999999}, "channel"),
        # PostgreSQL text cannot hold NUL: it must be refused, not crash the insert.
        ({"title": "a\x00b", "post_type": "image"}, "title"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(ana_client, payload, field):
    response = ana_client.post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Post.objects.exists()


def test_longest_title_and_body_are_accepted(ana_client):
    payload = {"title": "x" * 200, "post_type": "novel", "body": "y" * 20_000}

    response = ana_client.post(URL, payload, format="json")

    assert response.status_code == 201
    post = Post.objects.get()
    assert (len(post.title), len(post.body)) == (200, 20_000)


@pytest.mark.parametrize("data", ["{bad", "[1, 2]", '"a string"', ""])
def test_malformed_or_non_object_json_is_400(ana_client, data):
    response = ana_client.post(URL, data=data, content_type="application/json")

    assert response.status_code == 400
    assert not Post.objects.exists()


def test_unknown_channel_is_400(ana_client):
    response = ana_client.post(
        URL, {"title": "t", "post_type": "image", "channel": 987654}, format="json"
    )

    assert response.status_code == 400
    assert "channel" in response.json()
    assert not Post.objects.exists()


def test_channel_of_a_public_collective_i_am_not_in_is_403(ana_client, ben):
    channel = collective_channel("public", ben)

    response = ana_client.post(
        URL, {"title": "t", "post_type": "image", "channel": channel.id}, format="json"
    )

    assert response.status_code == 403
    assert not Post.objects.exists()


def test_channel_of_a_private_collective_i_am_not_in_is_answered_like_a_missing_one(
    ana_client, ben
):
    """Issue 10, item 7: the answer must not reveal that the private channel exists."""
    channel = collective_channel("private", ben)

    hidden = ana_client.post(URL, {"title": "t", "post_type": "image", "channel": channel.id})
    missing = ana_client.post(URL, {"title": "t", "post_type": "image", "channel": 987654})

    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() == {"channel": ["Unknown channel."]}
    assert not Post.objects.exists()


@pytest.mark.parametrize("field, value", [("title", 0), ("body", ["x"]), ("channel", "1")])
def test_fields_of_the_wrong_json_type_are_400(ana_client, field, value):
    body = {"title": "t", "post_type": "image", field: value}

    response = ana_client.post(URL, body)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_member_posts_in_a_channel_with_channel_and_collective_set(ana, ana_client, visibility):
    channel = collective_channel(visibility, ana)

    response = ana_client.post(
        URL, {"title": "t", "post_type": "comic", "channel": channel.id}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["collective"]) == (channel.id, channel.collective_id)
    post = Post.objects.get()
    assert (post.channel_id, post.collective_id) == (channel.id, channel.collective_id)


def test_explicit_null_channel_is_a_public_post(ana_client):
    response = ana_client.post(
        URL, {"title": "t", "post_type": "image", "channel": None}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["channel"], response.json()["collective"]) == (None, None)


def test_anonymous_is_401(anon_client, db):
    response = anon_client.post(URL, {"title": "t", "post_type": "image"}, format="json")

    assert response.status_code == 401
    assert not Post.objects.exists()


# Moved from core/tests/test_api_inputs.py (core's tests know no posts).
def test_a_file_on_a_post_is_refused_not_dropped(ana_client):
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nt\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="post_type"\r\n\r\npoem\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n" + "x" * 10_000 + f"\r\n--{boundary}--\r\n"
    )
    response = ana_client.generic(
        "POST", URL, body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    assert response.status_code == 415
    assert not Post.objects.exists()
