"""Profiles (issue 19): PATCH /api/users/me/, the avatar through the media pipeline and its
access rule, display names and avatars in user objects, pinned posts, and alt text."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import User
from atelier.core.tests.factories import BlockFactory, UserFactory
from atelier.media.models import Media
from atelier.media.services import media_prune
from atelier.media.tests.files import MP3, image_bytes, upload
from atelier.post.models import PinnedPost
from atelier.post.tests.factories import PostFactory


def send_upload(client, data: bytes | None = None) -> dict:
    body = {"file": upload(data if data is not None else image_bytes("PNG", (300, 200)))}
    response = client.post("/api/media/", body, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def patch_me(client, body):
    return client.patch("/api/users/me/", body, format="json")


def fetch(client, url: str):
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, content


# --- display name and bio ---------------------------------------------------------------


def test_display_name_and_bio_are_trimmed_and_shown(ana_client, ana):
    response = patch_me(ana_client, {"display_name": "  Ana\n Inkwell ", "bio": " Hi \n"})

    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Ana Inkwell"
    assert response.json()["bio"] == "Hi"
    ana.refresh_from_db()
    assert (ana.display_name, ana.bio) == ("Ana Inkwell", "Hi")


def test_an_empty_or_null_display_name_clears_it(ana_client, ana):
    patch_me(ana_client, {"display_name": "Ana"})
    for empty in ("", "   ", None):
        response = patch_me(ana_client, {"display_name": "Ana"})
        response = patch_me(ana_client, {"display_name": empty})

        assert response.status_code == 200
        assert response.json()["display_name"] is None
        assert response.json()["username"] == "ana"


def test_a_field_left_out_is_unchanged(ana_client):
    patch_me(ana_client, {"display_name": "Ana", "bio": "Ink"})

    response = patch_me(ana_client, {"bio": "Salt"})

    assert (response.json()["display_name"], response.json()["bio"]) == ("Ana", "Salt")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "x" * 51}, "display_name"),
        ({"bio": "x" * 1001}, "bio"),
        ({"display_name": 5}, "display_name"),
        ({"bio": ["a"]}, "bio"),
        ({"bio": "a\x00b"}, "bio"),
        ({"avatar": "1"}, "avatar"),
        ({"avatar": 2**63}, "avatar"),
        ({"pinned_posts": "1"}, "pinned_posts"),
        ({"username": "root"}, "username"),
        ({"email": "a@b.c"}, "email"),
    ],
)
def test_bad_profile_input_is_400_naming_the_field(ana_client, ana, body, field):
    response = patch_me(ana_client, body)

    assert response.status_code == 400
    assert field in response.json()
    ana.refresh_from_db()
    assert ana.username == "ana" and ana.bio == "" and ana.display_name == ""


@pytest.mark.django_db
def test_visitors_cannot_edit_a_profile(anon_client):
    assert patch_me(anon_client, {"bio": "x"}).status_code == 401


# --- avatar ---------------------------------------------------------------------------


def test_an_avatar_is_a_square_variant_of_my_picture(ana_client, ana):
    media = send_upload(ana_client, image_bytes("PNG", (300, 200)))

    response = patch_me(ana_client, {"avatar": media["id"]})

    assert response.status_code == 200, response.content
    url = response.json()["avatar"]
    assert url and url.startswith("/media/") and url.endswith("sq.webp")
    assert response.json()["avatar_media"] == media["id"]
    image = Image.open(io.BytesIO(fetch(ana_client, url)[1]))
    assert image.size == (200, 200)  # the largest centred square, never enlarged
    big = send_upload(ana_client, image_bytes("PNG", (900, 600)))
    url = patch_me(ana_client, {"avatar": big["id"]}).json()["avatar"]
    assert Image.open(io.BytesIO(fetch(ana_client, url)[1])).size == (256, 256)


def test_choosing_the_same_picture_again_reuses_its_square(ana_client, stored_files):
    media = send_upload(ana_client)
    first = patch_me(ana_client, {"avatar": media["id"]}).json()["avatar"]
    files = stored_files()

    assert patch_me(ana_client, {"avatar": media["id"]}).json()["avatar"] == first
    assert stored_files() == files


def test_a_null_avatar_clears_it(ana_client):
    media = send_upload(ana_client)
    patch_me(ana_client, {"avatar": media["id"]})

    response = patch_me(ana_client, {"avatar": None})

    assert response.json()["avatar"] is None and response.json()["avatar_media"] is None


def test_an_avatar_must_be_a_picture_of_mine(ana_client, ben_client, ana):
    bens = send_upload(ben_client)
    sound = send_upload(ana_client, MP3)

    for media_id in (bens["id"], sound["id"], 999_999):
        response = patch_me(ana_client, {"avatar": media_id})

        assert response.status_code == 400
        assert "avatar" in response.json()
    ana.refresh_from_db()
    assert ana.avatar_file == ""


def test_an_avatar_is_seen_by_whoever_may_see_the_member(
    ana_client, ben_client, anon_client, ana, ben
):
    url = patch_me(ana_client, {"avatar": send_upload(ana_client)["id"]}).json()["avatar"]

    assert fetch(anon_client, url)[0].status_code == 200
    assert fetch(ben_client, url)[0].status_code == 200
    response, _ = fetch(anon_client, url)
    assert response["Cache-Control"].startswith("public")

    BlockFactory(blocker=ana, blocked=ben)
    assert fetch(ben_client, url)[0].status_code == 404
    assert fetch(anon_client, url)[0].status_code == 200

    User.objects.filter(pk=ana.pk).update(suspended_at=timezone.now())
    assert fetch(anon_client, url)[0].status_code == 404
    assert fetch(ben_client, url)[0].status_code == 404


def test_only_the_avatar_file_is_public_not_the_picture_it_came_from(ana_client, anon_client):
    media = send_upload(ana_client)
    patch_me(ana_client, {"avatar": media["id"]})

    assert fetch(anon_client, media["url"])[0].status_code == 404
    assert fetch(anon_client, media["thumbnail_url"])[0].status_code == 404


def test_a_former_avatar_is_no_longer_public(ana_client, anon_client):
    url = patch_me(ana_client, {"avatar": send_upload(ana_client)["id"]}).json()["avatar"]
    patch_me(ana_client, {"avatar": send_upload(ana_client)["id"]})

    assert fetch(anon_client, url)[0].status_code == 404
    assert fetch(ana_client, url)[0].status_code == 200  # still the uploader's


def test_an_avatar_is_kept_by_delete_and_prune(ana_client):
    media = send_upload(ana_client)
    patch_me(ana_client, {"avatar": media["id"]})
    Media.objects.filter(pk=media["id"]).update(created_at=timezone.now() - timezone.timedelta(9))

    assert ana_client.delete(f"/api/media/{media['id']}/").status_code == 403
    media_prune()
    assert Media.objects.filter(pk=media["id"]).exists()

    patch_me(ana_client, {"avatar": None})
    media_prune()
    assert not Media.objects.filter(pk=media["id"]).exists()


def test_user_objects_carry_display_name_and_avatar(ana_client, ben_client, ana, ben):
    url = patch_me(ana_client, {"display_name": "Ana", "avatar": send_upload(ana_client)["id"]})
    url = url.json()["avatar"]
    post = PostFactory(author=ana)

    author = ben_client.get(f"/api/posts/{post.id}/").json()["author"]
    assert author == {
        "id": ana.id,
        "username": "ana",
        "display_name": "Ana",
        "artist_type": ana.artist_type,
        "avatar": url,
    }
    feed = ben_client.get("/api/posts/?ordering=chronological").json()["results"]
    assert feed[0]["author"]["avatar"] == url
    profile = ben_client.get(f"/api/users/{ana.id}/").json()
    assert (profile["display_name"], profile["avatar"]) == ("Ana", url)


# --- pins -----------------------------------------------------------------------------


def test_pins_are_shown_first_in_their_order(ana_client, ben_client, ana):
    posts = PostFactory.create_batch(3, author=ana)
    order = [posts[2].id, posts[0].id]

    response = patch_me(ana_client, {"pinned_posts": order})

    assert response.status_code == 200, response.content
    assert [p["id"] for p in response.json()["pinned_posts"]] == order
    shown = ben_client.get(f"/api/users/{ana.id}/").json()["pinned_posts"]
    assert [p["id"] for p in shown] == order
    assert patch_me(ana_client, {"pinned_posts": []}).json()["pinned_posts"] == []


def test_at_most_three_pins(ana_client, ana):
    posts = PostFactory.create_batch(4, author=ana)

    response = patch_me(ana_client, {"pinned_posts": [p.id for p in posts]})

    assert response.status_code == 400 and "pinned_posts" in response.json()
    assert not PinnedPost.objects.exists()


def test_only_my_own_live_posts_can_be_pinned(ana_client, ana, ben):
    bens = PostFactory(author=ben)
    deleted = PostFactory(author=ana, is_deleted=True)
    mine = PostFactory(author=ana)

    for post_id in (bens.id, deleted.id, 999_999):
        response = patch_me(ana_client, {"pinned_posts": [mine.id, post_id]})

        assert response.status_code == 400 and "pinned_posts" in response.json()
    assert not PinnedPost.objects.exists()


def test_a_pin_the_viewer_may_not_see_is_left_out(ana_client, cleo_client, ana, cleo):
    channel = ChannelFactory()
    MemberFactory(collective=channel.collective, user=ana)
    private = PostFactory(author=ana, channel=channel)
    public = PostFactory(author=ana)
    patch_me(ana_client, {"pinned_posts": [private.id, public.id]})

    shown = cleo_client.get(f"/api/users/{ana.id}/").json()["pinned_posts"]

    assert [p["id"] for p in shown] == [public.id]


# --- alt text -------------------------------------------------------------------------


def test_alt_text_is_set_on_my_media_and_served(ana_client, ben_client, ana):
    media = send_upload(ana_client)

    response = ana_client.patch(
        f"/api/media/{media['id']}/", {"alt_text": " A red square "}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["alt_text"] == "A red square"
    post = ana_client.post(
        "/api/posts/", {"title": "Red", "post_type": "image", "media": [media["id"]]}, format="json"
    ).json()
    assert post["media"][0]["alt_text"] == "A red square"
    shown = ben_client.get(f"/api/posts/{post['id']}/").json()["media"][0]
    assert shown["alt_text"] == "A red square"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"alt_text": "x" * 1001}, "alt_text"),
        ({"alt_text": "a\x00b"}, "alt_text"),
        ({"alt_text": 3}, "alt_text"),
        ({}, "alt_text"),
        ({"alt_text": "ok", "kind": "audio"}, "kind"),
    ],
)
def test_bad_alt_text_is_400(ana_client, body, field):
    media = send_upload(ana_client)

    response = ana_client.patch(f"/api/media/{media['id']}/", body, format="json")

    assert response.status_code == 400 and field in response.json()


def test_alt_text_of_others_media_is_refused(ana_client, ben_client, ben):
    hidden = send_upload(ben_client)
    shown = send_upload(ben_client)
    ben_client.post(
        "/api/posts/", {"title": "t", "post_type": "image", "media": [shown["id"]]}, format="json"
    )

    assert ana_client.patch(f"/api/media/{hidden['id']}/", {"alt_text": "x"}).status_code == 404
    assert ana_client.patch(f"/api/media/{shown['id']}/", {"alt_text": "x"}).status_code == 403


@pytest.mark.django_db
def test_visitors_cannot_set_alt_text(anon_client):
    assert anon_client.patch("/api/media/1/", {"alt_text": "x"}).status_code == 401


def test_other_users_not_touched(ana_client, ben):
    patch_me(ana_client, {"display_name": "Ana", "bio": "b"})
    ben.refresh_from_db()
    assert (ben.display_name, ben.bio) == ("", "")
    assert UserFactory(username="dora").display_name == ""


def test_authors_profiles_cost_the_feed_no_query(ben_client, ana, cleo):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for author in (ana, cleo):
        PostFactory.create_batch(3, author=author)

    def feed_queries() -> int:
        cache.clear()  # both reads build the page the same way
        with CaptureQueriesContext(connection) as queries:
            response = ben_client.get("/api/posts/?ordering=chronological")
        assert response.status_code == 200
        return len(queries)

    feed_queries()  # the first read of a viewer does one-off work; measure the next ones
    before = feed_queries()
    User.objects.filter(pk__in=[ana.pk, cleo.pk]).update(
        display_name="Someone", bio="b" * 1000, avatar_file="m/ab/abc-256sq.webp"
    )
    after = feed_queries()

    assert after == before
    authors = ben_client.get("/api/posts/?ordering=chronological").json()["results"]
    assert {a["author"]["avatar"] for a in authors} == {"/media/m/ab/abc-256sq.webp"}
