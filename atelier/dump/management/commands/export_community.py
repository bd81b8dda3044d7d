"""atelier export_community PATH: write the whole community as a dump."""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atelier.dump.exporter import export_community
from atelier.dump.streams import STDIO, open_output


class Command(BaseCommand):
    help = (
        "Write every user, collective, post and interaction as a community dump (JSON Lines "
        "as in docs/api.md; gzip if PATH ends in .gz; - writes stdout), in dependency order."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the file to write (.jsonl or .jsonl.gz), or - for stdout")

    def handle(self, *args, path: str, **options) -> None:
        try:
            with open_output(path) as stream:
                result = export_community(stream)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        # With the dump on stdout, the summary must not end up inside it.
        (sys.stderr if path == STDIO else self.stdout).write(result.summary(path) + "\n")
