"""Helpers for the dump tests: read a dump back, empty the database between two loads."""

import gzip
import json
from pathlib import Path

from django.db import connection

from atelier.collective.models import Collective
from atelier.core.models import User
from atelier.moderation.models import AuditEntry, Decision


def read_dump(path: Path) -> list[dict]:
    """Return the records of a dump file, gzip or not."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return [json.loads(line) for line in data.decode().splitlines()]


def empty_the_database() -> None:
    """Delete every community row (what `flush` does, without leaving the test transaction)."""
    _empty_the_audit_log()
    User.objects.all().delete()  # cascades to posts, remarks, fellows, members, preferences
    Collective.objects.all().delete()  # created_by is SET_NULL: collectives outlive users
    Decision.objects.all().delete()  # actor is SET_NULL; cascades to the appeals


def _empty_the_audit_log() -> None:
    """The application cannot delete audit entries (the model refuses, and on PostgreSQL a
    row trigger); an operator empties the table as a whole, as TRUNCATE does."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table with foreign-key checks still pending (the entries'
            # actors, deferred to the commit): run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute(f"DELETE FROM {table}")
