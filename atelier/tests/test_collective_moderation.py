"""Collective moderators and bans over HTTP (docs/moderation.md, "Collective moderators and
bans"): who may name moderators, ban and remove posts (every status code), what a ban
enforces (rejoining, invitations, posting, commenting, a feed cached before it), the audit
log, and a removal's decision, notice and appeal to staff."""

import pytest
from rest_framework.test import APIClient

from atelier.collective.models import CollectiveBan, CollectiveMember, CollectiveModerator
from atelier.collective.services import collective_create, collective_member_add
from atelier.core.tests.factories import UserFactory
from atelier.moderation.models import AuditEntry, Decision, Report
from atelier.notification.models import Notification
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory


@pytest.fixture
def dan(db):
    """Dan: signed in, in no collective."""
    return UserFactory(username="dan")


@pytest.fixture
def inkers(ana, ben, cleo):
    """Inkers: public; ana its owner (creator, admin), ben and cleo members."""
    collective = collective_create(creator=ana, name="Inkers", visibility="public")
    for user in (ben, cleo):
        collective_member_add(collective=collective, user=user)
    return collective


@pytest.fixture
def vault(ana, ben):
    """The Vault: private; ana its owner, ben a member. Cleo and dan are not in it."""
    collective = collective_create(creator=ana, name="The Vault", visibility="private")
    collective_member_add(collective=collective, user=ben)
    return collective


def _url(collective, what: str) -> str:
    return f"/api/collectives/{collective.id}/{what}/"


def _name(client, collective, user):
    return client.post(_url(collective, "moderators"), {"user_id": user.id}, format="json")


def _ban(client, collective, user, reason="Spam in every channel"):
    body = {"user_id": user.id, "reason": reason}
    return client.post(_url(collective, "bans"), body, format="json")


def _general(collective):
    return collective.channels.get(name="general")


def _post(client, collective, title="hello"):
    body = {"title": title, "post_type": "poem", "channel": _general(collective).id}
    return client.post("/api/posts/", body, format="json")


# --- Moderators ----------------------------------------------------------------------------


def test_the_owner_names_a_member_once_and_removes_them(inkers, ana, ben, ana_client):
    created = _name(ana_client, inkers, ben)
    assert created.status_code == 201, created.content
    assert created.json()["user"]["username"] == "ben"
    assert created.json()["appointed_by_id"] == ana.id
    again = _name(ana_client, inkers, ben)
    assert again.status_code == 200
    assert CollectiveModerator.objects.filter(collective=inkers).count() == 1

    listed = ana_client.get(_url(inkers, "moderators"))
    assert [m["user"]["id"] for m in listed.json()] == [ben.id]

    body = {"user_id": ben.id}
    removed = ana_client.delete(_url(inkers, "moderators"), body, format="json")
    assert removed.status_code == 204
    assert not CollectiveModerator.objects.exists()
    assert CollectiveMember.objects.filter(collective=inkers, user=ben).exists()
    # Idempotent, and by the query string for clients without a DELETE body.
    again = ana_client.delete(f"{_url(inkers, 'moderators')}?user_id={ben.id}")
    assert again.status_code == 204
    log = list(AuditEntry.objects.order_by("id").values_list("action", "actor_name", "target_name"))
    assert log == [
        ("moderator_add", "ana", "ben in Inkers"),
        ("moderator_remove", "ana", "ben in Inkers"),
    ]


def test_the_query_string_removes_a_moderator(inkers, ben, ana_client):
    _name(ana_client, inkers, ben)
    response = ana_client.delete(f"{_url(inkers, 'moderators')}?user_id={ben.id}")
    assert response.status_code == 204
    assert not CollectiveModerator.objects.exists()


def test_only_the_owner_names_moderators(inkers, vault, ben, cleo, dan, ben_client, client_for):
    anon = APIClient()
    for method in ("get", "post", "delete"):
        answer = getattr(anon, method)(_url(inkers, "moderators"), {}, format="json")
        assert answer.status_code == 401, method
    # A member who is not the owner, and a signed-in non-member of a public collective.
    assert _name(ben_client, inkers, cleo).status_code == 403
    body = {"user_id": cleo.id}
    assert ben_client.delete(_url(inkers, "moderators"), body, format="json").status_code == 403
    assert _name(client_for(dan), inkers, cleo).status_code == 403
    # A private collective I am not in is a 404, as if missing, whatever I ask.
    cleo_client = client_for(cleo)
    assert _name(cleo_client, vault, ben).status_code == 404
    assert cleo_client.get(_url(vault, "moderators")).status_code == 404
    assert cleo_client.delete(_url(vault, "moderators"), body, format="json").status_code == 404
    # Members (and here, anyone who may see a public collective) read the list.
    assert ben_client.get(_url(vault, "moderators")).status_code == 200
    assert client_for(dan).get(_url(inkers, "moderators")).status_code == 200
    assert not CollectiveModerator.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"user_id": "1"}, {"user_id": 0}, {"user_id": 2**63}, {"user_id": 987654}, []],
)
def test_a_bad_moderator_body_is_a_400(inkers, ana_client, body):
    response = ana_client.post(_url(inkers, "moderators"), body, format="json")
    assert response.status_code == 400, response.content
    response = ana_client.delete(_url(inkers, "moderators"), body, format="json")
    assert response.status_code == 400, response.content


def test_a_moderator_must_be_a_member_and_not_the_owner(inkers, ana, dan, ana_client):
    not_member = _name(ana_client, inkers, dan)
    assert not_member.status_code == 400
    assert "member" in not_member.json()["user_id"][0]
    assert _name(ana_client, inkers, ana).status_code == 400
    assert ana_client.delete(f"{_url(inkers, 'moderators')}?user_id=x").status_code == 400
    assert not CollectiveModerator.objects.exists()


def test_leaving_ends_the_moderator_role(inkers, ben, ana_client, ben_client):
    _name(ana_client, inkers, ben)
    assert ben_client.post(f"/api/collectives/{inkers.id}/leave/").status_code == 200
    assert not CollectiveModerator.objects.exists()


# --- Bans ------------------------------------------------------------------------------------


def test_a_moderator_bans_a_member_who_then_cannot_rejoin_or_post(
    inkers, ben, cleo, ana_client, ben_client, cleo_client
):
    _name(ana_client, inkers, ben)
    assert _post(cleo_client, inkers, "before").status_code == 201

    banned = _ban(ben_client, inkers, cleo)
    assert banned.status_code == 201, banned.content
    assert banned.json()["reason"] == "Spam in every channel"
    assert banned.json()["banned_by"]["username"] == "ben"
    assert not CollectiveMember.objects.filter(collective=inkers, user=cleo).exists()
    inkers.refresh_from_db()
    assert inkers.members_count == 2
    assert _ban(ben_client, inkers, cleo, "again").status_code == 200
    assert CollectiveBan.objects.get().reason == "Spam in every channel"

    join = cleo_client.post(f"/api/collectives/{inkers.id}/join/")
    assert join.status_code == 403
    assert join.json() == {"detail": "You are banned from this collective."}
    post = _post(cleo_client, inkers, "after")
    assert post.status_code == 403
    assert post.json() == {"detail": "You are banned from this collective."}
    invite = ana_client.post(_url(inkers, "members"), {"user_id": cleo.id}, format="json")
    assert invite.status_code == 400
    assert "banned" in invite.json()["user_id"][0]
    # Her own earlier post is in a channel she is no longer in: gone for her, comments too.
    earlier = Post.objects.get(title="before")
    assert cleo_client.get(f"/api/posts/{earlier.id}/").status_code == 404
    comment = cleo_client.post(f"/api/posts/{earlier.id}/comments/", {"text": "hi"})
    assert comment.status_code == 404
    assert not CollectiveMember.objects.filter(collective=inkers, user=cleo).exists()

    listed = ben_client.get(_url(inkers, "bans"))
    assert [b["user"]["id"] for b in listed.json()] == [cleo.id]

    lifted = ben_client.delete(_url(inkers, "bans"), {"user_id": cleo.id}, format="json")
    assert lifted.status_code == 204
    assert cleo_client.post(f"/api/collectives/{inkers.id}/join/").status_code == 200
    assert _post(cleo_client, inkers, "back").status_code == 201
    log = list(AuditEntry.objects.order_by("id").values_list("action", "actor_name", "reason"))
    assert log == [
        ("moderator_add", "ana", ""),
        ("ban", "ben", "Spam in every channel"),
        ("unban", "ben", ""),
    ]
    assert AuditEntry.objects.get(action="ban").target_id == cleo.id


def test_who_may_ban(inkers, vault, ana, ben, cleo, dan, ana_client, ben_client, client_for):
    anon = APIClient()
    for method in ("get", "post", "delete"):
        assert getattr(anon, method)(_url(inkers, "bans"), {}, format="json").status_code == 401
    # A plain member, and a non-member of a public collective: 403 for every operation.
    for client in (ben_client, client_for(dan)):
        assert _ban(client, inkers, cleo).status_code == 403
        assert client.get(_url(inkers, "bans")).status_code == 403
        body = {"user_id": cleo.id}
        assert client.delete(_url(inkers, "bans"), body, format="json").status_code == 403
    # A private collective I am not in: 404.
    cleo_client = client_for(cleo)
    assert _ban(cleo_client, vault, ben).status_code == 404
    assert cleo_client.get(_url(vault, "bans")).status_code == 404
    # Nobody bans the owner or themself (400); only the owner bans a moderator (403).
    _name(ana_client, inkers, ben)
    _name(ana_client, inkers, cleo)
    assert _ban(ben_client, inkers, ana).status_code == 400
    assert _ban(ben_client, inkers, ben).status_code == 400
    assert _ban(ana_client, inkers, ana).status_code == 400
    refused = _ban(ben_client, inkers, cleo)
    assert refused.status_code == 403
    assert "owner" in refused.json()["detail"]
    assert not CollectiveBan.objects.exists()
    assert _ban(ana_client, inkers, cleo).status_code == 201
    assert list(CollectiveModerator.objects.values_list("user__username", flat=True)) == ["ben"]


@pytest.mark.parametrize(
    "change",
    [
        {"reason": None},
        {"reason": ""},
        {"reason": "  "},
        {"reason": 5},
        {"reason": "x" * 2001},
        {"user_id": "2"},
        {"user_id": None},
        {"user_id": 987654},
    ],  # fmt: skip
)
def test_a_ban_needs_a_user_and_a_reason(inkers, cleo, ana_client, change):
    body = {"user_id": cleo.id, "reason": "Spam", **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = ana_client.post(_url(inkers, "bans"), body, format="json")
    assert response.status_code == 400, response.content
    assert set(change) <= set(response.json())
    assert not CollectiveBan.objects.exists()


def test_a_banned_member_of_a_private_collective_finds_it_missing(
    vault, ana, ben, ana_client, ben_client
):
    post = PostFactory(author=ana, channel=_general(vault))
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 200
    assert _ban(ana_client, vault, ben).status_code == 201
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 404
    assert ben_client.get(f"/api/collectives/{vault.id}/").status_code == 404
    assert ben_client.post(f"/api/collectives/{vault.id}/join/").status_code == 404
    answer = _post(ben_client, vault)
    assert answer.status_code == 400  # its channel is unknown to him, as a missing one
    assert "channel" in answer.json()


def test_a_feed_cached_before_the_ban_loses_the_collectives_posts(
    vault, ana, ben, ana_client, ben_client
):
    post = PostFactory(author=ana, channel=_general(vault), title="vault only")

    def feed_ids():
        answer = ben_client.get("/api/posts/?page_size=50&ordering=personalized")
        assert answer.status_code == 200
        return [p["id"] for p in answer.json()["results"]]

    assert post.id in feed_ids()
    assert post.id in feed_ids()  # served from the cache now
    _ban(ana_client, vault, ben)
    assert post.id not in feed_ids()


# --- Removing posts from the collective's channels ---------------------------------------------


def _act(client, collective, post, action="remove", reason="Off topic here"):
    body = {"post_id": post.id, "action": action, "reason": reason}
    return client.post(_url(collective, "actions"), body, format="json")


def test_a_moderator_removes_a_post_the_author_appeals_and_staff_reverse(
    inkers, ben, cleo, ana_client, ben_client, cleo_client, client_for
):
    _name(ana_client, inkers, ben)
    post_id = _post(cleo_client, inkers, "mine").json()["id"]
    post = Post.objects.get(pk=post_id)
    report = {"target_type": "post", "target_id": post.id, "category": "spam"}
    assert ana_client.post("/api/reports/", report, format="json").status_code == 201

    removed = _act(ben_client, inkers, post)
    assert removed.status_code == 201, removed.content
    assert removed.json()["collective_id"] == inkers.id
    assert removed.json()["action"] == "remove"
    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 404
    # Staff's report stays for staff.
    assert Report.objects.get().status == "open"
    assert Notification.objects.filter(notified_to=cleo, kind="decision").exists()
    entry = AuditEntry.objects.get(action="remove")
    assert (entry.actor_name, entry.target_type, entry.target_id) == ("ben", "post", post.id)

    decisions = cleo_client.get("/api/moderation/decisions/").json()["results"]
    assert decisions[0]["reason"] == "Off topic here"
    assert decisions[0]["collective_id"] == inkers.id
    appeal = cleo_client.post(
        f"/api/moderation/decisions/{decisions[0]['id']}/appeal/", {"text": "It fits"}
    )
    assert appeal.status_code == 201
    staff = client_for(UserFactory(username="staffer", is_staff=True))
    decide = f"/api/moderation/appeals/{appeal.json()['id']}/decide/"
    answer = staff.post(decide, {"outcome": "reverse", "reason": "It fits"}, format="json")
    assert answer.status_code == 201
    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 200


def test_a_moderator_restores_their_collectives_removal_not_staffs(
    inkers, ben, cleo, ana_client, ben_client, cleo_client, client_for
):
    _name(ana_client, inkers, ben)
    post = Post.objects.get(pk=_post(cleo_client, inkers).json()["id"])
    assert _act(ben_client, inkers, post).status_code == 201
    assert _act(ben_client, inkers, post).status_code == 400  # removed already
    restored = _act(ana_client, inkers, post, "restore", "A second look")
    assert restored.status_code == 201, restored.content
    assert _act(ben_client, inkers, post, "restore").status_code == 400  # not removed
    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 200

    staff = client_for(UserFactory(username="staffer", is_staff=True))
    body = {"target_type": "post", "target_id": post.id, "action": "remove", "reason": "Rule 2"}
    assert staff.post("/api/moderation/actions/", body, format="json").status_code == 201
    refused = _act(ben_client, inkers, post, "restore")
    assert refused.status_code == 403
    assert "staff" in refused.json()["detail"]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_name"))
    assert actions == [
        ("moderator_add", "ana"),
        ("remove", "ben"),
        ("restore", "ana"),
        ("remove", "staffer"),
    ]
    assert list(Decision.objects.order_by("id").values_list("collective_id", flat=True)) == [
        inkers.id,
        inkers.id,
        None,
    ]


def test_who_may_remove_a_post(
    inkers, vault, ana, ben, cleo, dan, ana_client, ben_client, client_for
):
    post = Post.objects.get(pk=_post(client_for(cleo), inkers).json()["id"])
    public = PostFactory(author=cleo)
    elsewhere = PostFactory(author=ana, channel=_general(vault))
    anon = APIClient()
    assert _act(anon, inkers, post).status_code == 401
    assert _act(ben_client, inkers, post).status_code == 403  # a member, not a moderator
    assert _act(client_for(dan), inkers, post).status_code == 403
    assert _act(client_for(cleo), vault, elsewhere).status_code == 404  # private, not in it
    _name(ana_client, inkers, ben)
    # Only the collective's own posts: a public post or another collective's is a 404.
    assert _act(ben_client, inkers, public).status_code == 404
    assert _act(ben_client, inkers, elsewhere).status_code == 404
    for body in (
        {"post_id": post.id, "action": "mark_sensitive", "reason": "x"},
        {"post_id": post.id, "action": "remove"},
        {"post_id": post.id, "action": "remove", "reason": ""},
        {"post_id": "1", "action": "remove", "reason": "x"},
        {"post_id": post.id, "action": "remove", "reason": "x", "category": "rude"},
    ):
        response = ben_client.post(_url(inkers, "actions"), body, format="json")
        assert response.status_code == 400, (body, response.content)
    assert not Decision.objects.exists()
    assert Post.objects.filter(removed_at__isnull=False).count() == 0
