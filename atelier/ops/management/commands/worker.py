"""`atelier worker`: the task workers, apart from the web processes (docs/production.md).

Runs Celery's worker on TASKS_BROKER_URL: a parent process and TASKS_WORKER_CONCURRENCY
pool processes, which take exposure batches, rollups and pruning from the queue. A task is
acknowledged only once it has finished, so a worker killed mid-task loses nothing: the task
runs again (they are idempotent). `--beat` also runs the scheduler in this process, for a
single machine; with several, run `atelier scheduler` once instead. TERM stops after the
tasks in flight (warm shutdown).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.celery import app


def require_broker(command: str) -> None:
    if settings.TASKS_INLINE:
        raise CommandError(
            f"atelier {command}: TASKS_BROKER_URL is not set, so every task runs inline in "
            "the process that queues it and there is nothing to do here. Set it to a Redis "
            "database of its own (e.g. redis://127.0.0.1:6379/1) on the web servers and here."
        )


class Command(BaseCommand):
    help = "Run the background task workers (Celery on TASKS_BROKER_URL)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            help="Pool processes ($TASKS_WORKER_CONCURRENCY, default the CPU count).",
        )
        parser.add_argument(
            "--beat",
            action="store_true",
            help="Also run the scheduler here (one machine only; else `atelier scheduler`).",
        )
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--hostname", help="Node name (default celery@<host>).")

    def handle(self, *args, **options):
        require_broker("worker")
        concurrency = options["concurrency"] or settings.CELERY_WORKER_CONCURRENCY
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1")
        argv = [
            "worker",
            "--loglevel", options["loglevel"],
            "--concurrency", str(concurrency),
            # No chatter between workers: nothing here uses remote control or events.
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        if options["hostname"]:
            argv += ["--hostname", options["hostname"]]
        if options["beat"]:
            Path(settings.TASKS_SCHEDULE_FILE).parent.mkdir(parents=True, exist_ok=True)
            argv += ["--beat", "--schedule", settings.TASKS_SCHEDULE_FILE]
        self.stderr.write(
            f"atelier worker: {concurrency} process(es) on the task broker"
            + (", with the scheduler" if options["beat"] else "")
        )
        app.worker_main(argv)
