"""atelier import_community PATH: load a community dump into an empty database."""

import zlib

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atelier.dump.importer import DEFAULT_BATCH_SIZE, ImportRefused, import_records
from atelier.dump.records import DumpError, decode_lines
from atelier.dump.streams import open_input, with_progress


class Command(BaseCommand):
    help = (
        "Load a community dump (JSON Lines as in docs/api.md, gzip or not; - reads stdin) into an "
        "empty database, in one transaction, keeping its ids. Every reference must point to "
        "an earlier line. A bad line aborts the import and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the dump file (.jsonl or .jsonl.gz), or - for stdin")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per write (default {DEFAULT_BATCH_SIZE:,})",
        )

    def handle(self, *args, path: str, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            with open_input(path) as dump:
                records = with_progress(decode_lines(dump.lines), dump)
                result = import_records(records, batch_size=batch_size)
        except DumpError as error:
            raise CommandError(f"{path}, {error}; nothing was imported") from error
        except ImportRefused as error:
            raise CommandError(
                f"Refusing to import: {error}; import_community loads into an empty database only"
            ) from error
        except (OSError, EOFError, zlib.error) as error:  # unreadable, truncated, corrupt gzip
            raise CommandError(f"Cannot read {path}: {error}; nothing was imported") from error
        self.stdout.write(result.summary())
