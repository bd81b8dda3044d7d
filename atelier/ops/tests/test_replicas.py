"""Read replicas against a real streaming replica: GET requests read from it, writers read
their own writes from the primary (a new post, a heart), and nothing reads a replica
outside a request. Replay on the replica is paused while the test writes, so "the replica
is behind" is a state the test sets, not a race it hopes to win."""

import json
import secrets
import subprocess
import sys

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from atelier.ops import routing
from atelier.ops.routing import PrimaryReplicaRouter, _replica_reads
from atelier.ops.tests.replicas import PostgresPair, postgres_bin
from atelier.ops.tests.server import ServedAtelier, get, post_json, served_environment
from atelier.post.models import Post

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql" or postgres_bin() is None,
    reason="starts its own PostgreSQL primary and replica: .ci/run's PostgreSQL run",
)


@pytest.fixture(scope="module")
def pg_pair():
    pair = PostgresPair().start()
    try:
        environment = served_environment(pair.primary_url)
        subprocess.run(
            [sys.executable, "-m", "config.manage", "migrate", "--noinput", "-v0"],
            env=environment,
            check=True,
            timeout=300,
        )
        pair.start_replica()
        yield pair
    finally:
        pair.stop()


def register(server, name: str) -> tuple[int, dict]:
    status, account = post_json(
        f"{server.url}/api/auth/register/",
        {"username": name, "password": "pw-pw-pw", "artist_type": "musician"},
    )
    assert status == 201, account
    return account["id"], {"Authorization": f"Token {account['token']}"}


def titles(server, path: str, auth: dict | None = None) -> list[str]:
    status, _, body = get(f"{server.url}{path}", headers=auth)
    assert status == 200, body
    return [post["title"] for post in json.loads(body)["results"]]


def hearts(server, post_id: int, auth: dict) -> int:
    status, _, body = get(f"{server.url}/api/posts/{post_id}/", headers=auth)
    assert status == 200, body
    return json.loads(body)["hearts_count"]


@pytest.mark.subprocess
@needs_postgres
def test_reads_use_the_replica_and_writers_read_their_own_writes(pg_pair):
    environment = served_environment(
        pg_pair.primary_url,
        DATABASE_REPLICA_URLS=pg_pair.replica_url,
        WEB_CONCURRENCY="1",
        # Long enough that the pins below never lapse on a slow machine.
        REPLICA_PIN_SECONDS="120",
    )
    suffix = secrets.token_hex(3)
    with ServedAtelier(environment) as server:
        _, ben = register(server, f"ben{suffix}")
        _, ana = register(server, f"ana{suffix}")
        _, cleo = register(server, f"cleo{suffix}")
        status, before = post_json(
            f"{server.url}/api/posts/", {"title": f"Before {suffix}", "post_type": "music"}, ben
        )
        assert status == 201

        pg_pair.pause_replay()  # from here on the replica is behind the primary
        try:
            status, _ = post_json(
                f"{server.url}/api/posts/", {"title": f"During {suffix}", "post_type": "music"}, ben
            )
            assert status == 201
            # A visitor's feed is read from the replica: the new post is not there yet...
            anonymous = titles(server, "/api/posts/?page_size=100")
            assert f"Before {suffix}" in anonymous and f"During {suffix}" not in anonymous
            # ...but Ben, who just wrote, reads from the primary and sees his post.
            assert f"During {suffix}" in titles(
                server, "/api/posts/?ordering=chronological&page_size=100", ben
            )

            # Ana hearts Ben's first post: she sees her heart at once, Cleo (who wrote
            # nothing) reads the replica and does not yet.
            status, _ = post_json(f"{server.url}/api/posts/{before['id']}/heart/", {}, ana)
            assert status == 201
            assert hearts(server, before["id"], ana) == 1
            assert hearts(server, before["id"], cleo) == 0
        finally:
            pg_pair.resume_replay()

        # The replica caught up: everyone sees everything.
        assert hearts(server, before["id"], cleo) == 1
        status, _, body = get(f"{server.url}/readyz")
        assert status == 200, body
        assert json.loads(body)["checks"]["replica_0"] == "ok"
        server.stop()
    assert "Traceback" not in server.output()


def test_the_router_sends_reads_to_a_replica_only_inside_an_eligible_request(monkeypatch):
    monkeypatch.setattr(routing, "replica_aliases", lambda: ["replica_0"])
    router = PrimaryReplicaRouter()
    # Outside a request (commands, tests, work after a response): the primary.
    assert router.db_for_read(Post) == "default"
    token = _replica_reads.set(True)
    try:
        assert router.db_for_read(Post) == "replica_0"
        assert router.db_for_read(Token) == "default"  # a new token must be found at once
    finally:
        _replica_reads.reset(token)
    assert router.db_for_write(Post) == "default"
    assert router.allow_migrate("default", "post") is True
    assert router.allow_migrate("replica_0", "post") is False


@pytest.mark.subprocess
def test_without_replicas_there_is_no_router():
    environment = served_environment("sqlite:///unused.sqlite3", DATABASE_REPLICA_URLS=None)
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASE_ROUTERS, sorted(settings.DATABASES))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[] ['default']", result.stderr
