"""The defects an acceptance probe of moderation found (issue 18), each held to its fix:
a suspension ends sessions for good, actions that change nothing are refused, the audit
log refuses unknown filters, staff list appeals, notices name no moderator, a suspended
member is told so (with the right password only), and the report limit says what it is."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.collective.tests.factories import ChannelFactory
from atelier.core.models import User
from atelier.core.tests.factories import UserFactory
from atelier.moderation.models import AUDIT_ACTIONS, Action, Appeal, AuditEntry, Decision, Report
from atelier.notification.models import Notification
from atelier.post.tests.factories import CommentFactory, PostFactory

PASSWORD = "pw-ana-123"


@pytest.fixture
def mod(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def mod_client(mod, client_for) -> APIClient:
    return client_for(mod)


def _act(client, **body):
    body.setdefault("reason", "Breaks rule 1")
    return client.post("/api/moderation/actions/", body, format="json")


def _page_login(username: str, password: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.status_code
    return client


def _me(client) -> int:
    return client.get("/api/users/me/").status_code


# --- 1. A suspension ends the session for good -------------------------------------------------


def test_a_suspension_ends_the_session_cookie_for_good(ana, ben, mod_client):
    ana.set_password(PASSWORD)
    ana.save()
    ben.set_password(PASSWORD)
    ben.save()
    ana_session = _page_login("ana", PASSWORD)
    ben_session = _page_login("ben", PASSWORD)
    assert _me(ana_session) == 200 and _me(ben_session) == 200

    assert (
        _act(mod_client, target_type="user", target_id=ana.id, action="suspend").status_code == 201
    )
    assert _me(ana_session) == 401
    assert (
        _act(mod_client, target_type="user", target_id=ana.id, action="unsuspend").status_code
        == 201
    )
    # The old cookie stays dead after the suspension is lifted...
    assert _me(ana_session) == 401
    assert ana_session.get("/notifications/").status_code == 302  # to the log-in page
    # ... a new log-in works, and nobody else's session was touched.
    assert _me(_page_login("ana", PASSWORD)) == 200
    assert _me(ben_session) == 200


def test_generation_zero_keeps_djangos_session_hash(ana, settings):
    """Sessions made before the field existed stay valid, fallback secrets included."""
    assert ana.session_generation == 0
    assert ana.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(ana)
    ana.session_generation = 1
    assert ana.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(ana)
    settings.SECRET_KEY_FALLBACKS = ["an-old-secret-key-" * 3]
    old = ana._get_session_auth_hash(secret=settings.SECRET_KEY_FALLBACKS[0])
    assert old in list(ana.get_session_auth_fallback_hash())


def test_a_session_signed_with_an_old_secret_survives_a_key_rotation(ana, settings, rf):
    client = Client()
    client.force_login(ana)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-" * 3
    settings.SECRET_KEY_FALLBACKS = [old_key]
    request = rf.get("/")
    request.session = client.session
    assert request.session[SESSION_KEY] == str(ana.pk)
    assert get_user(request) == ana


# --- 2. Actions that change nothing are refused -------------------------------------------------


@pytest.mark.parametrize(
    ("target", "action", "message"),
    [
        ("post", "restore", "This post is not removed."),
        ("removed_post", "remove", "This post is removed already."),
        ("post", "unmark_sensitive", "This post is not marked sensitive."),
        ("marked_post", "mark_sensitive", "This post is marked sensitive already."),
        ("comment", "restore", "This comment is not removed."),
        ("comment", "unmark_sensitive", "This comment is not marked sensitive."),
        ("user", "unsuspend", "This member is not suspended."),
        ("user", "unlimit", "This member is not limited."),
        ("suspended_user", "suspend", "This member is suspended already."),
        ("limited_user", "limit", "This member is limited already."),
        ("collective", "restore", "This collective is not removed."),
        ("removed_collective", "remove", "This collective is removed already."),
    ],
)
def test_an_action_that_changes_nothing_is_a_400(ana, ben, mod_client, target, action, message):
    post = PostFactory(author=ana)
    Report.objects.create(reporter=ben, target_type="post", target_id=post.id, category="spam")
    now = timezone.now()
    targets = {
        "post": ("post", post.id),
        "removed_post": ("post", PostFactory(author=ana, removed_at=now).id),
        "marked_post": (
            "post",
            PostFactory(author=ana, content_warning="x", content_warning_by_staff=True).id,
        ),
        "comment": ("comment", CommentFactory(post=post, author=ben).id),
        "user": ("user", ana.id),
        "suspended_user": ("user", UserFactory(suspended_at=now, is_active=False).id),
        "limited_user": ("user", UserFactory(limited_at=now).id),
        "collective": ("collective", ChannelFactory().collective_id),
        "removed_collective": (
            "collective",
            ChannelFactory(collective__removed_at=now).collective_id,
        ),
    }
    target_type, target_id = targets[target]
    before = (Decision.objects.count(), AuditEntry.objects.count(), Notification.objects.count())

    response = _act(mod_client, target_type=target_type, target_id=target_id, action=action)

    assert response.status_code == 400, response.content
    assert response.json() == {"detail": message}
    after = (Decision.objects.count(), AuditEntry.objects.count(), Notification.objects.count())
    assert after == before
    assert Report.objects.get(target_id=post.id).status == "open"


def test_an_authors_warning_comes_back_when_the_staff_mark_is_lifted(ana, ana_client, mod_client):
    post = PostFactory(author=ana, content_warning="Flashing lights")
    marked = _act(
        mod_client,
        target_type="post",
        target_id=post.id,
        action="mark_sensitive",
        content_warning="Gore",
    )
    assert marked.status_code == 201, marked.content
    post.refresh_from_db()
    assert (post.content_warning, post.content_warning_by_staff) == ("Gore", True)

    assert (
        _act(
            mod_client, target_type="post", target_id=post.id, action="unmark_sensitive"
        ).status_code
        == 201
    )
    post.refresh_from_db()
    assert (post.content_warning, post.content_warning_by_staff) == ("Flashing lights", False)
    # A post that had no warning of its author's has none after.
    bare = PostFactory(author=ana)
    _act(mod_client, target_type="post", target_id=bare.id, action="mark_sensitive")
    _act(mod_client, target_type="post", target_id=bare.id, action="unmark_sensitive")
    bare.refresh_from_db()
    assert (bare.content_warning, bare.content_warning_by_staff) == (None, False)


# --- 3. The audit log refuses unknown filters ------------------------------------------------


def test_the_audit_log_refuses_an_unknown_action_and_takes_every_known_one(ana, mod_client):
    assert _act(mod_client, target_type="user", target_id=ana.id, action="warn").status_code == 201
    response = mod_client.get("/api/moderation/log/?action=explode")
    assert response.status_code == 400
    assert "action" in response.json()
    for action in AUDIT_ACTIONS:
        assert mod_client.get(f"/api/moderation/log/?action={action}").status_code == 200, action
    assert {"appeal_uphold", "admin_change", "moderator_add", "ban", "unban"} <= set(AUDIT_ACTIONS)
    assert set(Action.values) <= set(AUDIT_ACTIONS)
    assert mod_client.get("/api/moderation/log/?actor=abc").status_code == 400
    # An empty value is a parameter not given, as everywhere in the API.
    assert mod_client.get("/api/moderation/log/?action=&actor=").json()["count"] == 1
    assert mod_client.get("/api/moderation/log/?action=warn").json()["count"] == 1
    assert mod_client.get("/api/moderation/log/?action=remove").json()["count"] == 0
    assert mod_client.get("/api/moderation/reports/?status=nope").status_code == 400


# --- 4. Staff list appeals ------------------------------------------------------------------


def test_staff_list_open_and_decided_appeals(
    ana, ben, ana_client, ben_client, mod, mod_client, anon_client
):
    decisions = []
    for author in (ana, ben):
        post = PostFactory(author=author)
        response = _act(mod_client, target_type="post", target_id=post.id, action="remove")
        decisions.append(response.json()["id"])
    for client, decision_id in zip((ana_client, ben_client), decisions, strict=True):
        appealed = client.post(
            f"/api/moderation/decisions/{decision_id}/appeal/",
            {"text": "It was art."},
            format="json",
        )
        assert appealed.status_code == 201, appealed.content
    first = Appeal.objects.get(decision_id=decisions[0])
    decided = mod_client.post(
        f"/api/moderation/appeals/{first.id}/decide/",
        {"outcome": "uphold", "reason": "Still spam."},
        format="json",
    )
    assert decided.status_code == 201

    assert anon_client.get("/api/moderation/appeals/").status_code == 401
    assert ben_client.get("/api/moderation/appeals/").status_code == 404
    open_page = mod_client.get("/api/moderation/appeals/?status=open").json()
    assert open_page["count"] == 1 and open_page["next"] is None
    item = open_page["results"][0]
    assert item["appellant"]["username"] == "ben"
    assert item["decision"]["id"] == decisions[1]
    assert item["decision"]["action"] == "remove"
    assert item["decision"]["target_type"] == "post"
    assert item["decision"]["reason"] == "Breaks rule 1"
    assert item["outcome"] is None and item["text"] == "It was art."
    assert mod_client.get("/api/moderation/appeals/").json()["count"] == 1  # open by default
    done = mod_client.get("/api/moderation/appeals/?status=decided").json()
    assert [a["id"] for a in done["results"]] == [first.id]
    assert done["results"][0]["outcome"] == "uphold"
    assert mod_client.get("/api/moderation/appeals/?status=later").status_code == 400
    paged = mod_client.get("/api/moderation/appeals/?status=decided&page_size=1&page=2")
    assert paged.status_code == 404


# --- 5. Notices name no moderator -----------------------------------------------------------


def test_moderation_notices_carry_no_actor(ana, ben, ana_client, ben_client, mod, mod_client):
    post = PostFactory(author=ana)
    ben_client.post(
        "/api/reports/",
        {"target_type": "post", "target_id": post.id, "category": "spam"},
        format="json",
    )
    # Ana blocked the moderator: a decision about her reaches her all the same.
    ana_client.post(f"/api/users/{mod.id}/block/")
    decision = _act(mod_client, target_type="post", target_id=post.id, action="remove").json()
    ana_client.post(
        f"/api/moderation/decisions/{decision['id']}/appeal/", {"text": "No."}, format="json"
    )
    appeal = Appeal.objects.get()
    mod_client.post(
        f"/api/moderation/appeals/{appeal.id}/decide/",
        {"outcome": "uphold", "reason": "Stands."},
        format="json",
    )

    kinds = {}
    for client in (ana_client, ben_client):
        for notice in client.get("/api/notifications/").json():
            kinds[notice["kind"]] = notice
    assert set(kinds) == {"decision", "report_decided", "appeal_decided"}
    assert all(notice["actor"] is None for notice in kinds.values())
    assert not Notification.objects.filter(actor=mod).exists()
    assert "mod" not in ana_client.get("/api/notifications/").content.decode()


# --- 6. A suspended member is told so, with the right password only ----------------------------


@pytest.fixture
def suspended_ana(ana, mod_client):
    ana.set_password(PASSWORD)
    ana.save()
    response = _act(
        mod_client,
        target_type="user",
        target_id=ana.id,
        action="suspend",
        category="harassment",
        reason="Threats in comments.",
    )
    assert response.status_code == 201, response.content
    ana.refresh_from_db()
    return ana


def _token(username: str, password: str):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_the_token_api_tells_a_suspended_member_why_with_the_right_password(suspended_ana):
    response = _token("ana", PASSWORD)

    assert response.status_code == 403
    body = response.json()
    assert body["detail"] == "This account is suspended."
    decision = Decision.objects.get(action="suspend")
    assert body["decision"]["id"] == decision.id
    assert body["decision"]["category"] == "harassment"
    assert body["decision"]["reason"] == "Threats in comments."
    assert body["suspended_at"] and body["appeal"]["status"] is None
    assert body["appeal"]["refused"] is None and body["appeal"]["until"]
    # A wrong password says nothing about the account.
    wrong = _token("ana", "not-it")
    assert wrong.status_code == 400
    assert "suspended" not in wrong.content.decode()


def test_the_log_in_page_tells_a_suspended_member_why(suspended_ana):
    response = Client().post("/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This account is suspended." in page and "Threats in comments." in page
    assert 'id="suspension-appeal-form"' in page
    assert not response.context["user"].is_authenticated

    wrong = Client().post("/login/", {"username": "ana", "password": "not-it"})
    assert wrong.status_code == 200
    assert "do not match" in wrong.content.decode() and "suspended" not in wrong.content.decode()


@pytest.mark.parametrize("door", ["/admin/login/", "/api-auth/login/"])
def test_the_other_log_in_forms_answer_a_suspended_account_with_a_403(suspended_ana, door):
    User.objects.filter(pk=suspended_ana.pk).update(is_staff=True)
    response = Client().post(door, {"username": "ana", "password": PASSWORD})
    assert response.status_code == 403
    assert "This account is suspended." in response.content.decode()
    wrong = Client().post(door, {"username": "ana", "password": "nope"})
    assert wrong.status_code == 200 and "suspended" not in wrong.content.decode()


def test_a_right_password_of_a_suspended_account_is_no_failed_attempt(suspended_ana, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    for scope, rate in {"auth": "1000/min", "login": "2/min", "login_account": "2/min"}.items():
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)
    assert [_token("ana", PASSWORD).status_code for _ in range(4)] == [403] * 4
    assert [_token("ana", "nope").status_code for _ in range(3)] == [400, 400, 429]


def test_a_suspended_member_appeals_without_logging_in(suspended_ana, mod_client):
    url = "/api/moderation/suspension-appeal/"
    wrong = APIClient().post(
        url, {"username": "ana", "password": "nope", "text": "Why?"}, format="json"
    )
    assert wrong.status_code == 400
    assert not Appeal.objects.exists()

    response = APIClient().post(
        url, {"username": "ana", "password": PASSWORD, "text": "I was quoting."}, format="json"
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert appeal.appellant == suspended_ana and appeal.decision.action == "suspend"
    again = APIClient().post(
        url, {"username": "ana", "password": PASSWORD, "text": "Again."}, format="json"
    )
    assert again.status_code == 400
    assert _token("ana", PASSWORD).json()["appeal"]["status"] == "open"
    staff = mod_client.get("/api/moderation/appeals/").json()
    assert staff["results"][0]["appellant"]["username"] == "ana"
    # Somebody who is not suspended is sent to log in.
    UserFactory(username="dora").set_password(PASSWORD)
    User.objects.filter(username="dora").update(
        password=User.objects.get(pk=suspended_ana.pk).password
    )
    not_suspended = APIClient().post(
        url, {"username": "dora", "password": PASSWORD, "text": "x"}, format="json"
    )
    assert not_suspended.status_code == 400
    assert "not suspended" in not_suspended.json()["detail"]


def test_the_log_in_page_sends_a_suspension_appeal(suspended_ana):
    response = Client().post(
        "/login/appeal/", {"username": "ana", "password": PASSWORD, "text": "Please look again."}
    )
    assert response.status_code == 201
    assert "Your appeal was sent" in response.content.decode()
    assert Appeal.objects.get().text == "Please look again."
    bad = Client().post("/login/appeal/", {"username": "ana", "password": "nope", "text": "x"})
    assert bad.status_code == 400
    assert Appeal.objects.count() == 1


# --- 7. The report limit says what it is ------------------------------------------------------


def test_the_report_limit_says_what_it_is(ana, ben_client, monkeypatch):
    from atelier.core.throttling import ScopedThrottle

    monkeypatch.setitem(ScopedThrottle.THROTTLE_RATES, "report", "1/hour")
    posts = [PostFactory(author=ana) for _ in range(2)]
    answers = [
        ben_client.post(
            "/api/reports/",
            {"target_type": "post", "target_id": p.id, "category": "spam"},
            format="json",
        )
        for p in posts
    ]
    assert [a.status_code for a in answers] == [201, 429]
    detail = answers[1].json()["detail"]
    assert detail.startswith("You may file at most 1 reports an hour. Try again in ")
    assert "throttled" not in detail
    assert int(answers[1]["Retry-After"]) > 3000
