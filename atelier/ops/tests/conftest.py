"""A database that a served child process can open: a migrated SQLite file, or the test
database on PostgreSQL (with committed data: `transactional_db`)."""

import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.fixture(scope="session")
def _migrated_sqlite_file(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'atelier.sqlite3'}"
    environment = {**os.environ, "DATABASE_URL": url}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "-m", "config.manage", "migrate", "--noinput", "-v0"],
        env=environment,
        check=True,
        timeout=300,
    )
    return url


@pytest.fixture
def served_database_url(request, transactional_db) -> str:
    """DATABASE_URL for `atelier serve` in a child process, migrated and empty."""
    if connection.vendor == "sqlite":
        return request.getfixturevalue("_migrated_sqlite_file")
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )
