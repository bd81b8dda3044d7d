"""One log line per request with its id, status, time and user; X-Request-ID both ways."""

import json
import logging
import re
import secrets

import pytest

from atelier.ops.middleware import loggable_path, request_id_for
from atelier.ops.tests.server import ServedAtelier, get, post_json, served_environment


def request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "atelier.request"]


@pytest.mark.django_db
def test_each_request_gets_an_id_in_its_response_and_its_log_line(anon_client, caplog):
    caplog.set_level(logging.INFO, logger="atelier.request")
    response = anon_client.get("/api/posts/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert anon_client.get("/api/posts/")["X-Request-ID"] != request_id

    line = request_lines(caplog)[0]
    assert line.levelno == logging.INFO
    assert line.getMessage().startswith("GET /api/posts/ 200 ")
    assert line.getMessage().endswith(" user=-")
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/api/posts/", 200, None)
    assert line.duration_ms >= 0
    assert line.request_id == request_id


@pytest.mark.django_db
def test_the_user_is_the_one_the_token_authenticated(ana, ana_client, caplog):
    caplog.set_level(logging.INFO, logger="atelier.request")
    assert ana_client.get("/api/users/me/").status_code == 200
    line = request_lines(caplog)[0]
    assert line.user_id == ana.pk
    assert line.getMessage().endswith(f" user={ana.pk}")


@pytest.mark.django_db
def test_a_refused_request_is_logged_with_its_status(anon_client, caplog):
    caplog.set_level(logging.INFO, logger="atelier.request")
    assert anon_client.get("/api/users/me/").status_code == 401
    assert anon_client.get("/no/such/page/").status_code == 404
    assert [line.status for line in request_lines(caplog)] == [401, 404]


@pytest.mark.parametrize(
    "incoming", ["4f1c2a9e-7c1b-4a8e-9d6e-2f0c1b3a4d5e", "nginx:8e2f01ab", "req.42"]
)
def test_a_sane_incoming_id_is_kept(incoming):
    assert request_id_for(incoming) == incoming


@pytest.mark.parametrize(
    "incoming",
    ["", "x" * 129, "two words", "line\nbreak", 'quo"te', "-starts-with-dash", "ünï"],
)
def test_anything_else_is_replaced_by_a_new_id(incoming):
    assert re.fullmatch(r"[0-9a-f]{32}", request_id_for(incoming))


@pytest.mark.django_db
def test_the_incoming_id_is_echoed(anon_client, caplog):
    caplog.set_level(logging.INFO, logger="atelier.request")
    response = anon_client.get("/api/posts/", HTTP_X_REQUEST_ID="edge-7f3a")
    assert response["X-Request-ID"] == "edge-7f3a"
    assert request_lines(caplog)[0].request_id == "edge-7f3a"
    forged = anon_client.get("/api/posts/", HTTP_X_REQUEST_ID="a b\nFAKE LINE")
    assert forged["X-Request-ID"] != "a b\nFAKE LINE"


@pytest.mark.django_db
def test_a_path_cannot_forge_a_log_line(anon_client, caplog):
    caplog.set_level(logging.INFO, logger="atelier.request")
    anon_client.get("/nothing%0A2026-01-01 INFO atelier.request [x] GET / 200")
    (line,) = request_lines(caplog)
    assert "\n" not in line.getMessage()
    assert line.path.startswith("/nothing\\x0a2026-01-01")
    assert loggable_path("/" + "a" * 600) == "/" + "a" * 499 + "..."


@pytest.mark.django_db
def test_probes_are_logged_at_debug_only(client, caplog):
    caplog.set_level(logging.DEBUG, logger="atelier.request")
    client.get("/healthz")
    client.get("/readyz")
    assert [line.levelno for line in request_lines(caplog)] == [logging.DEBUG] * 2


@pytest.mark.subprocess
def test_json_logs_under_atelier_serve(served_database_url):
    environment = served_environment(served_database_url, LOG_FORMAT="json", WEB_CONCURRENCY="1")
    username = f"logger{secrets.token_hex(4)}"
    with ServedAtelier(environment) as server:
        status, account = post_json(
            f"{server.url}/api/auth/register/",
            {"username": username, "password": "s3cret-pass", "artist_type": "writer"},
        )
        assert status == 201, account
        status, headers, _ = get(
            f"{server.url}/api/users/me/",
            headers={"Authorization": f"Token {account['token']}", "X-Request-ID": "trace-11"},
        )
        assert (status, headers["X-Request-ID"]) == (200, "trace-11")
        server.stop()
    lines = [line for line in server.output().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    # Every line is JSON (gunicorn's too), but for `atelier serve`'s own banner on stderr.
    assert len(records) == len([line for line in lines if not line.startswith("atelier serve:")])
    assert any(record["logger"] == "gunicorn.error" for record in records)
    (me,) = [record for record in records if record.get("request_id") == "trace-11"]
    assert me["logger"] == "atelier.request"
    assert (me["method"], me["path"], me["status"]) == ("GET", "/api/users/me/", 200)
    assert me["user_id"] == account["id"]
    assert isinstance(me["duration_ms"], float)
    assert me["level"] == "INFO" and me["time"]
