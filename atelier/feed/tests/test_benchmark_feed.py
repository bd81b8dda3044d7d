"""`atelier benchmark_feed` on a database just created: it migrates it, then measures."""

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.subprocess
def test_the_benchmark_migrates_a_fresh_database_before_it_builds_the_community(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    # Its own local-memory cache (the benchmark empties the cache) and no test-only switch.
    for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)

    done = subprocess.run(
        [sys.executable, "-m", "config.manage", "benchmark_feed", "--shape", "long-tail",
         "--posts", "200", "--rounds", "1", "--users", "1", "--ordinary", "1"],
        env=environment, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "migrations first" in done.stderr
    assert done.stdout.startswith("200 posts, ")
