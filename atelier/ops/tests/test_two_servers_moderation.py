"""Moderation takes effect on every path at the next request, with two server processes on
one database: sharing a Redis, and with Redis down (docs/moderation.md, "Cached pages").

A member's feed page is read (and cached) through process A, and a snapshot token taken;
staff act through process B; process A's very next requests must no longer serve what the
action hid: the feed page (ranked again: the action moved the visibility epoch), the old
snapshot token's page, the post and its comments, its media file
(a conditional request too), a gallery, the author's profile grid, notifications. A
suspended member's token and session stop working on A at once; a limited member's post
leaves a stranger's cached feed on A but not their fellow's, and a link still opens it.

Redis: REDIS_URL when set (as .ci/run does), else a private redis-server started here.
Redis down: a REDIS_URL where nothing listens, for both processes (the cache degrades to
none, docs/reliability.md). The database: the PostgreSQL test database, or a SQLite file.
"""

import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from PIL import Image

from atelier.ops.tests.server import ServedAtelier, free_port, served_environment

pytestmark = pytest.mark.subprocess

PASSWORD = "s3cret-pass-42"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


@dataclass
class Member:
    """One person's credentials: an API token and, once logged in, a session cookie."""

    username: str
    id: int = 0
    token: str | None = None
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def _opener(self):
        return urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def call(
        self,
        server: ServedAtelier,
        path: str,
        *,
        method: str = "GET",
        payload: dict | None = None,
        body: bytes | None = None,
        headers: dict | None = None,
        session: bool = False,
    ) -> tuple[int, dict, bytes]:
        """(status, headers, body); with `session`, the cookie instead of the token."""
        headers = dict(headers or {})
        if self.token and not session:
            headers["Authorization"] = f"Token {self.token}"
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            f"{server.url}{path}", data=body, headers=headers, method=method
        )
        opener = self._opener() if session else urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, server, path: str, *, expect: int = 200, **kwargs):
        status, _, body = self.call(server, path, **kwargs)
        assert status == expect, (path, status, body[:500])
        return json.loads(body) if body else None

    def status(self, server, path: str, **kwargs) -> int:
        return self.call(server, path, **kwargs)[0]

    def log_in(self, server) -> None:
        """Sign in on the /login/ page: a session cookie in `jar`."""
        status, _, page = self.call(server, "/login/", session=True)
        assert status == 200, page[:300]
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
        ).encode()
        status, headers, page = self.call(
            server,
            "/login/",
            method="POST",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            session=True,
        )
        assert status == 302, page[:500]
        assert any(cookie.name == "sessionid" for cookie in self.jar)


def register(server, name: str) -> Member:
    member = Member(name)
    account = member.json(
        server,
        "/api/auth/register/",
        method="POST",
        payload={"username": name, "password": PASSWORD, "artist_type": "photographer"},
        expect=201,
    )
    member.id, member.token = account["id"], account["token"]
    return member


def create_staff(environment: dict, server, name: str) -> Member:
    """A staff account made the way an operator makes one: `createsuperuser`."""
    subprocess.run(
        [sys.executable, "-m", "config.manage", "createsuperuser", "--noinput",
         "--username", name, "--email", f"{name}@example.org"],
        env={**environment, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    staff = Member(name)
    staff.token = staff.json(
        server,
        "/api/auth/token/",
        method="POST",
        payload={"username": name, "password": PASSWORD},
    )["token"]
    staff.id = staff.json(server, "/api/users/me/")["id"]
    return staff


def upload_picture(member: Member, server) -> dict:
    """POST /api/media/ with a small PNG (multipart): the media object."""
    picture = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 60, 90)).save(picture, format="PNG")
    boundary = secrets.token_hex(12)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + picture.getvalue()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return member.json(
        server,
        "/api/media/",
        method="POST",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        expect=201,
    )


def new_post(member: Member, server, title: str, media: list[int] | None = None) -> int:
    payload = {"title": title, "post_type": "image", "media": media or []}
    return member.json(server, "/api/posts/", method="POST", payload=payload, expect=201)["id"]


FEED = "/api/posts/?ordering=personalized&page_size=50"


def feed(member: Member, server, path: str = FEED) -> dict:
    return member.json(server, path)


def ids(page: dict) -> list[int]:
    return [post["id"] for post in page["results"]]


def fresh_feed(member: Member, server) -> dict:
    """The viewer's feed ranked anew (a post written since their last page is in it), then
    read again: the page as the cache serves it."""
    feed(member, server, FEED + "&invalidate_cache=true")
    return feed(member, server)


def snapshot_page_with(member: Member, server, post_id: int) -> str:
    """The path of the page, one post a page, that holds `post_id`, named by the snapshot
    token page 1's `next` carries: a page read from that ranked snapshot."""
    first = member.json(server, "/api/posts/?ordering=personalized&page_size=1")
    (token,) = urllib.parse.parse_qs(urllib.parse.urlsplit(first["next"]).query)["snapshot"]
    for number in range(1, first["count"] + 1):
        path = f"/api/posts/?ordering=personalized&page_size=1&page={number}&snapshot={token}"
        if post_id in ids(member.json(server, path)):
            return path
    raise AssertionError(f"post {post_id} is not in the feed")


def act(staff: Member, server, target_type: str, target_id: int, action: str) -> None:
    payload = {
        "target_type": target_type,
        "target_id": target_id,
        "action": action,
        "reason": f"{action}: rule 3",
    }
    staff.json(server, "/api/moderation/actions/", method="POST", payload=payload, expect=201)


def notifications(member: Member, server) -> list[dict]:
    listed = member.json(server, "/api/notifications/?limit=200")
    return listed["results"] if isinstance(listed, dict) else listed


def comment_texts(member: Member, server, post_id: int) -> list[str]:
    listed = member.json(server, f"/api/posts/{post_id}/comments/")
    items = listed["results"] if isinstance(listed, dict) else listed
    return [item["text"] for item in items]


def file_path(media: dict) -> str:
    return urllib.parse.urlsplit(media["url"]).path


@contextmanager
def private_redis(tmp_path):
    """A redis-server of this test's own on a free port: its URL."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@contextmanager
def redis_for(mode: str, tmp_path):
    if mode == "redis_down":
        # A port nothing listens on: every cache call fails (fast) and the processes serve
        # without a cache.
        yield f"redis://127.0.0.1:{free_port()}/0"
    elif os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
    elif shutil.which("redis-server"):
        with private_redis(tmp_path) as url:
            yield url
    else:
        pytest.skip("needs REDIS_URL or redis-server")


@pytest.mark.parametrize("mode", ["redis", "redis_down"])
def test_moderation_reaches_every_path_of_the_other_process_at_once(
    served_database_url, tmp_path, mode
):
    suffix = secrets.token_hex(3)
    with redis_for(mode, tmp_path) as redis_url:
        environment = served_environment(
            served_database_url,
            WEB_CONCURRENCY="1",
            REDIS_URL=redis_url,
            CACHE_KEY_PREFIX=f"twomod{suffix}",
            MEDIA_ROOT=str(tmp_path / "media"),
        )
        with ServedAtelier(environment) as a, ServedAtelier(environment) as b:
            world = World.build(environment, a, b, suffix)
            world.removal(cached=mode == "redis")
            world.suspension(cached=mode == "redis")
            world.limit(cached=mode == "redis")
        assert "Traceback" not in a.output() + b.output()


@dataclass
class World:
    a: ServedAtelier
    b: ServedAtelier
    mod: Member
    ana: Member  # author of the removed post
    ben: Member  # the viewer: a stranger to everyone
    cleo: Member  # suspended
    dan: Member  # limited
    fay: Member  # dan's fellow

    @classmethod
    def build(cls, environment, a, b, suffix: str) -> "World":
        mod = create_staff(environment, b, f"mod{suffix}")
        people = {
            name: register(a, f"{name}{suffix}") for name in ("ana", "ben", "cleo", "dan", "fay")
        }
        dan, fay = people["dan"], people["fay"]
        request = fay.json(
            a, "/api/fellows/requests/", method="POST", payload={"user_id": dan.id}, expect=201
        )
        dan.json(a, f"/api/fellows/requests/{request['id']}/accept/", method="POST")
        return cls(a, b, mod, **people)

    def removal(self, *, cached: bool) -> None:
        a, b, ana, ben = self.a, self.b, self.ana, self.ben
        picture = upload_picture(ana, a)
        removed = new_post(ana, a, "To be removed", [picture["id"]])
        # Posts around it, so the feed has pages to walk.
        stays = [new_post(ana, a, f"Stays {n}") for n in range(3)]
        ben.json(a, f"/api/posts/{removed}/comments/", method="POST",
                 payload={"text": "Nice one"}, expect=201)  # fmt: skip
        ben.json(a, f"/api/posts/{removed}/heart/", method="POST", expect=201)
        gallery = ana.json(
            a,
            "/api/galleries/",
            method="POST",
            payload={"title": "Best of", "status": "published", "post_ids": [removed]},
            expect=201,
        )
        ben.log_in(a)

        # Process A serves ben's feed (cached), a snapshot page, and every other path. The
        # snapshot token is taken first; then a heart moves ben's feed on to a new snapshot,
        # so the token names an older one, which A's cache still holds for its pages.
        fresh_feed(ben, a)
        snapshot_page = snapshot_page_with(ben, a, removed)
        ben.json(a, f"/api/posts/{stays[0]}/heart/", method="POST", expect=201)
        before = fresh_feed(ben, a)
        assert removed in ids(before) and before["ranking"]["cached"] is cached
        assert ben.status(a, f"/api/posts/{removed}/") == 200
        assert ben.status(a, file_path(picture)) == 200
        _, headers, _ = ben.call(a, file_path(picture))
        assert ben.json(a, f"/api/galleries/{gallery['id']}/")["post_ids"] == [removed]
        assert f"/posts/{removed}/".encode() in ben.call(a, f"/users/{ana.id}/", session=True)[2]
        assert removed in [n["post"] for n in notifications(ana, a)]

        act(self.mod, b, "post", removed, "remove")

        after = feed(ben, a)
        assert removed not in ids(after)
        # Ranked again: the action moved the visibility epoch, which names every snapshot,
        # so the count is exact too.
        assert after["ranking"]["cached"] is False
        assert after["count"] == before["count"] - 1
        # A token from before the action pages on from the snapshot ranked now (the one
        # just cached with Redis up), as a token whose snapshot expired does.
        old_snapshot = ben.json(a, snapshot_page)
        assert removed not in ids(old_snapshot)
        assert old_snapshot["ranking"]["cached"] is cached
        assert old_snapshot["count"] == after["count"]
        assert removed not in ids(ben.json(a, "/api/posts/?ordering=chronological"))
        for viewer in (ben, ana):  # the author too: removed is hidden from everyone
            assert viewer.status(a, f"/api/posts/{removed}/") == 404
            assert viewer.status(a, f"/api/posts/{removed}/comments/") == 404
        # Media: "mine, or attached to a post I can see" (docs/api.md): the uploader keeps
        # her own file; everyone else gets a 404.
        assert ben.status(a, f"/api/media/{picture['id']}/") == 404
        assert ben.status(a, file_path(picture)) == 404
        conditional = {"If-None-Match": headers["ETag"]}
        assert ben.status(a, file_path(picture), headers=conditional) == 404
        assert ben.status(a, f"/posts/{removed}/", session=True) == 404
        assert ben.json(a, f"/api/posts/meta/?ids={removed}") == {}
        assert ben.json(a, f"/api/galleries/{gallery['id']}/")["post_ids"] == []
        assert (
            f"/posts/{removed}/".encode() not in ben.call(a, f"/users/{ana.id}/", session=True)[2]
        )
        notices = notifications(ana, a)
        assert removed not in [n["post"] for n in notices]
        assert {"type": "post", "id": removed} in [n["target"] for n in notices]
        unread = ana.json(a, "/api/notifications/unread_count/")["count"]
        assert unread == sum(not n["is_read"] for n in notices)

    def suspension(self, *, cached: bool) -> None:
        a, b, ana, ben, cleo = self.a, self.b, self.ana, self.ben, self.cleo
        picture = upload_picture(cleo, a)
        hers = new_post(cleo, a, "By the suspended", [picture["id"]])
        target = new_post(ana, a, "Commented by cleo")
        cleo.json(a, f"/api/posts/{target}/comments/", method="POST",
                  payload={"text": "cleo was here"}, expect=201)  # fmt: skip
        cleo.json(a, f"/api/posts/{target}/heart/", method="POST", expect=201)
        cleo.log_in(a)
        assert cleo.status(a, "/api/users/me/") == 200
        assert cleo.status(a, "/api/users/me/", session=True) == 200
        assert cleo.status(a, "/notifications/", session=True) == 200
        assert ben.status(a, f"/api/users/{cleo.id}/") == 200
        assert ben.status(a, f"/users/{cleo.id}/", session=True) == 200
        before = fresh_feed(ben, a)
        assert hers in ids(before) and before["ranking"]["cached"] is cached
        assert "cleo was here" in comment_texts(ben, a, target)
        assert cleo.id in [n["actor"]["id"] for n in notifications(ana, a) if n["actor"]]

        act(self.mod, b, "user", cleo.id, "suspend")

        assert cleo.status(a, "/api/users/me/") == 401  # the token is revoked
        assert cleo.status(a, "/api/users/me/", session=True) == 401  # the session ends
        status, headers, _ = cleo.call(a, "/notifications/", session=True)
        assert status == 302 and "/login/" in headers["Location"]
        login = {"username": cleo.username, "password": PASSWORD}
        # The right password is told of the suspension (403), not "wrong password".
        assert Member("x").status(a, "/api/auth/token/", method="POST", payload=login) == 403
        after = feed(ben, a)
        assert hers not in ids(after) and after["ranking"]["cached"] is False  # ranked again
        assert ben.status(a, f"/api/posts/{hers}/") == 404
        assert ben.status(a, file_path(picture)) == 404
        assert ben.status(a, f"/api/users/{cleo.id}/") == 404  # as if missing
        assert ben.status(a, f"/users/{cleo.id}/", session=True) == 404
        assert "cleo was here" not in comment_texts(ben, a, target)
        assert cleo.id not in [n["actor"]["id"] for n in notifications(ana, a) if n["actor"]]

    def limit(self, *, cached: bool) -> None:
        a, b, ben, dan, fay = self.a, self.b, self.ben, self.dan, self.fay
        his = new_post(dan, a, "By the limited")
        for viewer in (ben, fay):
            before = fresh_feed(viewer, a)
            assert his in ids(before) and before["ranking"]["cached"] is cached

        act(self.mod, b, "user", dan.id, "limit")

        after = feed(ben, a)
        assert his not in ids(after) and after["ranking"]["cached"] is False  # ranked again
        assert his not in ids(Member("visitor").json(a, "/api/posts/"))
        assert ben.status(a, f"/api/posts/{his}/") == 200  # a link still opens it
        assert his in ids(feed(fay, a))  # his fellow still sees it
