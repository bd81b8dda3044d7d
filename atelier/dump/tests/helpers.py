"""Helpers for the dump tests: read a dump back, empty the database between two loads."""

import gzip
import json
from pathlib import Path

from atelier.collective.models import Collective
from atelier.core.models import User


def read_dump(path: Path) -> list[dict]:
    """Return the records of a dump file, gzip or not."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return [json.loads(line) for line in data.decode().splitlines()]


def empty_the_database() -> None:
    """Delete every community row (what `flush` does, without leaving the test transaction)."""
    User.objects.all().delete()  # cascades to posts, remarks, fellows, members, preferences
    Collective.objects.all().delete()  # created_by is SET_NULL: collectives outlive users
