"""atelier load_ranking FILE: make a ranking file the live ranking configuration."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atelier.feed.config import save_ranking
from atelier.feed.evaluation.rankers import RankingFileError, read_ranking_file, validated_row
from atelier.feed.models import RankingConfig


class Command(BaseCommand):
    help = (
        'Load a ranking file ({"ranking": {field: number, ...}}, as `atelier evaluate --tune` '
        "writes) into the live ranking configuration. Fields the file leaves out keep their "
        "current value. The save bumps the configuration's version, like a save in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the ranking file (JSON)")

    def handle(self, *args, path: str, **options) -> None:
        try:
            fields = read_ranking_file(path)
            row = RankingConfig.objects.filter(pk=1).first() or RankingConfig(pk=1)
            before = {name: getattr(row, name) for name in fields}
            version = row.version
            validated_row(row, fields, path)
        except RankingFileError as error:
            raise CommandError(f"{error}; nothing was changed") from error
        save_ranking(row)
        changed = [
            f"{n}: {before[n]} -> {getattr(row, n)}" for n in fields if before[n] != fields[n]
        ]
        self.stdout.write(
            f"Loaded {path}: {len(changed)} of {len(fields)} field(s) changed; "
            f"ranking configuration version {version} -> {row.version}"
        )
        for line in changed:
            self.stdout.write(f"  {line}")
