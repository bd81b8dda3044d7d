"""gunicorn configuration hooks for `atelier serve` (which passes every number on its command line).

Loaded by gunicorn's master process before any worker imports Django, so it reads only the
environment. Prometheus' multiprocess mode: each worker writes its metrics to files under
PROMETHEUS_MULTIPROC_DIR; /metrics adds them up. The files of a previous run are removed
when the server starts, a dead worker's live gauges when it exits, and the directory itself
at shutdown when `atelier serve` made it.
"""

import os
import shutil
from pathlib import Path

from config.env import env_choice, env_str
from config.logs import logging_config

# gunicorn's own messages (boot, worker restarts, timeouts) in the application's format.
logconfig_dict = logging_config(
    log_format=env_choice("LOG_FORMAT", "plain", ("plain", "json")),
    level=env_str("LOG_LEVEL", "INFO"),
    extra_loggers={
        "gunicorn.error": {"level": "INFO", "propagate": True},
        # The application logs every request itself (atelier.request), with the user.
        "gunicorn.access": {"level": "WARNING", "propagate": True},
    },
)

# Workers' heartbeat files in memory where there is a RAM-backed /dev/shm (containers
# often have a disk-backed /tmp, on which a slow fsync can make a worker look hung).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def _metrics_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(value) if value else None


def on_starting(server) -> None:
    directory = _metrics_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink(missing_ok=True)


def child_exit(server, worker) -> None:
    if _metrics_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    directory = _metrics_dir()
    if directory is not None and os.environ.get("ATELIER_OWNS_PROMETHEUS_DIR") == "1":
        shutil.rmtree(directory, ignore_errors=True)
