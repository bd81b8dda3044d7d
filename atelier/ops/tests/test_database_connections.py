"""Persistent database connections, checked before reuse (DATABASE_CONN_MAX_AGE and
DATABASE_CONN_HEALTH_CHECKS), under `atelier serve`."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from atelier.ops.tests.server import ServedAtelier, get, served_environment

pytestmark = pytest.mark.subprocess

READ_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; import json; "
    "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], "
    "d['CONN_HEALTH_CHECKS']]))"
)


def database_settings(**env: str) -> tuple[int, bool] | str:
    environment = served_environment("sqlite:///unused.sqlite3", **env)
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        return result.stderr
    return tuple(json.loads(result.stdout))


def test_connections_persist_in_production_and_are_checked_before_reuse():
    assert database_settings() == (600, True)  # served_environment has DEBUG=false
    assert database_settings(DATABASE_CONN_MAX_AGE="60") == (60, True)
    assert database_settings(DATABASE_CONN_HEALTH_CHECKS="false") == (600, False)


def test_the_development_server_closes_them_after_each_request():
    assert database_settings(DEBUG="true", SECRET_KEY=None) == (0, True)


def test_a_bad_value_stops_start_up():
    assert "DATABASE_CONN_MAX_AGE=-1 must be at least 0" in database_settings(
        DATABASE_CONN_MAX_AGE="-1"
    )


def served_connections(cursor, database: str) -> list[int]:
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [database],
    )
    return [pid for (pid,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pg_stat_activity")
def test_one_worker_keeps_one_connection_and_replaces_a_dead_one(served_database_url):
    database = connection.settings_dict["NAME"]
    environment = served_environment(served_database_url, WEB_CONCURRENCY="1")
    with ServedAtelier(environment) as server, connection.cursor() as cursor:
        for _ in range(3):
            assert get(f"{server.url}/readyz")[0] == 200
        # Three requests, one connection, still open between them.
        kept = served_connections(cursor, database)
        assert len(kept) == 1

        # The database drops it (a restart, a failover): the next request is still served,
        # on a new connection, because the old one is checked before reuse.
        cursor.execute("SELECT pg_terminate_backend(%s)", kept)
        status, _, body = get(f"{server.url}/api/posts/")
        assert status == 200, body
        replaced = served_connections(cursor, database)
        assert len(replaced) == 1 and replaced != kept
        server.stop()
    assert "Traceback" not in server.output()
