"""atelier seed_demo: fill an empty database with a believable demo community."""

import time
from argparse import ArgumentTypeError
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from atelier.core.models import User
from atelier.dump.demo import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    DemoCommunity,
)
from atelier.dump.demo_art import DEFAULT_COVERS, DEFAULT_PICTURES, illustrate
from atelier.dump.importer import ImportRefused, ensure_empty, import_records
from atelier.dump.records import DumpError
from atelier.dump.streams import with_count_progress


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ArgumentTypeError(f"not a whole number >= 0: {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Build a demo community (users, fellows, collectives, posts over the last --days "
        "days, appreciations, remarks, preferences, seen marks) through the import path. "
        f"Creates {DEMO_USERNAME} / {DEMO_PASSWORD} and {ADMIN_USERNAME} / {ADMIN_PASSWORD} "
        "(staff). The same --seed and --now always give the same community."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=_non_negative, default=300, help="default 300")
        parser.add_argument("--posts", type=_non_negative, default=10_000, help="default 10000")
        parser.add_argument("--days", type=_non_negative, default=60, help="default 60")
        parser.add_argument(
            "--interactions",
            type=_non_negative,
            default=100_000,
            help="hearts, praise, trophies, comments and critiques together (default 100000)",
        )
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument(
            "--now",
            type=_moment,
            default=None,
            help="the reference time, ISO 8601 (default: the current time; UTC if no offset)",
        )
        parser.add_argument(
            "--pictures",
            type=_non_negative,
            default=DEFAULT_PICTURES,
            help="how many image and comic posts get a drawn picture (default: every one)",
        )
        parser.add_argument(
            "--covers",
            type=_non_negative,
            default=DEFAULT_COVERS,
            help="how many of the newest music and video posts get a cover "
            f"(default {DEFAULT_COVERS})",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (successfully) when the database already has users",
        )

    def handle(self, *args, **options) -> None:
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already has users; seed_demo left it as it is.")
            return
        if options["users"] < 2:
            raise CommandError(f"--users must be at least 2 ({DEMO_USERNAME} and {ADMIN_USERNAME})")
        try:
            ensure_empty()  # before planning, to fail fast; the import checks again
            community = DemoCommunity(
                users=options["users"],
                posts=options["posts"],
                days=options["days"],
                interactions=options["interactions"],
                seed=options["seed"],
                now=options["now"] or timezone.now(),
            )
            records = with_count_progress(
                enumerate(community.records(), start=1), total=community.size, desc="seed"
            )
            result = import_records(records)
        except ImportRefused as error:
            raise CommandError(
                f"Refusing to seed: {error}; seed an empty database, or pass --if-empty to skip"
            ) from error
        except DumpError as error:  # a bug in the generator, not in anyone's input
            raise CommandError(f"The demo generator produced a bad record, {error}") from error
        self.stdout.write(result.summary(verb="Seeded"))
        started = time.monotonic()
        pictures, covers = illustrate(pictures=options["pictures"], covers=options["covers"])
        seconds = time.monotonic() - started
        self.stdout.write(f"Drew {pictures} pictures and {covers} covers in {seconds:.1f} s.")
        self.stdout.write(
            f"Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}; "
            f"staff: {ADMIN_USERNAME} / {ADMIN_PASSWORD}."
        )
