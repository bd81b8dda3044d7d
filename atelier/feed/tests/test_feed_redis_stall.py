"""Two server processes, one database and one Redis that stalls: no stale ranking, ever.

The reproduction from the engine issue: a viewer reads their feed (cached); Redis is
paused (SIGSTOP); the viewer hearts a post through process 1; Redis resumes; process 2
must serve the heart at once, not the snapshot it had cached. The versions that name
cached rankings live in the database, so the bump cannot be lost with the cache.

Runs on PostgreSQL (the processes share the test database) with a private redis-server
started here, so pausing it touches nothing else.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from atelier.core.tests.factories import UserFactory
from atelier.feed.config import load_ranking
from atelier.feed.tests.helpers import post

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or shutil.which("redis-server") is None,
        reason="needs the PostgreSQL test database and redis-server (the second .ci/run pass)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def _process(args: list[str], env: dict | None = None, port: int | None = None):
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        if port is not None:
            _wait_for(port)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGCONT)  # a paused process cannot die
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _request(port: int, path: str, token: str, method: str = "GET") -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        headers={"Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        return response.status, json.loads(body) if body else {}


def _server_env(redis_port: int) -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="stall-test-" + "x" * 50,
    )
    return env


def test_a_heart_during_a_redis_stall_is_served_by_the_other_process(tmp_path: Path):
    ana = UserFactory(username="ana")
    ben = UserFactory(username="ben")
    his = post(ben, 1)
    post(UserFactory(), 2)
    token = Token.objects.create(user=ana).key
    load_ranking()

    redis_port, one, two = _free_port(), _free_port(), _free_port()
    redis = [
        "redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(tmp_path),
    ]  # fmt: skip
    env = _server_env(redis_port)
    serve = [sys.executable, "-m", "config.manage", "runserver", "--noreload", "--nothreading"]
    with (
        _process(redis, port=redis_port) as redis_proc,
        _process([*serve, f"127.0.0.1:{one}"], env, one),
        _process([*serve, f"127.0.0.1:{two}"], env, two),
    ):
        feed = "/api/posts/?explain=true&ordering=personalized"
        _request(two, feed, token)
        status, before = _request(two, feed, token)
        assert status == 200 and before["ranking"]["cached"] is True
        assert before["results"][0]["score_breakdown"]["interaction"] == 0.0

        os.kill(redis_proc.pid, signal.SIGSTOP)
        try:
            status, _ = _request(one, f"/api/posts/{his.id}/heart/", token, method="POST")
            assert status == 201
        finally:
            os.kill(redis_proc.pid, signal.SIGCONT)

        status, after = _request(two, feed, token)
        assert status == 200
        assert after["ranking"]["cached"] is False
        assert after["ranking"]["calc_version"] == before["ranking"]["calc_version"] + 1
        hearted = next(p for p in after["results"] if p["id"] == his.id)
        assert hearted["score_breakdown"]["interaction"] == 5.0
