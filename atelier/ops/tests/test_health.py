"""GET /healthz and GET /readyz: JSON, no authentication, cheap, 503 while not ready."""

import os

import pytest
from django.db import OperationalError

from atelier.ops import health

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (as .ci/run's second run)"
)


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_is_ready_with_the_database_migrated(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # SELECT 1, then the applied migrations
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    expected_redis = "ok" if os.environ.get("REDIS_URL") else "not configured"
    assert body["checks"]["redis"] == expected_redis


@pytest.mark.django_db
def test_readyz_needs_no_authentication_even_with_a_bad_token(client):
    response = client.get("/readyz", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_missing(client, monkeypatch):
    on_disk = health._migrations_on_disk() | {("post", "9999_not_yet_applied")}
    monkeypatch.setattr(health, "_migrations_on_disk", lambda: on_disk)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"] == "1 not applied: post.9999_not_yet_applied"
    assert body["checks"]["database"] == "ok"


class _UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused (secret details stay in the server)")


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(health, "connections", {"default": _UnreachableDatabase()})
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "OperationalError"
    assert checks["migrations"] == "database unreachable"
    assert "secret" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_the_configured_redis_is_down(client, settings):
    dead = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.REDIS_URL = dead
    settings.CACHES = {
        "default": {
            "BACKEND": "atelier.core.cache_backend.ResilientRedisCache",
            "LOCATION": dead,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "ConnectionError"
    assert response.json()["checks"]["database"] == "ok"


@needs_redis
@pytest.mark.django_db
def test_readyz_pings_the_configured_redis(client):
    assert client.get("/readyz").json()["checks"]["redis"] == "ok"
