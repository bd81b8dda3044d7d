"""Delete feed exposures, post opens and dwell reports older than the retention, in batches."""

from django.core.management.base import BaseCommand, CommandError

from atelier.analytics.dwell import prune_dwell
from atelier.analytics.exposures import prune
from atelier.analytics.rollout import load_rollout


class Command(BaseCommand):
    help = (
        "Delete exposed posts, post opens and dwell reports older than the retention (the "
        "feed rollout's retention_days, or --days), a batch of ids at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="keep this many days instead")

    def handle(self, *args, **opts):
        days = opts["days"] if opts["days"] is not None else load_rollout().retention_days
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = prune(older_than_days=days) + prune_dwell(older_than_days=days)
        self.stdout.write(f"Deleted {deleted} rows older than {days} days.")
