"""atelier prune_media: remove files of deleted posts and uploads never attached."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from atelier.media.services import media_prune


class Command(BaseCommand):
    help = (
        "Delete the media of deleted posts, uploads not attached to a post within --hours "
        "(default 24), and stored files no media refers to that are as old."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24.0)
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, hours: float, dry_run: bool, **options):
        if hours < 0:
            raise CommandError("--hours must be at least 0")
        result = media_prune(older_than=timedelta(hours=hours), dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(
            f"{verb}: {result.of_deleted_posts} media of deleted posts, "
            f"{result.unattached} unattached uploads, {result.orphan_files} orphan files"
        )
