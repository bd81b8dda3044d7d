"""`atelier worker` as a real process: it runs what the web side queues, and a task killed
between its commit and its acknowledgement runs again without writing twice.

Needs a Redis database for the task queue, named by TEST_TASKS_BROKER_URL (.ci/run sets
it); the rest of the suite runs its tasks inline and never touches it.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from kombu import pools as kombu_pools

from atelier.analytics import exposures
from atelier.analytics.models import ExposedPost, PostOpen
from atelier.analytics.tasks import rollup_analytics
from atelier.feed.tests.helpers import get_feed, post
from atelier.ops.tests import crashing_worker
from config.celery import app

BROKER = os.environ.get("TEST_TASKS_BROKER_URL", "")
READY_SECONDS = 90
DONE_SECONDS = 60

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(
        not BROKER,
        reason="the task engine needs its Redis broker: set TEST_TASKS_BROKER_URL "
        "(e.g. redis://127.0.0.1:6379/8, a database of its own) to run a real worker",
    ),
    pytest.mark.django_db(transaction=True),
]


def _database_url() -> str:
    # The test database itself: the worker must write where this test reads.
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _empty_queue() -> None:
    import redis

    client = redis.Redis.from_url(BROKER)
    # Only the queue's own keys (a Redis database of its own, but no FLUSHDB regardless).
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


class Worker:
    """`atelier worker` in a child process, its log in a file."""

    def __init__(self, tmp_path: Path):
        self.log = tmp_path / "worker.log"
        self.crash_file = tmp_path / "crash-after-write"
        environment = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "TASKS_BROKER_URL": BROKER,
            crashing_worker.CRASH_FILE_ENV: str(self.crash_file),
        }
        # Set by the browser tests for the live server in this process; no deployment has
        # it. Nor does a worker share the web's metrics directory.
        environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process = subprocess.Popen(
            # `atelier worker` itself, with a test hook that can kill a task after its
            # write (crashing_worker.py; production code has none).
            [
                sys.executable,
                "-m",
                "atelier.ops.tests.crashing_worker",
                "worker",
                "--concurrency",
                "1",
            ],
            env=environment,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for(lambda text: " ready." in text, "the worker to be ready", READY_SECONDS)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, found, what: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.text()
            if found(text):
                return text
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{text}")
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}; worker log:\n{self.text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def worker(tmp_path):
    _empty_queue()
    running = Worker(tmp_path)
    yield running
    running.stop()
    _empty_queue()


def _forget_broker_connections() -> None:
    # What Celery itself does after a fork: the next publish opens a connection to the
    # broker configured then. (app.close() would also unregister the app.)
    kombu_pools.reset()  # closes the process-wide pools and forgets them
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def queued():
    """The web side queues on the broker, as in production, instead of running inline."""
    before = app.conf.task_always_eager, app.conf.broker_url
    _forget_broker_connections()
    app.conf.task_always_eager, app.conf.broker_url = False, BROKER
    yield
    app.conf.task_always_eager, app.conf.broker_url = before
    _forget_broker_connections()


def _rows_when(condition, seconds: float = DONE_SECONDS) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        count = ExposedPost.objects.count()
        if condition(count):
            return count
        time.sleep(0.2)
    return ExposedPost.objects.count()


def test_the_worker_writes_what_a_feed_request_queued(worker, queued, ana, ben, ana_client):
    for hours in range(1, 5):
        post(ben, hours)
    page = get_feed(ana_client, page_size=3)
    ana_client.get(f"/api/posts/{page['results'][0]['id']}/")  # an open, for click-through

    assert exposures.flush() == 3  # queued, not written, by this process
    assert _rows_when(lambda n: n == 3) == 3
    assert PostOpen.objects.filter(user=ana).count() == 1
    rows = ExposedPost.objects.order_by("position")
    assert [r.post_id for r in rows] == [p["id"] for p in page["results"]]
    assert re.search(r"write_exposures\[[0-9a-f-]+\] succeeded", worker.text())

    # A scheduled task, queued the same way, runs there too.
    rollup_analytics.delay()
    worker.wait_for(
        lambda text: re.search(r"rollup_analytics\[[0-9a-f-]+\] succeeded", text),
        "the rollup task",
        DONE_SECONDS,
    )


def test_a_task_killed_after_its_commit_runs_again_and_writes_nothing_twice(
    worker, queued, ana, ben, ana_client
):
    for hours in range(1, 7):
        post(ben, hours)
    page = get_feed(ana_client, page_size=5)
    worker.crash_file.touch()  # the next write kills its process right after the commit

    exposures.flush()
    # The pool process dies with the task unacknowledged; the worker puts the task back
    # and a new pool process runs it again.
    text = worker.wait_for(
        lambda t: re.search(r"write_exposures\[[0-9a-f-]+\] succeeded", t),
        "the task to run again and succeed",
        DONE_SECONDS,
    )
    assert not worker.crash_file.exists()  # the kill happened
    assert "SIGKILL" in text or "WorkerLostError" in text
    assert ExposedPost.objects.count() == 5  # once, not twice
    assert [r.post_id for r in ExposedPost.objects.order_by("position")] == [
        p["id"] for p in page["results"]
    ]
