"""Moderation against feed pages cached beforehand (docs/moderation.md, "Cached pages"):
every change to what others may see moves the visibility epoch, so a feed page cached
before it (a removal, a restore, a suspension, a limit, their reversals) is ranked and
counted again at the viewer's next request, with the default cache of the run (locmem, or
Redis in the PostgreSQL and Redis run) and with Redis down."""

import urllib.parse
from datetime import timedelta

import pytest
from django.utils import timezone

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import VisibilityEpoch
from atelier.core.tests.factories import UserFactory
from atelier.core.versions import visibility_changed, visibility_epoch
from atelier.feed.tests.test_feed_redis_down import redis_down  # noqa: F401
from atelier.moderation import services as moderation_services
from atelier.post.tests.factories import PostFactory


@pytest.fixture
def mod(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def mod_client(mod, client_for):
    return client_for(mod)


def _feed(client, **params) -> dict:
    params.setdefault("page_size", 50)
    response = client.get("/api/posts/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _ids(page: dict) -> list[int]:
    return [p["id"] for p in page["results"]]


def _act(client, target_type: str, target_id: int, action: str):
    body = {"target_type": target_type, "target_id": target_id, "action": action}
    response = client.post("/api/moderation/actions/", {**body, "reason": "Rule 1"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _three_posts(author) -> list:
    now = timezone.now()
    return [PostFactory(author=author, created_at=now - timedelta(hours=h)) for h in (1, 2, 3)]


def _cached_without(client, post_ids) -> dict:
    """Read the viewer's feed twice: the second answer comes from the cached snapshot."""
    _feed(client)
    page = _feed(client)
    assert page["ranking"]["cached"] is True
    assert not set(post_ids) & set(_ids(page))
    return page


def _reverse_by_appeal(author_client, mod_client, decision_id: int) -> None:
    url = f"/api/moderation/decisions/{decision_id}/appeal/"
    appeal = author_client.post(url, {"text": "It is art."}, format="json")
    assert appeal.status_code == 201, appeal.content
    decide = f"/api/moderation/appeals/{appeal.json()['id']}/decide/"
    answer = mod_client.post(decide, {"outcome": "reverse", "reason": "Fair"}, format="json")
    assert answer.status_code == 201, answer.content


# --- Showing again --------------------------------------------------------------------------


@pytest.mark.parametrize("undo", ["restore", "appeal"])
def test_a_restored_post_is_back_in_a_feed_page_cached_after_its_removal(
    undo, ana, ana_client, cleo_client, mod_client
):
    posts = _three_posts(ana)
    decision = _act(mod_client, "post", posts[0].id, "remove")
    before = _cached_without(cleo_client, [posts[0].id])
    assert before["count"] == 2

    if undo == "restore":
        _act(mod_client, "post", posts[0].id, "restore")
    else:
        _reverse_by_appeal(ana_client, mod_client, decision["id"])

    after = _feed(cleo_client)
    assert posts[0].id in _ids(after)
    assert after["count"] == 3 and after["ranking"]["cached"] is False


@pytest.mark.usefixtures("redis_down")
def test_a_restored_post_is_back_at_once_with_redis_down(ana, cleo_client, mod_client):
    posts = _three_posts(ana)
    _act(mod_client, "post", posts[0].id, "remove")
    assert posts[0].id not in _ids(_feed(cleo_client))
    _act(mod_client, "post", posts[0].id, "restore")
    after = _feed(cleo_client)
    assert posts[0].id in _ids(after) and after["count"] == 3


@pytest.mark.parametrize("undo", ["unlimit", "appeal"])
def test_a_strangers_feed_cached_during_a_limit_gets_the_posts_back(
    undo, ana, ana_client, cleo_client, mod_client
):
    posts = _three_posts(ana)
    decision = _act(mod_client, "user", ana.id, "limit")
    before = _cached_without(cleo_client, [p.id for p in posts])
    assert before["count"] == 0

    if undo == "unlimit":
        _act(mod_client, "user", ana.id, "unlimit")
    else:
        _reverse_by_appeal(ana_client, mod_client, decision["id"])

    after = _feed(cleo_client)
    assert set(_ids(after)) == {p.id for p in posts} and after["count"] == 3


def test_a_feed_cached_during_a_suspension_gets_the_posts_back(ana, cleo_client, mod_client):
    posts = _three_posts(ana)
    _act(mod_client, "user", ana.id, "suspend")
    _cached_without(cleo_client, [p.id for p in posts])

    _act(mod_client, "user", ana.id, "unsuspend")

    after = _feed(cleo_client)
    assert set(_ids(after)) == {p.id for p in posts} and after["count"] == 3


def test_a_post_a_collective_moderator_restores_is_back_in_a_cached_feed(
    ana, cleo, cleo_client, mod
):
    channel = ChannelFactory(collective__created_by=mod)
    collective = channel.collective
    MemberFactory(collective=collective, user=mod, role="admin")
    for member in (ana, cleo):
        MemberFactory(collective=collective, user=member)
    post = PostFactory(author=ana, channel=channel)
    act = moderation_services.collective_post_act
    act(actor=mod, collective=collective, post_id=post.id, action="remove", reason="Off topic")
    _cached_without(cleo_client, [post.id])

    act(actor=mod, collective=collective, post_id=post.id, action="restore", reason="Fine")

    assert post.id in _ids(_feed(cleo_client))


# --- Hiding: the count of a cached page ------------------------------------------------------


@pytest.mark.parametrize("action", ["remove", "suspend", "limit"])
def test_a_cached_page_counts_exactly_after_an_action(action, ana, ben, cleo_client, mod_client):
    hers = _three_posts(ana)[0]
    his = PostFactory(author=ben)
    before = _feed(cleo_client)
    assert _feed(cleo_client)["ranking"]["cached"] is True
    assert before["count"] == 4

    if action == "remove":
        _act(mod_client, "post", hers.id, "remove")
    else:
        _act(mod_client, "user", ana.id, action)

    after = _feed(cleo_client)
    assert hers.id not in _ids(after) and his.id in _ids(after)
    assert after["count"] == len(after["results"]) == (3 if action == "remove" else 1)


def test_an_action_that_shows_or_hides_nothing_keeps_the_cached_pages(ana, cleo_client, mod):
    post = PostFactory(author=ana)
    epoch = visibility_epoch()
    for action in ("mark_sensitive", "unmark_sensitive", "dismiss"):
        moderation_services.moderation_act(
            actor=mod, target_type="post", target_id=post.id, action=action, reason="r"
        )
    moderation_services.moderation_act(
        actor=mod, target_type="user", target_id=ana.id, action="warn", reason="r"
    )
    assert visibility_epoch() == epoch


# --- Tokens from before a moderation change ---------------------------------------------------


def _token(link: str) -> str:
    (token,) = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["snapshot"]
    return token


def test_a_snapshot_token_from_before_a_restore_pages_on_from_the_current_snapshot(
    ana, cleo_client, mod_client
):
    posts = _three_posts(ana)
    _act(mod_client, "post", posts[0].id, "remove")
    first = _feed(cleo_client, page_size=1)
    assert first["count"] == 2
    old_token = _token(first["next"])

    _act(mod_client, "post", posts[0].id, "restore")

    # Like a token whose snapshot expired: the page comes from the snapshot ranked now,
    # which counts the restored post, and its links carry that snapshot's token.
    second = _feed(cleo_client, page_size=1, page=2, snapshot=old_token)
    assert second["count"] == 3 and second["ranking"]["cached"] is False
    assert _token(second["next"]) != old_token
    walked = _ids(_feed(cleo_client, page_size=3, snapshot=_token(second["next"])))
    assert set(walked) == {p.id for p in posts}


def test_a_snapshot_token_from_before_the_epoch_existed_still_answers(ana, cleo_client):
    _three_posts(ana)
    first = _feed(cleo_client, page_size=1)
    head, _, _ = _token(first["next"]).rpartition(".")  # the earlier shape: no epoch

    page = _feed(cleo_client, page_size=1, page=2, snapshot=head)

    assert page["count"] == 3 and len(page["results"]) == 1
    assert _token(page["next"]) == _token(first["next"])  # the current snapshot's


# --- The epoch itself -----------------------------------------------------------------------


def test_the_epoch_moves_on_with_every_bump_and_starts_again_without_its_row(db):
    visibility_changed()
    start = visibility_epoch()
    visibility_changed()
    assert visibility_epoch() == start + 1
    VisibilityEpoch.objects.all().delete()  # a flushed database
    assert visibility_epoch() == 0
    visibility_changed()
    assert visibility_epoch() > start + 1  # from the clock
