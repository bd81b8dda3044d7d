"""The visibility table: every viewer against every post state, through every path.

The one rule (atelier/post/visibility.py) has two tiers. TABLE states, once, what each
viewer gets for each post state; every path in PATHS must give that answer:

    -  invisible: 404 on every detail path, absent from every list
    V  visible, but not in the feed (muted collective, "not interested")
    F  visible and in the feed, also under `unseen=true`
    S  visible and in the feed, but not in the `unseen=true` feed (already seen)

A path belongs to one tier: "visible" paths must find exactly the V, F and S cells,
"feed" paths exactly F and S, "unseen" paths exactly F. A path answers True (found, 2xx),
False (404, absent) or None (not asked of this viewer: a page or endpoint that requires
signing in, asked by a visitor). Any other status fails the test.

To add a path (a new endpoint, page or selector that shows posts): write its answer
function and add one line to PATHS. docs/visibility.md says more.

REMARK_TABLE does the same for comments and critiques (REMARK_PATHS): a remark is shown
iff its post is visible, it is not deleted, and its author is not blocked either way (and
moderation's states: removed, suspended, held).
"""

import dataclasses
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import NamedTuple
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.collective.models import Collective
from atelier.collective.services import collective_leave, member_ban
from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import User, UserPreference
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory
from atelier.feed import pipeline, sources
from atelier.feed import service as feed_service
from atelier.feed.config import default_ranking
from atelier.feed.features import named
from atelier.feed.selectors import feed_queryset, posts_by_id
from atelier.gallery.tests.factories import GalleryFactory, GalleryItemFactory
from atelier.media.models import Media
from atelier.notification.tests.factories import NotificationFactory
from atelier.post.models import HiddenPost, PinnedPost, Post, SeenPost
from atelier.post.selectors import is_post_visible_to, visible_posts
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory
from atelier.post.visibility import visible_to

VIEWERS = (
    "visitor",  # not signed in
    "member",  # signed in, no relation to the author
    "fellow",  # the author's fellow
    "insider",  # a member of every collective the author posts in
    "former",  # left the private collective (still in the public one); held after reports
    "blocked",  # an insider the author blocked
    "blocking",  # an insider who blocked the author
    "staff",  # staff, no relation: staff sees what a member sees
    "banned",  # an insider of the public and private collectives, banned from both
)

# fmt: off
TABLE = {
    #                    visitor member fellow insider former blocked blocking staff banned
    "public":          ("F",    "F",   "F",   "F",    "F",   "-",    "-",     "F",  "F"),
    "public_channel":  ("-",    "-",   "-",   "F",    "F",   "-",    "-",     "-",  "-"),
    "private_channel": ("-",    "-",   "-",   "F",    "-",   "-",    "-",     "-",  "-"),
    "deleted":         ("-",    "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "muted":           ("-",    "-",   "-",   "V",    "-",   "-",    "-",     "-",  "-"),
    "hidden":          ("F",    "V",   "V",   "V",    "V",   "-",    "-",     "V",  "V"),
    "seen":            ("F",    "S",   "S",   "S",    "S",   "-",    "-",     "S",  "S"),
    # Moderation (docs/moderation.md): removed by staff; by a suspended member (sue); by a
    # limited member (lim: the fellow's fellow, in the public collective with the
    # insiders; the banned viewer no longer is); in a collective staff removed.
    "removed":         ("-",    "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "suspended_author": ("-",   "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "limited_author":  ("V",    "V",   "F",   "F",    "F",   "F",    "F",     "V",  "V"),
    "removed_collective": ("-", "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    # Holds after reports (docs/moderation.md, "Holds"): a post of member's held; a post of
    # former's, a member held; a post of ava's in a collective the insider created, held.
    # Each is seen by its author alone (a held collective by its creator too); staff read
    # the queue's snapshot instead.
    "held":            ("-",    "F",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "held_author":     ("-",    "-",   "-",   "-",    "F",   "-",    "-",     "-",  "-"),
    "held_collective": ("-",    "-",   "-",   "F",    "-",   "-",    "-",     "-",  "-"),
}
# fmt: on
TIERS = {"visible": "VFS", "feed": "FS", "unseen": "F"}


@dataclasses.dataclass
class World:
    """The author ava, her posts (one per TABLE state), the viewers and their clients."""

    author: User
    users: dict[str, User | None]
    posts: dict[str, Post]
    media: dict[int, Media]  # by post id
    gallery_id: int
    memo: dict = dataclasses.field(default_factory=dict)

    def client(self, viewer: str) -> APIClient:
        key = ("client", viewer)
        if key not in self.memo:
            client = APIClient()
            if self.users[viewer] is not None:
                client.force_login(self.users[viewer])
            self.memo[key] = client
        return self.memo[key]

    def once(self, key, compute):
        """A list path reads its list once per viewer."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


def _build_world(media_root: str) -> World:
    ava = UserFactory(username="ava")
    curator = UserFactory(username="curator")  # owns the gallery, sends notifications
    users: dict[str, User | None] = {"visitor": None}
    for name in VIEWERS[1:]:
        users[name] = UserFactory(username=name, is_staff=name == "staff")
    FellowFactory(user=ava, fellow_user=users["fellow"])
    BlockFactory(blocker=ava, blocked=users["blocked"])
    BlockFactory(blocker=users["blocking"], blocked=ava)

    public = ChannelFactory(collective__visibility="public")
    private = ChannelFactory(collective__visibility="private")
    quiet = ChannelFactory(collective__visibility="public")
    gone = ChannelFactory(collective__visibility="public")
    held = ChannelFactory(collective__visibility="public", collective__created_by=users["insider"])
    for channel in (public, private, quiet, gone, held):
        MemberFactory(collective=channel.collective, user=ava)
        for name in ("insider", "blocked", "blocking"):
            MemberFactory(collective=channel.collective, user=users[name])
    for channel in (public, private):
        MemberFactory(collective=channel.collective, user=users["former"])
        MemberFactory(collective=channel.collective, user=users["banned"])
        # The factories write no counter; the leave and the ban below take one off it.
        collective = Collective.objects.get(pk=channel.collective_id)
        Collective.objects.filter(pk=collective.pk).update(members_count=collective.members.count())
    collective_leave(collective=private.collective, user=users["former"])
    for channel in (public, private):  # the ban's write, as moderation's service makes it
        member_ban(
            collective=channel.collective, user=users["banned"], banned_by=ava, reason="spam"
        )

    now = timezone.now()
    sue = UserFactory(username="sue", suspended_at=now, is_active=False)
    lim = UserFactory(username="lim", limited_at=now)
    FellowFactory(user=lim, fellow_user=users["fellow"])
    MemberFactory(collective=public.collective, user=lim)
    Collective.objects.filter(pk=gone.collective_id).update(removed_at=now)
    Collective.objects.filter(pk=held.collective_id).update(held_at=now)
    User.objects.filter(pk=users["former"].pk).update(held_at=now)
    authors = {
        "suspended_author": sue,
        "limited_author": lim,
        "held": users["member"],
        "held_author": users["former"],
    }
    channels = {
        "public_channel": public,
        "private_channel": private,
        "muted": quiet,
        "removed_collective": gone,
        "held_collective": held,
    }
    posts = {}
    for i, state in enumerate(TABLE):
        posts[state] = PostFactory(
            author=authors.get(state, ava),
            removed_at=now if state == "removed" else None,
            held_at=now if state == "held" else None,
            title=f"{state} post",
            channel=channels.get(state),
            is_deleted=state == "deleted",
            deleted_at=now if state == "deleted" else None,
            created_at=now - timezone.timedelta(minutes=i),
        )
    for user in users.values():
        if user is None:
            continue
        preference, _ = UserPreference.objects.get_or_create(user=user)
        preference.muted_collectives.add(quiet.collective)
        HiddenPost.objects.create(user=user, post=posts["hidden"])
        SeenPost.objects.create(user=user, post=posts["seen"], seen_at=now)

    media = {}
    for post in posts.values():
        name = f"table/{post.id}.webp"
        path = FilePath(media_root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"RIFF0000WEBP")
        media[post.id] = Media.objects.create(
            owner=ava,
            post=post,
            kind="image",
            file=name,
            content_type="image/webp",
            size=12,
            placeholder="#abcdef",
            created_at=now,
        )
        Post.objects.filter(pk=post.pk).update(media_count=1)
    gallery = GalleryFactory(creator=curator, status="published")
    for post in posts.values():
        GalleryItemFactory(gallery=gallery, post=post)
        for user in users.values():
            if user is not None:
                NotificationFactory(notified_to=user, actor=curator, post=post)
    return World(ava, users, posts, media, gallery.id)


@pytest.fixture
def world(db, _media_root) -> World:
    return _build_world(_media_root)


# --- Answers: each path's "does this viewer get this post?" --------------------------------


def _status(response, found: int = 200) -> bool:
    if response.status_code == found:
        return True
    if response.status_code == 404:
        return False
    raise AssertionError(f"{response.status_code}: {response.content[:300]!r}")


def _signed_in(answer: Callable) -> Callable:
    """A path that only signed-in members may use: not asked of a visitor."""

    def ask(w: World, viewer: str, post: Post):
        return None if w.users[viewer] is None else answer(w, viewer, post)

    return ask


def _request(method: str, url: str, found: int, body: dict | None = None) -> Callable:
    def ask(w: World, viewer: str, post: Post) -> bool:
        send = getattr(w.client(viewer), method)
        return _status(send(url.format(post=post.id), body, format="json"), found)

    return ask


def _meta(w, viewer, post):
    answer = w.client(viewer).get(f"/api/posts/meta/?ids={post.id}")
    assert answer.status_code == 200, answer.content
    return str(post.id) in answer.json()


def _seen(w, viewer, post):
    """POST /api/posts/seen/ marks only what the viewer may see."""
    SeenPost.objects.filter(user=w.users[viewer], post=post).delete()
    answer = w.client(viewer).post("/api/posts/seen/", {"post_ids": [post.id]}, format="json")
    assert answer.status_code == 204, answer.content
    return SeenPost.objects.filter(user=w.users[viewer], post=post).exists()


def _media_detail(w, viewer, post):
    return _status(w.client(viewer).get(f"/api/media/{w.media[post.id].id}/"))


def _media_file(w, viewer, post):
    answer = w.client(viewer).get(f"/media/{w.media[post.id].file}")
    found = _status(answer)
    if found:  # read through, which closes the file the way the test client expects
        assert b"".join(answer.streaming_content) == b"RIFF0000WEBP"
    return found


def _gallery(w, viewer, post):
    def read():
        answer = w.client(viewer).get(f"/api/galleries/{w.gallery_id}/")
        assert answer.status_code == 200, answer.content
        return set(answer.json()["post_ids"])

    return post.id in w.once(("gallery", viewer), read)


def _notifications_api(w, viewer, post):
    def read():
        answer = w.client(viewer).get("/api/notifications/?limit=200")
        assert answer.status_code == 200, answer.content
        return {n["post"] for n in answer.json()}

    return post.id in w.once(("notifications", viewer), read)


def _page_contains(url: Callable[[World, Post], str | None], marker: str):
    """A page path: the post's marker is in the page (a page that is a 404 shows nothing)."""

    def ask(w, viewer, post):
        where = url(w, post)
        if where is None:
            return None

        def read():
            answer = w.client(viewer).get(where)
            if answer.status_code == 404:
                return ""
            assert answer.status_code == 200, (where, answer.status_code)
            return answer.content.decode()

        return marker.format(post=post.id) in w.once(("page", viewer, where), read)

    return ask


def _pinned(post: Post) -> Post:
    """Pin `post` on its author's profile (as a row: the service refuses a deleted one)."""
    PinnedPost.objects.get_or_create(
        user_id=post.author_id, post=post, defaults={"position": post.id}
    )
    return post


def _profile_pins_api(w, viewer, post):
    """GET /api/users/{author}/'s `pinned_posts` (a 404 profile shows none)."""
    _pinned(post)
    answer = w.client(viewer).get(f"/api/users/{post.author_id}/")
    if answer.status_code == 404:
        return False
    assert answer.status_code == 200, answer.content
    return post.id in {p["id"] for p in answer.json()["pinned_posts"]}


def _profile_pins_page(w, viewer, post):
    _pinned(post)
    answer = w.client(viewer).get(f"/users/{post.author_id}/")
    if answer.status_code == 404:
        return False
    assert answer.status_code == 200, answer.status_code
    return f'id="pinned-{post.id}"' in answer.content.decode()


def _search(page_url: str | None = None):
    """GET /api/search/ (or the /search/ page) for the word every post's title has ("post"),
    every page walked, two posts a page."""

    def read_api(w, viewer):
        ids, url = set(), "/api/search/?q=post&page_size=2"
        while url:
            answer = w.client(viewer).get(url)
            assert answer.status_code == 200, answer.content
            ids |= {p["id"] for p in answer.json()["results"]}
            url = answer.json()["next"]
        return ids

    def ask(w, viewer, post):
        if page_url is None:
            return post.id in w.once(("search", viewer), lambda: read_api(w, viewer))
        return _page_contains(lambda w, p: page_url, 'id="tile-{post}"')(w, viewer, post)

    return ask


def _post_page(w, viewer, post):
    return _status(w.client(viewer).get(f"/posts/{post.id}/"))


def _collective_url(w, post):
    return f"/collectives/{post.collective_id}/" if post.collective_id else None


def _feed(params: str, *, budget: int | None = None, dense: bool = False, repeat: bool = False):
    """GET /api/posts/ as the viewer: is the post on it (every page walked, two posts a
    page, so later pages come from the snapshot the first one built)?

    `budget` ranks only that many candidates (the rest is the newest-first tail); `dense`
    makes the side sources scan the newest posts instead of each member's; `repeat` walks
    the feed twice and answers with the second walk, whose first page the cache serves.
    """
    personalized = "personalized" in params

    def read(w, viewer):
        r = default_ranking()
        if budget is not None:
            r = dataclasses.replace(r, candidate_budget=budget)
        client = w.client(viewer)
        with (
            mock.patch.object(feed_service, "load_ranking", return_value=r),
            mock.patch.object(sources, "DENSE_FROM", -1 if dense else sources.DENSE_FROM),
        ):
            for walk in range(2 if repeat else 1):
                ids, url, first = set(), f"/api/posts/?page_size=2&{params}", None
                while url:
                    answer = client.get(url)
                    assert answer.status_code == 200, answer.content
                    body = answer.json()
                    first = body["ranking"]["cached"] if first is None else first
                    ids |= {p["id"] for p in body["results"]}
                    url = body["next"]
                if personalized and w.users[viewer] is not None:
                    assert first == (walk == 1), (viewer, walk, first)
        return ids

    def ask(w, viewer, post):
        key = ("feed", params, budget, dense, repeat, viewer)
        return post.id in w.once(key, lambda: read(w, viewer))

    return ask


def _viewer_id(w: World, viewer: str) -> int | None:
    user = w.users[viewer]
    return None if user is None else user.id


def _statement(unseen: bool, *, dense: bool = False, budget: int | None = None):
    """The hand-written ranking statement itself (sources, hydration through `f`)."""

    def ask(w, viewer, post):
        def read():
            r = default_ranking()
            if budget is not None:
                r = dataclasses.replace(r, candidate_budget=budget)
            user_id = _viewer_id(w, viewer)
            with mock.patch.object(sources, "DENSE_FROM", -1 if dense else sources.DENSE_FROM):
                snapshot = pipeline.build_for(user_id, r, timezone.now(), unseen=unseen)
            ids = {int(i) for i in snapshot.ids}
            if snapshot.tail_after is not None:  # the rest is the newest-first tail
                from atelier.feed.selectors import tail_page

                ids |= set(
                    tail_page(
                        user_id,
                        after=snapshot.tail_after,
                        skip=snapshot.tail_skip,
                        built_at=snapshot.built_at,
                        offset=0,
                        limit=1000,
                        unseen=unseen,
                    )
                )
            return ids

        return post.id in w.once(("statement", unseen, dense, budget, viewer), read)

    return _signed_in(ask)


def _queryset(unseen: bool):
    def ask(w, viewer, post):
        return feed_queryset(_viewer_id(w, viewer), unseen=unseen).filter(pk=post.pk).exists()

    return ask


def _outer_ref_viewer(w, viewer, post):
    """The rule with the viewer as an OuterRef (a column of an enclosing query)."""
    user = w.users[viewer]
    if user is None:
        return None
    posts = Post.objects.filter(visible_to(OuterRef("pk")), pk=post.pk)
    return User.objects.filter(Exists(posts), pk=user.pk).exists()


class Path(NamedTuple):
    tier: str  # "visible", "feed" or "unseen" (TIERS)
    answer: Callable[[World, str, Post], bool | None]


def _api(method: str, url: str, found: int, body: dict | None = None) -> Callable:
    return _signed_in(_request(method, url, found, body))


def _page(url: Callable[[World, Post], str | None], marker: str = 'id="tile-{post}"'):
    return _signed_in(_page_contains(url, marker))


def _in_visible_posts(w, viewer, post):
    return visible_posts(w.users[viewer]).filter(pk=post.pk).exists()


def _in_posts_by_id(w, viewer, post):
    return post.id in posts_by_id([post.id], _viewer_id(w, viewer))


ONE = "/api/posts/{post}/"


def _update(w, viewer, post):
    """PATCH the post's warning: 200 for its author, 403 for another who may see it."""
    found = 200 if post.author_id == w.users[viewer].id else 403
    return _request("patch", ONE, found, {"content_warning": "x"})(w, viewer, post)
PERSONALIZED = "ordering=personalized"
CHRONOLOGICAL = "ordering=chronological"

PATHS = {
    # The API (docs/api.md): detail, remarks, interactions, meta, seen. The API asks
    # visitors to sign in (401) for all but the feed: those are not asked of a visitor.
    "api_detail": Path("visible", _api("get", ONE, 200)),
    # A post the viewer may see is a 403 (200 for its author: the held post is member's),
    # one they may not a 404.
    "api_update": Path("visible", _signed_in(_update)),
    "api_meta": Path("visible", _signed_in(_meta)),
    "api_comments_get": Path("visible", _api("get", ONE + "comments/", 200)),
    "api_comments_post": Path("visible", _api("post", ONE + "comments/", 201, {"text": "hi"})),
    "api_critiques_get": Path("visible", _api("get", ONE + "critiques/", 200)),
    "api_critiques_post": Path("visible", _api("post", ONE + "critiques/", 201, {"text": "h"})),
    "api_heart": Path("visible", _api("post", ONE + "heart/", 201)),
    "api_trophy": Path("visible", _api("post", ONE + "trophy/", 201)),
    "api_hide": Path("visible", _api("post", ONE + "hide/", 204)),
    "api_seen": Path("visible", _signed_in(_seen)),
    # Media, galleries, notifications.
    "media_detail": Path("visible", _signed_in(_media_detail)),
    "media_file": Path("visible", _media_file),
    "gallery_detail": Path("visible", _signed_in(_gallery)),
    "notifications_api": Path("visible", _signed_in(_notifications_api)),
    "notifications_page": Path(
        "visible", _page(lambda w, p: "/notifications/", 'href="/posts/{post}/')
    ),
    # The pages (a visitor may open a post page; the others ask them to log in).
    "page_post": Path("visible", _post_page),
    "page_profile": Path("visible", _page(lambda w, p: f"/users/{p.author_id}/")),
    # A member's pinned posts (docs/api.md "Users"): through the same rule as the grid.
    "api_profile_pins": Path("visible", _signed_in(_profile_pins_api)),
    "page_profile_pins": Path("visible", _signed_in(_profile_pins_page)),
    "page_collective": Path("visible", _page(_collective_url)),
    # The report page names only what the reader may see (a block hides the post's title
    # but not the form: docs/moderation.md); a post they cannot see at all is a 404.
    "page_report": Path(
        "visible", _page(lambda w, p: f"/report/post/{p.id}/", 'id="report-target-{post}"')
    ),
    # Selectors other apps call, and the rule with the viewer as an OuterRef.
    "visible_posts": Path("visible", _in_visible_posts),
    "is_post_visible_to": Path("visible", lambda w, v, p: is_post_visible_to(p, w.users[v])),
    "outer_ref_viewer": Path("visible", _outer_ref_viewer),
    # The feed over HTTP (ORM and ranking statement; first page built, the rest cached).
    "feed_chronological": Path("feed", _feed(CHRONOLOGICAL)),
    # Search finds what the feed may show (visitors too: public posts).
    "api_search": Path("feed", _search()),
    "page_search": Path("feed", _search("/search/?q=post")),
    "feed_personalized": Path("feed", _feed(PERSONALIZED)),
    "feed_personalized_cached": Path("feed", _feed(PERSONALIZED, repeat=True)),
    "feed_personalized_tail": Path("feed", _feed(PERSONALIZED, budget=2)),
    "feed_personalized_dense_tail": Path("feed", _feed(PERSONALIZED, budget=2, dense=True)),
    "feed_chronological_unseen": Path("unseen", _feed(CHRONOLOGICAL + "&unseen=true")),
    "feed_personalized_unseen": Path("unseen", _feed(PERSONALIZED + "&unseen=true")),
    "feed_personalized_unseen_tail": Path("unseen", _feed(PERSONALIZED + "&unseen=true", budget=2)),
    # The feed's parts: the hand-written ranking statement, the ORM filter, the page read.
    "ranking_statement": Path("feed", _statement(False)),
    "ranking_statement_dense": Path("feed", _statement(False, dense=True, budget=2)),
    "ranking_statement_unseen": Path("unseen", _statement(True)),
    "feed_queryset": Path("feed", _queryset(False)),
    "feed_queryset_unseen": Path("unseen", _queryset(True)),
    "posts_by_id": Path("feed", _in_posts_by_id),
}


@pytest.mark.parametrize("name", PATHS)
def test_every_path_gives_the_tables_answer(world, name):
    path = PATHS[name]
    wrong = []
    for state, cells in TABLE.items():
        post = world.posts[state]
        for viewer, cell in zip(VIEWERS, cells, strict=True):
            got = path.answer(world, viewer, post)
            if got is None:
                continue
            expected = cell in TIERS[path.tier]
            if got != expected:
                wrong.append(f"{viewer} on {state} post: got {got}, table says {cell!r}")
    assert not wrong, f"{name} ({path.tier}) on {connection.vendor}:\n" + "\n".join(wrong)


def test_the_sources_prefilter_passes_every_visible_post(world):
    """The sources' cheap prefilter (`_CHEAPLY_VISIBLE`, PostgreSQL's per-member and dense
    scans) may keep more than the rule, never less: a visible post it dropped could only
    reach the feed through the newest-first source."""
    mine = "SELECT collective_id FROM collective_collectivemember WHERE user_id = %(v)s"
    prefilter = sources._CHEAPLY_VISIBLE.replace("SELECT collective_id FROM mine", mine)
    sql = f"SELECT p.id FROM post_post p WHERE p.id = %(post)s AND {prefilter}"

    for state, cells in TABLE.items():
        for viewer, cell in zip(VIEWERS, cells, strict=True):
            user_id = _viewer_id(world, viewer)
            if user_id is None or cell not in TIERS["visible"]:
                continue
            text, params = named(sql, {"post": world.posts[state].id, "v": user_id})
            with connection.cursor() as cursor:
                cursor.execute(text, params)
                assert cursor.fetchall(), (viewer, state)


# --- Remarks ------------------------------------------------------------------------------

# Comments and critiques on posts by curator (a bystander's public post, and ava's private
# channel post), by the authors below. "+" shown, "-" not shown.
# fmt: off
REMARK_TABLE = {
    #                    visitor member fellow insider former blocked blocking staff banned
    "by_bystander":    ("-",    "+",   "+",   "+",    "+",   "+",    "+",     "+",  "+"),
    "by_ava":          ("-",    "+",   "+",   "+",    "+",   "-",    "-",     "+",  "+"),
    "deleted":         ("-",    "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "on_private_post": ("-",    "-",   "-",   "+",    "-",   "-",    "-",     "-",  "-"),
    "removed":         ("-",    "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "by_suspended":    ("-",    "-",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    # Holds: member's remark, held; a remark by former, a member held.
    "held":            ("-",    "+",   "-",   "-",    "-",   "-",    "-",     "-",  "-"),
    "by_held":         ("-",    "-",   "-",   "-",    "+",   "-",    "-",     "-",  "-"),
}
# fmt: on


def _remarks_api(kind: str):
    def ask(w, viewer, remark):
        def read():
            answer = w.client(viewer).get(f"/api/posts/{remark.post_id}/{kind}s/")
            if answer.status_code in (401, 404):  # a visitor, or a post they may not see
                return set()
            assert answer.status_code == 200, answer.content
            return {r["text"] for r in answer.json()}

        return remark.text in w.once((kind, viewer, remark.post_id), read)

    return ask


def _remarks_page(w, viewer, remark):
    def read():
        answer = w.client(viewer).get(f"/posts/{remark.post_id}/")
        return answer.content.decode() if answer.status_code == 200 else ""

    return remark.text in w.once(("page", viewer, remark.post_id), read)


def _remarks_report_page(kind: str):
    """The report page of a remark quotes it only when the reader may see it."""

    def ask(w, viewer, remark):
        if w.users[viewer] is None:
            return False  # a visitor is sent to log in
        answer = w.client(viewer).get(f"/report/{kind}/{remark.id}/")
        if answer.status_code == 404:
            return False
        assert answer.status_code == 200, answer.status_code
        return remark.text in answer.content.decode()

    return ask


REMARK_PATHS = {
    "api_comments": ("comment", _remarks_api("comment")),
    "api_critiques": ("critique", _remarks_api("critique")),
    "page_comments": ("comment", _remarks_page),
    "page_critiques": ("critique", _remarks_page),
    "page_report_comment": ("comment", _remarks_report_page("comment")),
    "page_report_critique": ("critique", _remarks_report_page("critique")),
}


@pytest.mark.parametrize("name", REMARK_PATHS)
def test_every_remark_path_gives_the_tables_answer(world, name):
    kind, answer = REMARK_PATHS[name]
    factory = CommentFactory if kind == "comment" else CritiqueFactory
    bystander = User.objects.get(username="curator")
    public = PostFactory(author=bystander)
    remarks = {
        "by_bystander": factory(post=public, author=bystander, text=f"{kind} by bystander"),
        "by_ava": factory(post=public, author=world.author, text=f"{kind} by ava"),
        "deleted": factory(post=public, author=bystander, text=f"deleted {kind}", is_deleted=True),
        "on_private_post": factory(
            post=world.posts["private_channel"], author=bystander, text=f"private {kind}"
        ),
        "removed": factory(
            post=public, author=bystander, text=f"removed {kind}", removed_at=timezone.now()
        ),
        "by_suspended": factory(
            post=public, author=User.objects.get(username="sue"), text=f"{kind} by sue"
        ),
        "held": factory(
            post=public, author=world.users["member"], text=f"held {kind}", held_at=timezone.now()
        ),
        "by_held": factory(post=public, author=world.users["former"], text=f"{kind} by former"),
    }
    wrong = []
    for state, cells in REMARK_TABLE.items():
        for viewer, cell in zip(VIEWERS, cells, strict=True):
            got = answer(world, viewer, remarks[state])
            if got != (cell == "+"):
                wrong.append(f"{viewer} on the {state} {kind}: got {got}, table says {cell!r}")
    assert not wrong, f"{name} on {connection.vendor}:\n" + "\n".join(wrong)


def test_the_table_covers_every_state_and_viewer():
    assert all(len(cells) == len(VIEWERS) for cells in TABLE.values())
    assert all(len(cells) == len(VIEWERS) for cells in REMARK_TABLE.values())
    assert {path.tier for path in PATHS.values()} == set(TIERS)
    # Every tier's answer occurs for some viewer: no row or column that proves nothing.
    cells = {cell for row in TABLE.values() for cell in row}
    assert cells == {"-", "V", "F", "S"}
