"""Readiness checks: the database (and each read replica) answers, every migration is
applied, Redis answers.

Each check returns None when all is well, else a short reason (an exception's class name,
never its message: the probes are public). They are cheap enough for a probe every second:
one `SELECT 1`, one read of django_migrations (the migrations on disk are read once per
process), one Redis PING with the cache's short socket timeouts.
"""

from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


@cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    # Without a connection the loader reads the migration files only (no query).
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def check_database(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not ready", with its kind
        return type(error).__name__
    return None


def check_migrations() -> str | None:
    """None when the newest migration of every app is applied."""
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    try:
        # One query; a database never migrated has no such table and fails here.
        applied = set(recorder.migration_qs.values_list("app", "name"))
    except Exception as error:
        return f"unreadable ({type(error).__name__})"
    missing = sorted(f"{app}.{name}" for app, name in _migrations_on_disk() - applied)
    if missing:
        return f"{len(missing)} not applied: {', '.join(missing[:5])}"
    return None


def redis_configured() -> bool:
    return bool(settings.REDIS_URL)


def check_redis() -> str | None:
    try:
        # django-redis's raw client; the cache's own methods would hide an outage (they
        # answer misses while Redis is down, atelier.core.cache_backend).
        django_cache.client.get_client(write=True).ping()
    except Exception as error:
        return type(error).__name__
    return None


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", "not configured", or the reason it failed."""
    checks = {"database": check_database()}
    # Without a database the migrations cannot be read; say so once.
    checks["migrations"] = (
        check_migrations() if checks["database"] is None else "database unreachable"
    )
    # Read replicas (DATABASE_REPLICA_URLS): each must answer too, as GET requests read them.
    for alias in settings.DATABASES:
        if alias.startswith("replica_"):
            checks[alias] = check_database(alias)
    if redis_configured():
        checks["redis"] = check_redis()
    outcome = {name: problem or "ok" for name, problem in checks.items()}
    if not redis_configured():
        outcome["redis"] = "not configured"
    return outcome


def is_ready(outcome: dict[str, str]) -> bool:
    return all(value in ("ok", "not configured") for value in outcome.values())
