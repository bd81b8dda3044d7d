"""`atelier serve`: gunicorn started, answering on loopback, and stopped gracefully."""

import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from atelier.ops.tests.server import ServedAtelier, get, post_json, served_environment

pytestmark = pytest.mark.subprocess

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="several workers need the shared cache: run with REDIS_URL (as .ci/run does)",
)


def serve_command(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "config.manage", "serve", *args],
        env=served_environment("sqlite:///unused.sqlite3", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def cpus() -> int:
    return len(os.sched_getaffinity(0))


def test_several_workers_on_the_local_memory_cache_are_refused():
    result = serve_command("--workers", "3", REDIS_URL="")
    assert result.returncode != 0
    assert "refusing to start 3 workers on the local-memory cache" in result.stderr
    assert "Set REDIS_URL" in result.stderr

    result = serve_command(REDIS_URL="", WEB_CONCURRENCY="2")
    assert result.returncode != 0
    assert "refusing to start 2 workers" in result.stderr


def test_the_local_memory_cache_defaults_to_one_worker():
    result = serve_command("--dry-run", REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert "--workers 1 " in result.stdout
    assert "one worker, as the cache is local memory" in result.stderr


def test_workers_come_from_the_cpu_count_unless_overridden():
    redis = "redis://127.0.0.1:6379/0"  # a dry run does not connect
    result = serve_command("--dry-run", REDIS_URL=redis)
    assert result.returncode == 0, result.stderr
    assert f"--workers {2 * cpus() + 1} " in result.stdout
    assert "--timeout 30 " in result.stdout
    assert "--graceful-timeout 30 " in result.stdout
    assert "--max-requests 2000 " in result.stdout

    result = serve_command("--dry-run", REDIS_URL=redis, WEB_CONCURRENCY="3", WEB_TIMEOUT="12")
    assert "--workers 3 " in result.stdout
    assert "--timeout 12 " in result.stdout
    assert "--workers 4 " in serve_command("--dry-run", "--workers", "4", REDIS_URL=redis).stdout


def test_a_bad_setting_stops_it_with_a_message():
    result = serve_command("--dry-run", WEB_CONCURRENCY="many")
    assert result.returncode != 0
    assert "WEB_CONCURRENCY='many' is not an integer" in result.stderr
    result = serve_command("--dry-run", PORT="70000")
    assert "PORT=70000 must be at most 65535" in result.stderr
    result = serve_command("--workers", "0")
    assert "--workers must be at least 1" in result.stderr


def test_it_serves_requests_and_stops_gracefully(served_database_url):
    environment = served_environment(served_database_url, WEB_CONCURRENCY="1")
    with ServedAtelier(environment) as server:
        status, headers, body = get(f"{server.url}/api/posts/")
        assert status == 200, body
        assert isinstance(json.loads(body)["results"], list)
        assert headers["Server"] == "gunicorn"

        status, _, body = get(f"{server.url}/readyz")
        assert (status, json.loads(body)["status"]) == (200, "ready")

        # The API docs' assets come from the server (drf-spectacular-sidecar), DEBUG off.
        status, _, body = get(f"{server.url}/api/docs/")
        assert status == 200
        bundle = re.search(r'src="(/static/drf_spectacular_sidecar/[^"]+\.js)"', body.decode())
        assert bundle, body
        status, headers, _ = get(f"{server.url}{bundle[1]}")
        assert status == 200 and "javascript" in headers["Content-Type"]

        # A client error stays a client error under gunicorn.
        assert get(f"{server.url}/api/users/me/")[0] == 401
        assert server.stop() == 0  # TERM: the requests in flight finish, then it exits
        output = server.output()
    assert "Handling signal: term" in output
    assert "Shutting down: Master" in output
    # The access log: one line per request, with its status and time.
    assert "GET /api/posts/ 200 " in output
    assert "GET /api/users/me/ 401 " in output


def test_it_is_up_but_not_ready_on_a_database_never_migrated(tmp_path):
    environment = served_environment(f"sqlite:///{tmp_path / 'empty.sqlite3'}", REDIS_URL="")
    with ServedAtelier(environment) as server:
        status, _, body = get(f"{server.url}/readyz")
        assert get(f"{server.url}/healthz")[0] == 200
    assert status == 503
    assert json.loads(body)["checks"]["migrations"] == "unreadable (OperationalError)"


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def request_count(exposition: str, route: str) -> float:
    for line in exposition.splitlines():
        if line.startswith("atelier_http_request_duration_seconds_count{") and (
            f'route="{route}"' in line
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@needs_redis
def test_metrics_add_up_across_two_workers(served_database_url, tmp_path):
    metrics_dir = tmp_path / "metrics"
    environment = served_environment(served_database_url, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
    with ServedAtelier(environment, "--workers", "2") as server:
        wait_for(lambda: server.output().count("Booting worker with pid") == 2)
        # Keep one worker busy reading a request whose headers have not ended: a sync
        # worker serves one connection at a time, so the next request goes to the other.
        held = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        held.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)  # let a worker accept it (not a timing assertion: either way works)
        assert get(f"{server.url}/readyz")[0] == 200
        held.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := held.recv(65536):
            answer += chunk
        held.close()
        assert answer.startswith(b"HTTP/1.1 200")

        # Each worker wrote its own metrics files; the scrape adds them up.
        writers = {re.sub(r"\D", "", path.name) for path in metrics_dir.glob("histogram_*.db")}
        assert len(writers) == 2, sorted(metrics_dir.iterdir())
        status, _, body = get(f"{server.url}/metrics")
        assert status == 200
        assert request_count(body.decode(), "/readyz") == 2.0
        assert server.stop() == 0
        output = server.output()
    assert output.count("Booting worker with pid") == 2


def exposures_of(database_url: str, user_id: int) -> int:
    """Exposure rows of a user in the served database (which the test reads directly)."""
    query = "SELECT count(*) FROM analytics_exposedpost WHERE user_id = %s"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as database:
            return database.execute(query.replace("%s", "?"), [user_id]).fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(query, [user_id])
        return cursor.fetchone()[0]


def test_a_graceful_stop_writes_the_buffered_exposures(served_database_url):
    environment = served_environment(served_database_url, WEB_CONCURRENCY="1")
    suffix = secrets.token_hex(3)
    with ServedAtelier(environment) as server:
        accounts = {}
        for name in ("ines", "joao"):
            status, accounts[name] = post_json(
                f"{server.url}/api/auth/register/",
                {"username": f"{name}{suffix}", "password": "pw-pw-pw", "artist_type": "writer"},
            )
            assert status == 201
        joao = {"Authorization": f"Token {accounts['joao']['token']}"}
        ines = {"Authorization": f"Token {accounts['ines']['token']}"}
        status, _ = post_json(
            f"{server.url}/api/posts/", {"title": "Tide", "post_type": "poem"}, headers=joao
        )
        assert status == 201
        assert get(f"{server.url}/api/posts/", headers=ines)[0] == 200
        # The page waits in the worker's buffer (written every 100 pages or 10 s)...
        assert exposures_of(served_database_url, accounts["ines"]["id"]) == 0
        assert server.stop() == 0
    # ...and the worker wrote it on its way out.
    assert exposures_of(served_database_url, accounts["ines"]["id"]) == 1
