"""`atelier benchmark_search` on a database just created: it migrates it, builds a small
community with text, serves it and measures search beside the chronological page."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.subprocess
def test_the_benchmark_builds_a_community_with_text_and_measures_over_http(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    results = tmp_path / "search.json"

    done = subprocess.run(
        [sys.executable, "-m", "config.manage", "benchmark_search", "--posts", "300",
         "--rounds", "1", "--users", "1", "--ordinary", "1", "--visitors", "1",
         "--queries", "10", "--json", str(results)],
        env=environment, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "migrations first" in done.stderr
    assert done.stdout.startswith("300 posts, ")
    measured = json.loads(results.read_text())
    assert set(measured["modes"]) >= {"chronological", "search"}
    assert measured["modes"]["search"]["requests"] == 3
    assert len(measured["queries"]) == 10
