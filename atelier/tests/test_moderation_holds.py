"""Holds (docs/moderation.md, "Holds"): a target reported by enough distinct members is seen
by its author alone until a decision; reporters whose reports were dismissed weigh less.

Over HTTP, against feed pages cached beforehand; with REDIS_URL set the cache is Redis.
The concurrent test needs PostgreSQL (SQLite runs one writer at a time anyway).
"""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from atelier.collective.models import Collective
from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import User
from atelier.core.tests.factories import UserFactory
from atelier.moderation import services
from atelier.moderation.models import AuditEntry, Decision, Report
from atelier.moderation.selectors import hold_weights, reporter_weight
from atelier.notification.models import Notification
from atelier.post.models import Comment, Critique, Post
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory


@pytest.fixture
def mod(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def mod_client(mod, client_for):
    return client_for(mod)


@pytest.fixture
def reporters(db, client_for):
    """Six members with nothing against them, and their clients."""
    users = [UserFactory(username=f"reporter{i}") for i in range(6)]
    return [(user, client_for(user)) for user in users]


def _report(client, target_type: str, target_id: int, category: str = "spam"):
    body = {"target_type": target_type, "target_id": target_id, "category": category}
    return client.post("/api/reports/", body, format="json")


def _report_all(clients, target_type: str, target_id: int) -> None:
    for client in clients:
        response = _report(client, target_type, target_id)
        assert response.status_code == 201, response.content


def _feed(client) -> tuple[list[int], bool]:
    """The viewer's personalized first page: (post ids, served from the cache)."""
    response = client.get("/api/posts/?ordering=personalized&page_size=50")
    assert response.status_code == 200, response.content
    body = response.json()
    return [p["id"] for p in body["results"]], body["ranking"]["cached"]


def _queue_item(mod_client, target_type: str, target_id: int) -> dict:
    queue = mod_client.get("/api/moderation/reports/?status=open&page_size=100").json()
    return next(
        item
        for item in queue["results"]
        if (item["target_type"], item["target_id"]) == (target_type, target_id)
    )


def _held(model, pk) -> bool:
    return model.objects.get(pk=pk).held_at is not None


def _act(client, **body):
    body.setdefault("reason", "Looked at it")
    response = client.post("/api/moderation/actions/", body, format="json")
    assert response.status_code == 201, response.content
    return response


def test_three_distinct_reporters_hold_a_post_from_all_but_its_author(
    ana, ana_client, cleo_client, mod_client, reporters
):
    post = PostFactory(author=ana, title="reported")
    assert post.id in _feed(cleo_client)[0]
    assert _feed(cleo_client) == (_feed(cleo_client)[0], True)  # cleo's page is cached
    clients = [client for _, client in reporters[:3]]

    _report_all(clients[:2], "post", post.id)
    assert not _held(Post, post.id)
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 200
    receipt = _report(clients[2], "post", post.id)
    assert receipt.status_code == 201
    assert set(receipt.json()) == {
        "id",
        "target_type",
        "target_id",
        "category",
        "text",
        "status",
        "decision",
        "created_at",
        "updated_at",
    }  # the reporter's receipt says nothing of the hold
    assert _held(Post, post.id)

    # Gone for everyone else at once: the hold moved the visibility epoch, so the page
    # cached before the third report is rebuilt without it (its count exact).
    ids, cached = _feed(cleo_client)
    assert not cached and post.id not in ids
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 404
    assert mod_client.get(f"/api/posts/{post.id}/").status_code == 404  # staff: the queue
    # Its author still sees it, and learns of no reporter.
    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert post.id in _feed(ana_client)[0]
    assert not Notification.objects.filter(notified_to=ana).exists()
    assert ana_client.get("/api/moderation/decisions/").json()["count"] == 0

    item = _queue_item(mod_client, "post", post.id)
    assert item["held_at"] is not None
    assert item["weighted_count"] == 3.0 and item["reports_count"] == 3
    holds = AuditEntry.objects.filter(action="hold", target_type="post", target_id=post.id)
    assert [(e.actor_id, e.target_name) for e in holds] == [(None, "reported")]

    # A fourth member may still report what they can no longer see.
    assert _report(reporters[3][1], "post", post.id).status_code == 201
    assert _queue_item(mod_client, "post", post.id)["weighted_count"] == 4.0
    assert holds.count() == 1


def test_the_same_reporter_twice_counts_once(ana, reporters, mod_client):
    post = PostFactory(author=ana)
    first, second = (client for _, client in reporters[:2])
    assert _report(first, "post", post.id).status_code == 201
    assert _report(first, "post", post.id, "hate").status_code == 200
    assert _report(second, "post", post.id).status_code == 201
    assert _report(second, "post", post.id, "other").status_code == 200
    assert not _held(Post, post.id)
    item = _queue_item(mod_client, "post", post.id)
    assert item["weighted_count"] == 2.0 and item["reports_count"] == 2


def test_reporters_whose_reports_were_dismissed_weigh_less(ana, ben, reporters, mod_client):
    # reporter0 and reporter1 each had a report dismissed: they weigh 1/2 each.
    for _, client in reporters[:2]:
        earlier = PostFactory(author=ben)
        _report_all([client], "post", earlier.id)
        _act(mod_client, target_type="post", target_id=earlier.id, action="dismiss")
    post = PostFactory(author=ana)
    clients = [client for _, client in reporters]
    _report_all(clients[:3], "post", post.id)  # 1/2 + 1/2 + 1
    assert not _held(Post, post.id)
    assert _queue_item(mod_client, "post", post.id)["weighted_count"] == 2.0
    _report_all(clients[3:4], "post", post.id)  # + 1 = 3
    assert _held(Post, post.id)


def test_dismissals_older_than_the_window_are_forgiven(ana, ben, reporters, settings):
    client = reporters[0][1]
    earlier = PostFactory(author=ben)
    _report_all([client], "post", earlier.id)
    services.moderation_act(
        actor=UserFactory(is_staff=True),
        target_type="post",
        target_id=earlier.id,
        action="dismiss",
        reason="",
    )
    assert hold_weights([("post", earlier.id)]) == {("post", earlier.id): 0}
    post = PostFactory(author=ana)
    _report_all([client], "post", post.id)
    assert hold_weights([("post", post.id)])[("post", post.id)] == reporter_weight(1)
    Decision.objects.update(
        created_at=timezone.now() - timedelta(days=settings.MODERATION_HIDE_DISMISSED_DAYS, hours=1)
    )
    assert hold_weights([("post", post.id)])[("post", post.id)] == 1


def test_the_weight_of_a_reporter():
    assert [reporter_weight(d) for d in range(4)] == [1, 0.5, pytest.approx(1 / 3), 0.25]
    assert sum(reporter_weight(2) for _ in range(9)) == 3  # exact: nine thirds are three


@pytest.mark.parametrize(
    "action, shown_after",
    [("dismiss", True), ("mark_sensitive", True), ("remove", False)],
)
def test_a_decision_lifts_the_hold(
    ana, ana_client, cleo_client, mod_client, reporters, action, shown_after
):
    post = PostFactory(author=ana)
    clients = [client for _, client in reporters]
    assert post.id in _feed(cleo_client)[0]  # cached before the hold
    _report_all(clients[:3], "post", post.id)
    assert _held(Post, post.id)
    assert post.id not in _feed(cleo_client)[0]

    _act(mod_client, target_type="post", target_id=post.id, action=action)
    assert not _held(Post, post.id)
    assert (cleo_client.get(f"/api/posts/{post.id}/").status_code == 200) is shown_after
    # Lifting the hold moves the epoch too: the page ranked during the hold is rebuilt.
    ids, cached = _feed(cleo_client)
    assert not cached and (post.id in ids) is shown_after
    chronological = cleo_client.get("/api/posts/?ordering=chronological").json()["results"]
    assert (post.id in [p["id"] for p in chronological]) is shown_after
    assert _queue_item_absent(mod_client, "post", post.id)

    if not shown_after:
        return  # removed: no one can report it any more
    # Reports after the decision start again from nothing ...
    _report_all(clients[3:5], "post", post.id)
    assert not _held(Post, post.id)
    if action == "dismiss":
        # ... and the members whose reports were just dismissed weigh half.
        _report_all(clients[:2], "post", post.id)  # 2 + 1/2 + 1/2
        assert _held(Post, post.id)


def _queue_item_absent(mod_client, target_type: str, target_id: int) -> bool:
    queue = mod_client.get("/api/moderation/reports/?status=open&page_size=100").json()
    return (target_type, target_id) not in {
        (i["target_type"], i["target_id"]) for i in queue["results"]
    }


def test_a_partial_decision_lifts_the_hold_too(ana, reporters, mod_client):
    post = PostFactory(author=ana)
    _report_all([client for _, client in reporters[:4]], "post", post.id)
    first = Report.objects.filter(target_id=post.id).order_by("id").first()
    _act(
        mod_client,
        target_type="post",
        target_id=post.id,
        action="mark_sensitive",
        report_ids=[first.id],
    )
    assert not _held(Post, post.id)
    item = _queue_item(mod_client, "post", post.id)  # three reports stay open ...
    assert item["reports_count"] == 3 and item["weighted_count"] == 0  # ... weighing nothing
    assert item["held_at"] is None


def test_the_threshold_is_a_setting(ana, reporters, settings):
    settings.MODERATION_HIDE_THRESHOLD = 1
    once = PostFactory(author=ana)
    _report_all([reporters[0][1]], "post", once.id)
    assert _held(Post, once.id)

    settings.MODERATION_HIDE_THRESHOLD = 5
    post = PostFactory(author=ana)
    _report_all([client for _, client in reporters[:4]], "post", post.id)
    assert not _held(Post, post.id)
    _report_all([reporters[4][1]], "post", post.id)
    assert _held(Post, post.id)

    settings.MODERATION_HIDE_THRESHOLD = 0  # never
    never = PostFactory(author=ana)
    _report_all([client for _, client in reporters], "post", never.id)
    assert not _held(Post, never.id)


def test_recompute_hold_rebuilds_the_hold_from_open_reports(ana, reporters, settings):
    """What an import calls: the dump carries no held_at."""
    post = PostFactory(author=ana)
    _report_all([client for _, client in reporters[:3]], "post", post.id)
    Post.objects.filter(pk=post.id).update(held_at=None)
    assert services.recompute_hold("post", post.id) is True
    assert _held(Post, post.id)
    assert services.recompute_hold("post", post.id) is True  # idempotent
    assert AuditEntry.objects.filter(action="hold").count() == 2  # the original, the rebuilt
    Report.objects.filter(target_id=post.id).update(status="dismissed")
    assert services.recompute_hold("post", post.id) is False
    assert not _held(Post, post.id)
    assert services.recompute_hold("post", 10**9) is False


def test_a_hold_bumps_the_authors_versions(ana, reporters):
    post = PostFactory(author=ana)
    before = User.objects.get(pk=ana.pk).feed_version
    _report_all([client for _, client in reporters[:2]], "post", post.id)
    assert User.objects.get(pk=ana.pk).feed_version == before
    _report_all([reporters[2][1]], "post", post.id)
    assert User.objects.get(pk=ana.pk).feed_version > before


# --- Every kind of target: hidden from all but its author, until a decision -------------------


def _remark_seen(kind: str):
    def seen(client, remark) -> bool:
        response = client.get(f"/api/posts/{remark.post_id}/{kind}s/")
        assert response.status_code == 200, response.content
        return remark.id in [r["id"] for r in response.json()]

    return seen


def _post_seen(client, post) -> bool:
    return client.get(f"/api/posts/{post.id}/").status_code == 200


def _member_seen(client, user) -> bool:
    return client.get(f"/api/users/{user.id}/").status_code == 200


def _collective_seen(client, collective) -> bool:
    return client.get(f"/api/collectives/{collective.id}/").status_code == 200


@pytest.mark.parametrize("target_type", ["post", "comment", "critique", "user", "collective"])
def test_every_target_is_held_from_all_but_its_author(
    ana, ana_client, ben, ben_client, mod_client, reporters, target_type
):
    channel = ChannelFactory(collective__created_by=ana, collective__visibility="public")
    MemberFactory(collective=channel.collective, user=ana)
    MemberFactory(collective=channel.collective, user=ben)
    bens_post = PostFactory(author=ben)
    targets = {
        "post": (Post, PostFactory(author=ana), _post_seen),
        "comment": (Comment, CommentFactory(post=bens_post, author=ana), _remark_seen("comment")),
        "critique": (
            Critique,
            CritiqueFactory(post=bens_post, author=ana),
            _remark_seen("critique"),
        ),
        "user": (User, ana, _member_seen),
        "collective": (Collective, channel.collective, _collective_seen),
    }
    model, target, seen = targets[target_type]
    assert seen(ben_client, target) and seen(ana_client, target)

    _report_all([client for _, client in reporters[:3]], target_type, target.pk)
    assert _held(model, target.pk)
    assert not seen(ben_client, target)
    assert not seen(mod_client, target)
    assert seen(ana_client, target)
    assert _queue_item(mod_client, target_type, target.pk)["held_at"] is not None

    _act(mod_client, target_type=target_type, target_id=target.pk, action="dismiss")
    assert not _held(model, target.pk)
    assert seen(ben_client, target)


def test_a_held_member_is_hidden_like_a_suspended_one_but_not_from_themselves(
    ana, ana_client, ben, ben_client, reporters, mod_client
):
    post = PostFactory(author=ana)
    bens_post = PostFactory(author=ben)
    comment = ana_client.post(f"/api/posts/{bens_post.id}/comments/", {"text": "hi"})
    assert comment.status_code == 201, comment.content
    assert Notification.objects.filter(notified_to=ben, actor=ana).exists()
    assert len(ben_client.get("/api/notifications/").json()) == 1
    _feed(ben_client)

    _report_all([client for _, client in reporters[:3]], "user", ana.id)
    assert _held(User, ana.id)
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 404
    assert post.id not in _feed(ben_client)[0]
    assert ben_client.get(f"/api/posts/{bens_post.id}/comments/").json() == []
    assert ben_client.get("/api/notifications/").json() == []
    # She still signs in and sees all of her own, her post counted on her profile.
    assert ana_client.get("/api/users/me/").json()["posts_count"] == 1
    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert len(ana_client.get(f"/api/posts/{bens_post.id}/comments/").json()) == 1

    _act(mod_client, target_type="user", target_id=ana.id, action="warn")
    assert not _held(User, ana.id)
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert len(ben_client.get("/api/notifications/").json()) == 1


def test_a_held_collective_hides_its_posts_from_all_but_its_creator(
    ana, ana_client, ben, ben_client, cleo, cleo_client, reporters, mod_client
):
    channel = ChannelFactory(collective__created_by=ana, collective__visibility="public")
    for member in (ana, ben, cleo):
        MemberFactory(collective=channel.collective, user=member)
    bens = PostFactory(author=ben, channel=channel)
    assert bens.id in _feed(cleo_client)[0]
    _report_all([client for _, client in reporters[:3]], "collective", channel.collective_id)
    # As a removed collective's, to its members and their posts' authors alike ...
    assert cleo_client.get(f"/api/posts/{bens.id}/").status_code == 404
    assert ben_client.get(f"/api/posts/{bens.id}/").status_code == 404
    assert bens.id not in _feed(cleo_client)[0]
    # ... but its creator, whose collective it is, still sees it all.
    assert ana_client.get(f"/api/posts/{bens.id}/").status_code == 200
    assert bens.id in _feed(ana_client)[0]
    _act(mod_client, target_type="collective", target_id=channel.collective_id, action="dismiss")
    assert ben_client.get(f"/api/posts/{bens.id}/").status_code == 200


def test_a_held_post_leaves_its_authors_profile_count_for_others(
    ana, ana_client, ben_client, reporters
):
    PostFactory(author=ana)
    held = PostFactory(author=ana)
    _report_all([client for _, client in reporters[:3]], "post", held.id)
    assert ben_client.get(f"/api/users/{ana.id}/").json()["posts_count"] == 1
    assert ana_client.get(f"/api/users/{ana.id}/").json()["posts_count"] == 2


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_cross_the_threshold_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: no race to lose")
    author = UserFactory(username="author")
    posts = [PostFactory(author=author) for _ in range(5)]
    members = [UserFactory(username=f"member{i}") for i in range(6)]
    for post in posts:
        barrier = threading.Barrier(len(members))
        errors: list[BaseException] = []

        def report(member, post=post, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                services.report_create(
                    reporter=member,
                    target_type="post",
                    target_id=post.id,
                    category="spam",
                    text="",
                )
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=report, args=(m,)) for m in members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert _held(Post, post.id)
        assert Report.objects.filter(target_id=post.id, status="open").count() == 6
        assert AuditEntry.objects.filter(action="hold", target_id=post.id).count() == 1
