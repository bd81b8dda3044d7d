"""Moderation over HTTP (docs/moderation.md): reports, the queue, actions with reasons,
suspensions, appeals, the audit log, and the notices, against feeds cached beforehand."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.collective.tests.factories import ChannelFactory
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory
from atelier.feed.tests.test_feed_redis_down import redis_down  # noqa: F401
from atelier.media.models import Media
from atelier.moderation.models import AuditEntry, AuditLogImmutable, Decision, Report
from atelier.notification.models import Notification
from atelier.post.tests.factories import CommentFactory, PostFactory

STAFF_PATHS = [
    ("get", "/api/moderation/reports/?status=open"),
    ("post", "/api/moderation/actions/"),
    ("post", "/api/moderation/appeals/1/decide/"),
    ("get", "/api/moderation/log/"),
]


@pytest.fixture
def mod(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def mod_client(mod, client_for) -> APIClient:
    return client_for(mod)


def _feed_ids(client) -> list[int]:
    response = client.get("/api/posts/?page_size=50")
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["results"]]


def _act(client, **body):
    body.setdefault("reason", "Breaks rule 1")
    return client.post("/api/moderation/actions/", body, format="json")


def test_staff_paths_answer_401_to_a_visitor_and_404_to_a_member(anon_client, ben_client):
    for method, url in STAFF_PATHS:
        assert getattr(anon_client, method)(url, {}, format="json").status_code == 401, url
        assert getattr(ben_client, method)(url, {}, format="json").status_code == 404, url
    # The decisions about me: any signed-in member.
    assert anon_client.get("/api/moderation/decisions/").status_code == 401
    assert ben_client.get("/api/moderation/decisions/").status_code == 200
    assert anon_client.post("/api/reports/", {}, format="json").status_code == 401


def test_a_report_is_filed_once_and_updated_after(ana, ben, ben_client):
    post = PostFactory(author=ana)
    body = {"target_type": "post", "target_id": post.id, "category": "spam"}
    first = ben_client.post("/api/reports/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "open"
    again = ben_client.post(
        "/api/reports/", {**body, "category": "hate", "text": "worse"}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["category"] == "hate"
    assert Report.objects.count() == 1
    mine = ben_client.get("/api/reports/mine/").json()
    assert mine["count"] == 1
    assert mine["results"][0]["status"] == "open"
    assert mine["results"][0]["decision"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"target_type": "planet"},
        {"target_type": None},
        {"target_id": "1"},
        {"target_id": 0},
        {"target_id": 2**63},
        {"category": "rude"},
        {"category": 3},
        {"text": "a\u0000b"},
        {"text": 5},
        {"text": "x" * 2001},
    ],
)
def test_bad_report_input_is_a_400(ana, ben_client, change):
    post = PostFactory(author=ana)
    body = {"target_type": "post", "target_id": post.id, "category": "spam", **change}
    response = ben_client.post("/api/reports/", body, format="json")
    assert response.status_code == 400, response.content


def test_what_i_cannot_see_is_a_404_except_through_a_block(ana, ben, ben_client):
    private = ChannelFactory(collective__visibility="private")
    hidden = PostFactory(author=ana, channel=private)
    for target_type, target_id in [("post", 10**9), ("post", hidden.id), ("user", 10**9)]:
        body = {"target_type": target_type, "target_id": target_id, "category": "spam"}
        assert ben_client.post("/api/reports/", body, format="json").status_code == 404
    BlockFactory(blocker=ana, blocked=ben)
    post = PostFactory(author=ana)
    comment = CommentFactory(post=post, author=ana)
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 404
    for target_type, target_id in [("post", post.id), ("user", ana.id), ("comment", comment.id)]:
        body = {"target_type": target_type, "target_id": target_id, "category": "harassment"}
        response = ben_client.post("/api/reports/", body, format="json")
        assert response.status_code == 201, (target_type, response.content)


def test_the_reported_member_never_learns_who_reported(
    ana, ben, ben_client, ana_client, mod_client
):
    post = PostFactory(author=ana)
    body = {"target_type": "post", "target_id": post.id, "category": "spam", "text": "by ben"}
    report_id = ben_client.post("/api/reports/", body, format="json").json()["id"]
    _act(mod_client, target_type="post", target_id=post.id, action="remove")
    decisions = ana_client.get("/api/moderation/decisions/").content.decode()
    notices = ana_client.get("/api/notifications/").content.decode()
    for text in (decisions, notices):
        assert "ben" not in text
        assert f'"id":{ben.id}' not in text.replace(" ", "")
    assert Report.objects.get(pk=report_id).status == "resolved"


def test_removal_leaves_a_cached_feed_page_and_every_path(
    ana, ben, cleo, ana_client, ben_client, cleo_client, mod_client, _media_root
):
    post = PostFactory(author=ana, title="to remove")
    Media.objects.create(
        owner=ana,
        post=post,
        kind="image",
        file="m/x.webp",
        content_type="image/webp",
        size=1,
        placeholder="#000000",
        created_at=timezone.now(),
    )
    media = Media.objects.get(post=post)
    assert post.id in _feed_ids(cleo_client)  # the page is now cached
    assert post.id in _feed_ids(cleo_client)
    assert cleo_client.get(f"/api/media/{media.id}/").status_code == 200
    body = {"target_type": "post", "target_id": post.id, "category": "violence"}
    ben_client.post("/api/reports/", body, format="json")

    response = _act(mod_client, target_type="post", target_id=post.id, action="remove")
    assert response.status_code == 201, response.content
    decision_id = response.json()["id"]

    assert post.id not in _feed_ids(cleo_client)
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 404
    assert cleo_client.get(f"/api/media/{media.id}/").status_code == 404
    kinds = set(Notification.objects.values_list("notified_to__username", "kind"))
    assert ("ben", "report_decided") in kinds and ("ana", "decision") in kinds
    notice = ana_client.get("/api/notifications/").json()
    notice = notice["results"] if isinstance(notice, dict) else notice
    assert {"type": "post", "id": post.id} in [n["target"] for n in notice]
    mine = ben_client.get("/api/reports/mine/").json()["results"][0]
    assert mine["status"] == "resolved" and mine["decision"]["action"] == "remove"

    # The author reads the statement of reasons and appeals, once.
    decisions = ana_client.get("/api/moderation/decisions/").json()
    assert decisions["results"][0]["reason"] == "Breaks rule 1"
    assert decisions["results"][0]["category"] == "violence"
    url = f"/api/moderation/decisions/{decision_id}/appeal/"
    assert ben_client.post(url, {"text": "not mine"}, format="json").status_code == 404
    appeal = ana_client.post(url, {"text": "It is art."}, format="json")
    assert appeal.status_code == 201, appeal.content
    assert ana_client.post(url, {"text": "again"}, format="json").status_code == 400

    decide = f"/api/moderation/appeals/{appeal.json()['id']}/decide/"
    assert (
        mod_client.post(decide, {"outcome": "maybe", "reason": "x"}, format="json").status_code
        == 400
    )
    answer = mod_client.post(decide, {"outcome": "reverse", "reason": "Fair"}, format="json")
    assert answer.status_code == 201, answer.content
    assert (
        mod_client.post(decide, {"outcome": "reverse", "reason": "x"}, format="json").status_code
        == 400
    )
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert post.id in _feed_ids(cleo_client)
    assert Notification.objects.filter(notified_to=ana, kind="appeal_decided").exists()


def test_an_appeal_after_the_period_is_refused(ana, ana_client, mod_client, settings):
    post = PostFactory(author=ana)
    decision_id = _act(mod_client, target_type="post", target_id=post.id, action="remove").json()[
        "id"
    ]
    Decision.objects.filter(pk=decision_id).update(
        created_at=timezone.now() - timedelta(days=settings.MODERATION_APPEAL_DAYS, minutes=1)
    )
    url = f"/api/moderation/decisions/{decision_id}/appeal/"
    assert ana_client.post(url, {"text": "late"}, format="json").status_code == 400


@pytest.mark.parametrize(
    "target_type, action",
    [
        ("user", "remove"),
        ("post", "suspend"),
        ("collective", "mark_sensitive"),
        ("comment", "warn"),
    ],
)
def test_an_action_that_does_not_fit_its_target_is_a_400(ana, mod_client, target_type, action):
    post = PostFactory(author=ana)
    comment = CommentFactory(post=post)
    channel = ChannelFactory()
    ids = {
        "user": ana.id,
        "post": post.id,
        "comment": comment.id,
        "collective": channel.collective_id,
    }
    response = _act(mod_client, target_type=target_type, target_id=ids[target_type], action=action)
    assert response.status_code == 400, response.content


def test_reason_is_required_except_to_dismiss(ana, mod_client):
    post = PostFactory(author=ana)
    assert _act(mod_client, target_type="post", target_id=post.id, action="remove", reason="")
    response = _act(mod_client, target_type="post", target_id=post.id, action="remove", reason=" ")
    assert response.status_code == 400
    response = _act(mod_client, target_type="post", target_id=post.id, action="dismiss", reason="")
    assert response.status_code == 201
    response = _act(mod_client, target_type="post", target_id=10**9, action="remove")
    assert response.status_code == 404
    response = _act(
        mod_client, target_type="post", target_id=post.id, action="remove", report_ids=[10**9]
    )
    assert response.status_code == 400


def test_suspension_ends_sessions_and_tokens_and_hides_everything(
    ana, ben, ana_client, ben_client, mod_client
):
    ana.set_password("pw-ana-123")
    ana.save()
    session = APIClient()
    session.force_login(ana)
    assert session.get("/api/users/me/").status_code == 200
    post = PostFactory(author=ana)
    other = PostFactory(author=ben)
    comment = CommentFactory(post=other, author=ana, text="ana's remark")
    assert post.id in _feed_ids(ben_client)

    response = _act(mod_client, target_type="user", target_id=ana.id, action="suspend")
    assert response.status_code == 201, response.content
    assert ana_client.get("/api/users/me/").status_code == 401
    assert session.get("/api/users/me/").status_code == 401
    assert not Token.objects.filter(user=ana).exists()
    login = APIClient().post(
        "/api/auth/token/", {"username": "ana", "password": "pw-ana-123"}, format="json"
    )
    assert login.status_code == 403  # the right password: told of the suspension
    assert post.id not in _feed_ids(ben_client)
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 404
    remarks = ben_client.get(f"/api/posts/{other.id}/comments/").content.decode()
    assert "ana's remark" not in remarks and comment.id

    assert (
        _act(mod_client, target_type="user", target_id=ana.id, action="unsuspend").status_code
        == 201
    )
    login = APIClient().post(
        "/api/auth/token/", {"username": "ana", "password": "pw-ana-123"}, format="json"
    )
    assert login.status_code == 200, login.content
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert "ana's remark" in ben_client.get(f"/api/posts/{other.id}/comments/").content.decode()


def test_a_limited_author_leaves_strangers_feeds_but_a_link_still_opens(
    ana, ben, cleo, ben_client, cleo_client, mod_client
):
    FellowFactory(user=ana, fellow_user=ben)
    post = PostFactory(author=ana)
    assert post.id in _feed_ids(cleo_client)
    assert _act(mod_client, target_type="user", target_id=ana.id, action="limit").status_code == 201
    assert post.id not in _feed_ids(cleo_client)
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert post.id in _feed_ids(ben_client)  # her fellow
    assert (
        _act(mod_client, target_type="user", target_id=ana.id, action="unlimit").status_code == 201
    )
    assert post.id in _feed_ids(cleo_client)


def test_the_queue_groups_by_target_oldest_first_with_snapshots(
    ana, ben, cleo, ben_client, cleo_client, mod_client
):
    first = PostFactory(author=ana, title="as reported")
    second = PostFactory(author=ana)
    for client in (ben_client, cleo_client):
        client.post(
            "/api/reports/",
            {"target_type": "post", "target_id": first.id, "category": "spam"},
            format="json",
        )
    cleo_client.post(
        "/api/reports/",
        {"target_type": "user", "target_id": ana.id, "category": "hate"},
        format="json",
    )
    first.title = "edited since"
    first.save()
    queue = mod_client.get("/api/moderation/reports/?status=open&page_size=1")
    assert queue.status_code == 200
    page = queue.json()
    assert page["count"] == 2 and page["next"] and page["previous"] is None
    item = page["results"][0]
    assert (item["target_type"], item["target_id"]) == ("post", first.id)
    assert item["reports_count"] == 2 and len(item["reports"]) == 2
    assert item["snapshot"]["title"] == "as reported"
    assert [r["target_type"] for r in item["history"]["reports"]] == ["user"]
    assert mod_client.get("/api/moderation/reports/?page=3&page_size=1").status_code == 404
    assert mod_client.get("/api/moderation/reports/?status=bogus").status_code == 400
    # Acting on the second post with no report: resolves nothing; the queue keeps two.
    _act(mod_client, target_type="post", target_id=second.id, action="mark_sensitive")
    assert mod_client.get("/api/moderation/reports/").json()["count"] == 2


def test_the_audit_log_is_newest_first_filtered_and_append_only(ana, mod, mod_client):
    post = PostFactory(author=ana)
    _act(mod_client, target_type="post", target_id=post.id, action="remove")
    _act(mod_client, target_type="user", target_id=ana.id, action="warn")
    log = mod_client.get("/api/moderation/log/").json()
    assert [e["action"] for e in log["results"]] == ["warn", "remove"]
    assert log["results"][0]["target_name"] == "ana"
    only = mod_client.get(f"/api/moderation/log/?actor={mod.id}&target_type=post&action=remove")
    assert [e["action"] for e in only.json()["results"]] == ["remove"]
    assert mod_client.get("/api/moderation/log/?actor=x").status_code == 400
    entry = AuditEntry.objects.first()
    entry.reason = "rewritten"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    # An account deleted: the entry keeps the names.
    mod.delete()
    names = set(AuditEntry.objects.values_list("actor_name", "actor_id"))
    assert names == {("mod", None)}


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_an_audit_entry(ana):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (SQLite relies on the model and queryset)")
    AuditEntry.objects.create(
        actor_name="m", action="remove", target_type="post", target_id=1, reason="r"
    )
    for statement in (
        "UPDATE moderation_auditentry SET reason = 'x'",
        "DELETE FROM moderation_auditentry",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert AuditEntry.objects.get().reason == "r"


def test_the_author_sets_a_content_warning_and_staff_mark_it(ana, ana_client, mod_client):
    created = ana_client.post(
        "/api/posts/",
        {"title": "t", "post_type": "image", "content_warning": "gore"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["content_warning"] == "gore"
    plain = PostFactory(author=ana)
    _act(
        mod_client,
        target_type="post",
        target_id=plain.id,
        action="mark_sensitive",
        content_warning="flashing lights",
    )
    assert ana_client.get(f"/api/posts/{plain.id}/").json()["content_warning"] == "flashing lights"
    _act(mod_client, target_type="post", target_id=plain.id, action="unmark_sensitive")
    assert ana_client.get(f"/api/posts/{plain.id}/").json()["content_warning"] is None


def test_reports_have_their_own_rate_limit(ana, ben_client, monkeypatch):
    from atelier.core.throttling import ScopedThrottle

    monkeypatch.setitem(ScopedThrottle.THROTTLE_RATES, "report", "2/min")
    posts = [PostFactory(author=ana) for _ in range(3)]
    answers = [
        ben_client.post(
            "/api/reports/",
            {"target_type": "post", "target_id": p.id, "category": "spam"},
            format="json",
        ).status_code
        for p in posts
    ]
    assert answers == [201, 201, 429]


def test_a_snapshot_token_page_drops_a_post_removed_after_the_first_page(
    ana, cleo_client, mod_client
):
    posts = [
        PostFactory(author=ana, created_at=timezone.now() - timedelta(hours=h)) for h in range(3)
    ]
    first = cleo_client.get("/api/posts/?page_size=1").json()
    assert "snapshot=" in first["next"]  # the next pages come from the cached snapshot
    rest_before = cleo_client.get(first["next"]).json()
    shown = [p["id"] for p in rest_before["results"]]
    assert shown and shown[0] in {p.id for p in posts}
    assert (
        _act(mod_client, target_type="post", target_id=shown[0], action="remove").status_code == 201
    )
    rest_after = cleo_client.get(first["next"]).json()
    assert shown[0] not in [p["id"] for p in rest_after["results"]]


@pytest.mark.usefixtures("redis_down")
def test_removal_takes_effect_with_redis_down(ana, cleo_client, mod_client):
    post = PostFactory(author=ana)
    assert post.id in _feed_ids(cleo_client)
    assert (
        _act(mod_client, target_type="post", target_id=post.id, action="remove").status_code == 201
    )
    assert post.id not in _feed_ids(cleo_client)
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 404


def test_a_profile_hides_a_suspended_member_and_counts_no_removed_post(
    ana, cleo, cleo_client, mod_client
):
    kept, removed = PostFactory(author=ana), PostFactory(author=ana)
    assert cleo_client.get(f"/api/users/{ana.id}/").json()["posts_count"] == 2
    _act(mod_client, target_type="post", target_id=removed.id, action="remove")
    assert cleo_client.get(f"/api/users/{ana.id}/").json()["posts_count"] == 1
    _act(mod_client, target_type="user", target_id=ana.id, action="suspend")
    assert cleo_client.get(f"/api/users/{ana.id}/").status_code == 404
    pages = APIClient()
    pages.force_login(cleo)
    assert pages.get(f"/users/{ana.id}/").status_code == 404
    assert kept.id


def test_a_suspended_members_galleries_are_404_and_unlisted_until_unsuspended(
    ana, cleo_client, mod_client
):
    from atelier.gallery.tests.factories import GalleryFactory, GalleryItemFactory

    gallery = GalleryFactory(creator=ana, status="published")
    GalleryItemFactory(gallery=gallery, post=PostFactory(author=ana))

    def listed():
        return [g["id"] for g in cleo_client.get("/api/galleries/").json()]

    assert cleo_client.get(f"/api/galleries/{gallery.id}/").status_code == 200
    assert gallery.id in listed()
    _act(mod_client, target_type="user", target_id=ana.id, action="suspend")
    assert cleo_client.get(f"/api/galleries/{gallery.id}/").status_code == 404
    assert gallery.id not in listed()
    _act(mod_client, target_type="user", target_id=ana.id, action="unsuspend")
    assert cleo_client.get(f"/api/galleries/{gallery.id}/").status_code == 200
