"""`atelier serve`: Atelier under gunicorn, the production WSGI server.

Settings come from the environment (docs/configuration.md): HOST, PORT, WEB_CONCURRENCY,
WEB_THREADS, WEB_TIMEOUT, WEB_GRACEFUL_TIMEOUT, WEB_KEEPALIVE, WEB_MAX_REQUESTS; the options
below override them. The command checks the configuration, then replaces itself with the
gunicorn master (exec), so signals reach gunicorn directly: HUP reloads the code and
replaces the workers gracefully, TERM stops after the requests in flight, QUIT at once.
"""

import os
import sys
import tempfile

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand, CommandError


def default_workers(cpus: int) -> int:
    """gunicorn's rule of thumb: two workers per CPU, plus one."""
    return 2 * cpus + 1


def cache_is_local_memory() -> bool:
    return isinstance(caches["default"], LocMemCache)


class Command(BaseCommand):
    help = "Serve Atelier with gunicorn (workers from the CPU count; see docs/production.md)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="HOST:PORT to listen on (default $HOST:$PORT).")
        parser.add_argument("--workers", type=int, help="Worker processes ($WEB_CONCURRENCY).")
        parser.add_argument("--threads", type=int, help="Threads per worker ($WEB_THREADS).")
        parser.add_argument("--timeout", type=int, help="Seconds before a silent worker dies.")
        parser.add_argument("--pid", help="Write the master's process id to this file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the gunicorn command line instead of running it.",
        )

    def handle(self, *args, **options):
        for name in ("workers", "threads", "timeout"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} must be at least 1")
        workers = self._workers(options["workers"])
        threads = options["threads"] or settings.SERVE_THREADS
        timeout = options["timeout"] or settings.SERVE_TIMEOUT
        bind = options["bind"] or f"{settings.SERVE_HOST}:{settings.SERVE_PORT}"

        environment = dict(os.environ)
        if workers > 1 and not environment.get("PROMETHEUS_MULTIPROC_DIR"):
            # Several processes: /metrics must add up every worker's numbers.
            environment["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="atelier-metrics-")
            environment["ATELIER_OWNS_PROMETHEUS_DIR"] = "1"

        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--config", "python:config.gunicorn",
            "--bind", bind,
            "--workers", str(workers),
            "--threads", str(threads),
            "--timeout", str(timeout),
            "--graceful-timeout", str(settings.SERVE_GRACEFUL_TIMEOUT),
            "--keep-alive", str(settings.SERVE_KEEPALIVE),
            "--max-requests", str(settings.SERVE_MAX_REQUESTS),
            # Spread the recycling so that the workers do not all restart at once.
            "--max-requests-jitter", str(settings.SERVE_MAX_REQUESTS // 10),
            # Signals are the interface; gunicorn's control socket would be one more file
            # that two servers on one machine fight over.
            "--no-control-socket",
        ]  # fmt: skip
        if options["pid"]:
            command += ["--pid", options["pid"]]

        self.stderr.write(
            f"atelier serve: {workers} worker(s) x {threads} thread(s) on {bind}, "
            f"timeout {timeout}s, cache {'local memory' if cache_is_local_memory() else 'Redis'}"
        )
        if options["dry_run"]:
            self.stdout.write(" ".join(command))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, command, environment)

    def _workers(self, requested: int | None) -> int:
        requested = requested or settings.SERVE_WORKERS
        if cache_is_local_memory():
            if requested is not None and requested > 1:
                raise CommandError(
                    f"refusing to start {requested} workers on the local-memory cache: each "
                    "process would keep its own feed caches, and an invalidation in one "
                    "(a heart, a new fellow) would never reach the others, which would go "
                    "on serving stale feeds. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) "
                    "to share the cache, or run one worker (WEB_CONCURRENCY=1)."
                )
            if requested is None:
                self.stderr.write(
                    "atelier serve: one worker, as the cache is local memory "
                    "(set REDIS_URL to run one per CPU)"
                )
            return 1
        return requested or default_workers(settings.SERVE_CPUS)
