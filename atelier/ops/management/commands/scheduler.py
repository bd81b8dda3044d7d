"""`atelier scheduler`: queues the scheduled tasks on time (Celery beat; run exactly one).

The schedule is CELERY_BEAT_SCHEDULE in config/settings.py: the analytics rollup every
ANALYTICS_ROLLUP_SECONDS and again in full every night, pruning of old exposures and of
unattached media every night. It only queues tasks; `atelier worker` runs them. Two
schedulers would queue everything twice - harmless, as every task is idempotent, but
wasted work.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from atelier.ops.management.commands.worker import require_broker
from config.celery import app


class Command(BaseCommand):
    help = "Queue the scheduled background tasks on time (run one, beside `atelier worker`)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, **options):
        require_broker("scheduler")
        Path(settings.TASKS_SCHEDULE_FILE).parent.mkdir(parents=True, exist_ok=True)
        app.start(
            ["beat", "--loglevel", options["loglevel"], "--schedule", settings.TASKS_SCHEDULE_FILE]
        )
