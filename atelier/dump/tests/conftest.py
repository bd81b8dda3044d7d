"""Fixtures for the dump tests: dump-file helpers."""

import gzip
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest


@pytest.fixture
def write_dump(tmp_path: Path) -> Callable[..., Path]:
    """Return a function writing records (dicts, or raw strings as-is) to a dump file."""

    def write(records: Iterable[dict | str], name: str = "dump.jsonl") -> Path:
        lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
        data = ("\n".join(lines) + "\n").encode()
        path = tmp_path / name
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        return path

    return write
