"""Content warnings across the apps (docs/moderation.md, "Content warnings"): the author's
edit against a warning staff set, appeals, the post object on every path, cached feeds."""

import pytest
from rest_framework.test import APIClient

from atelier.core.tests.factories import UserFactory
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory


@pytest.fixture
def mod(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def mod_client(mod, client_for) -> APIClient:
    return client_for(mod)


def _act(client, post, action):
    body = {"target_type": "post", "target_id": post.id, "action": action, "reason": "Rule 4"}
    response = client.post("/api/moderation/actions/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _mark(client, post, warning):
    body = {
        "target_type": "post",
        "target_id": post.id,
        "action": "mark_sensitive",
        "reason": "Rule 4: graphic content needs a warning",
        "content_warning": warning,
    }
    response = client.post("/api/moderation/actions/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _edit(client, post, warning):
    return client.patch(f"/api/posts/{post.id}/", {"content_warning": warning}, format="json")


def _stored(post) -> tuple[str | None, bool]:
    return Post.objects.values_list("content_warning", "content_warning_by_staff").get(pk=post.pk)


STAFF_RULE = (
    "Staff marked this post sensitive: its content warning stays until staff lift it or an "
    "appeal against the decision is granted."
)


@pytest.mark.parametrize("attempt", [None, "", "mild"])
def test_the_author_cannot_change_or_remove_a_warning_staff_set(
    ana, ana_client, mod_client, attempt
):
    post = PostFactory(author=ana, content_warning="mild")
    _mark(mod_client, post, "graphic injury")

    response = _edit(ana_client, post, attempt)

    assert response.status_code == 403
    assert response.json() == {"detail": STAFF_RULE}
    assert _stored(post) == ("graphic injury", True)


def test_the_author_may_send_the_staff_warning_unchanged(ana, ana_client, mod_client):
    post = PostFactory(author=ana)
    _mark(mod_client, post, "graphic injury")

    response = _edit(ana_client, post, "  graphic injury ")

    assert response.status_code == 200
    assert response.json()["content_warning"] == "graphic injury"


def test_once_staff_unmark_the_author_may_set_a_warning_again(ana, ana_client, mod_client):
    post = PostFactory(author=ana)
    _mark(mod_client, post, "graphic injury")
    _act(mod_client, post, "unmark_sensitive")
    assert _stored(post) == (None, False)

    response = _edit(ana_client, post, "blood")

    assert response.status_code == 200
    assert _stored(post) == ("blood", False)
    assert _edit(ana_client, post, None).status_code == 200
    assert _stored(post) == (None, False)


def test_a_reversed_appeal_gives_the_author_their_own_warning_back(ana, ana_client, mod_client):
    post = PostFactory(author=ana, content_warning="spiders")
    decision = _mark(mod_client, post, "graphic injury")
    appeal = ana_client.post(
        f"/api/moderation/decisions/{decision['id']}/appeal/", {"text": "Fine as is"}, format="json"
    )
    assert appeal.status_code == 201, appeal.content

    decided = mod_client.post(
        f"/api/moderation/appeals/{appeal.json()['id']}/decide/",
        {"outcome": "reverse", "reason": "The author's warning was enough"},
        format="json",
    )

    assert decided.status_code == 201, decided.content
    assert _stored(post) == ("spiders", False)
    assert _edit(ana_client, post, None).status_code == 200


def test_reversing_an_unmark_puts_the_staff_warning_back(ana, ana_client, mod_client):
    post = PostFactory(author=ana)
    _mark(mod_client, post, "graphic injury")
    unmark = _act(mod_client, post, "unmark_sensitive")
    appeal = ana_client.post(
        f"/api/moderation/decisions/{unmark['id']}/appeal/", {"text": "?"}, format="json"
    )
    # The unmark is a decision about ana too; whoever appeals it, reversing it restores the
    # staff's mark, and with it the rule that the author may not edit it away.
    assert appeal.status_code == 201, appeal.content
    mod_client.post(
        f"/api/moderation/appeals/{appeal.json()['id']}/decide/",
        {"outcome": "reverse", "reason": "The mark was right"},
        format="json",
    )

    assert _stored(post) == ("graphic injury", True)
    assert _edit(ana_client, post, None).status_code == 403


def test_the_warning_is_on_the_post_object_of_every_path(ana, ana_client, ben_client):
    created = ana_client.post(
        "/api/posts/",
        {"title": "t", "post_type": "image", "content_warning": "gore"},
        format="json",
    )
    post_id = created.json()["id"]
    assert created.json()["content_warning"] == "gore"
    assert ben_client.get(f"/api/posts/{post_id}/").json()["content_warning"] == "gore"
    for ordering in ("personalized", "chronological"):
        feed = ben_client.get(f"/api/posts/?ordering={ordering}&explain=true").json()
        (item,) = [p for p in feed["results"] if p["id"] == post_id]
        assert item["content_warning"] == "gore", ordering
    public = APIClient().get("/api/posts/").json()
    (item,) = [p for p in public["results"] if p["id"] == post_id]
    assert item["content_warning"] == "gore"
    edited = ana_client.patch(f"/api/posts/{post_id}/", {"content_warning": "blood"}, format="json")
    assert edited.json()["content_warning"] == "blood"


def test_an_edited_warning_shows_on_a_cached_feed_page_at_the_next_request(
    ana, ana_client, ben_client
):
    post = PostFactory(author=ana)
    first = ben_client.get("/api/posts/").json()
    again = ben_client.get("/api/posts/").json()
    assert again["ranking"]["cached"] is True
    assert [p["content_warning"] for p in first["results"] if p["id"] == post.id] == [None]

    assert _edit(ana_client, post, "strobe").status_code == 200

    page = ben_client.get("/api/posts/").json()
    assert page["ranking"]["cached"] is True  # the same snapshot: no version moved
    assert [p["content_warning"] for p in page["results"] if p["id"] == post.id] == ["strobe"]
