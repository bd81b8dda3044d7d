"""atelier evaluate DUMP: replay the feed's scorer on a community and measure its rankings.

Without --current-db the dump is imported into a scratch SQLite database of its own (a
temporary file, deleted afterwards): the command runs itself again in a child process
with DATABASE_URL pointing there (and no REDIS_URL), so the current database and cache
are never touched; the live ranking configuration (`served`) is read from the current
database first and handed over. See docs/evaluation.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from atelier.feed.config import load_ranking
from atelier.feed.evaluation.community import load_community
from atelier.feed.evaluation.protocol import cases_at, moments
from atelier.feed.evaluation.rankers import (
    Ranker,
    RankingFileError,
    baselines,
    ranking_file,
    ranking_from_file,
)
from atelier.feed.evaluation.runner import plot, run, stderr, summarize, table
from atelier.feed.evaluation.tune import tune


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"expected a date as YYYY-MM-DD, got {value!r}") from error


def _no_nan(value):
    """NaN (the mean of an empty subset) as JSON null."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


class Command(BaseCommand):
    help = (
        "Replay the feed's scorer on a community dump (imported into a scratch database, or "
        "the current database with --current-db) at 12:00 UTC of every day from --start to "
        "--end, and report HR@10, NDCG@50 and MRR with 95% bootstrap intervals per ranker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", nargs="?", help="community dump (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--current-db", action="store_true", help="evaluate the current database's rows"
        )
        parser.add_argument("--start", type=_day, help="first moment's day (YYYY-MM-DD)")
        parser.add_argument("--end", type=_day, help="last moment's day, included")
        parser.add_argument(
            "--test-from", type=_day, help="moments from this day on are the test set"
        )
        parser.add_argument("--boot", type=int, default=1000, help="bootstrap resamples")
        parser.add_argument("--seed", type=int, default=0, help="seed of every random choice")
        parser.add_argument(
            "--weights",
            action="append",
            default=[],
            metavar="FILE",
            help="a ranking file to evaluate too (repeatable); named after the file",
        )
        parser.add_argument(
            "--baseline", default="hot", help="the ranker differences are taken against"
        )
        parser.add_argument("--plot", metavar="FILE", help="write a PNG chart")
        parser.add_argument("--json", metavar="FILE", help="write the results as JSON")
        parser.add_argument(
            "--tune",
            action="store_true",
            help="fit the served ranking's weights on the train moments (needs --test-from)",
        )
        parser.add_argument(
            "--tune-out",
            default="tuned-ranking.json",
            metavar="FILE",
            help="where --tune writes the ranking (for `atelier load_ranking`)",
        )
        parser.add_argument(
            "--tune-sample",
            type=int,
            default=3000,
            help="train viewer-moments the search scores (a seeded sample)",
        )
        # Internal: the child process of a scratch-database run.
        parser.add_argument("--scratch", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--served-from", help=argparse.SUPPRESS)

    def handle(self, *args, **o) -> None:
        if o["boot"] < 0:
            raise CommandError("--boot must be 0 or more")
        if o["tune"] and not o["test_from"]:
            raise CommandError("--tune needs --test-from: it fits on the moments before it")
        if o["tune_sample"] < 1:
            raise CommandError("--tune-sample must be at least 1")
        for path in o["weights"]:
            try:
                ranking_from_file(path)
            except RankingFileError as error:
                raise CommandError(str(error)) from error
        for name in ("plot", "json", "tune_out"):
            if o[name] and not Path(o[name]).resolve().parent.is_dir():
                raise CommandError(f"--{name.replace('_', '-')} {o[name]}: no such directory")
        if o["current_db"]:
            if o["scratch"]:
                self._import(o["dump"])
            return self._evaluate(o)
        if not o["dump"]:
            raise CommandError("give a dump file, or --current-db to evaluate this database")
        if not Path(o["dump"]).is_file():
            raise CommandError(f"no such dump file: {o['dump']}")
        return self._in_scratch(o)

    # --- the scratch database -------------------------------------------------------------
    def _in_scratch(self, o: dict) -> None:
        live = connection.settings_dict
        served = None
        # Read the live configuration, without creating an SQLite file that is not there.
        if connection.vendor != "sqlite" or Path(str(live["NAME"])).exists():
            try:
                served = load_ranking()
            except DatabaseError:
                served = None
        with tempfile.TemporaryDirectory(prefix="atelier-evaluate-") as tmp:
            argv = [sys.executable, "-m", "config.manage", "evaluate", o["dump"]]
            argv += ["--current-db", "--scratch"]
            if served is not None:
                served_file = Path(tmp) / "served.json"
                served_file.write_text(json.dumps(ranking_file(served, {"from": "live"})))
                argv += ["--served-from", str(served_file)]
            else:
                stderr("evaluate: no live configuration readable; served = docs/api.md's defaults")
            for name in ("start", "end", "test_from"):
                if o[name]:
                    argv += [f"--{name.replace('_', '-')}", o[name].isoformat()]
            for name in ("boot", "seed", "baseline", "plot", "json", "tune_out", "tune_sample"):
                if o[name] is not None:
                    argv += [f"--{name.replace('_', '-')}", str(o[name])]
            for path in o["weights"]:
                argv += ["--weights", path]
            if o["tune"]:
                argv.append("--tune")
            env = dict(os.environ)
            env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}"
            env.pop("REDIS_URL", None)
            env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
            child = subprocess.run(argv, env=env, stdout=subprocess.PIPE, check=False)
            self.stdout.write(child.stdout.decode(), ending="")
            if child.returncode:
                raise CommandError(f"the evaluation stopped (exit status {child.returncode})")

    def _import(self, dump: str) -> None:
        started = clock.monotonic()
        stderr("evaluate: preparing the scratch database")
        call_command("migrate", verbosity=0, interactive=False)
        stderr(f"evaluate: importing {dump}")
        call_command("import_community", dump, stdout=sys.stderr)
        stderr(f"evaluate: imported in {clock.monotonic() - started:.0f} s")

    # --- the evaluation ---------------------------------------------------------------------
    def _evaluate(self, o: dict) -> None:
        started = clock.monotonic()
        stderr("evaluate: reading the community")
        community = load_community()
        if not len(community):
            raise CommandError("the community has no posts")
        first = datetime.fromtimestamp(community.post_created.min(), UTC).date()
        last = datetime.fromtimestamp(community.post_created.max(), UTC).date()
        start = o["start"] or first + timedelta(days=7)
        end = o["end"] or last - timedelta(days=1)
        if end < start:
            raise CommandError(f"--end ({end}) is before --start ({start})")
        when = moments(start, end)
        test_from = datetime.combine(o["test_from"], time(0), UTC) if o["test_from"] else None
        if test_from is not None and not (when[0] < test_from <= when[-1]):
            raise CommandError(f"--test-from must fall after {start} and on or before {end}")

        if o["served_from"]:
            served = ranking_from_file(o["served_from"])
        else:
            served = load_ranking()
        rankers = baselines() + [Ranker("served", served)]
        for path in o["weights"]:
            rankers.append(Ranker(Path(path).stem, ranking_from_file(path)))
        names = [r.name for r in rankers]
        if len(set(names)) != len(names):
            raise CommandError(f"two rankers share a name: {names}; rename a --weights file")

        if o["tune"]:
            rankers.append(self._tune(o, community, when, test_from, served))
        if o["baseline"] not in [r.name for r in rankers]:
            raise CommandError(
                f"--baseline {o['baseline']!r} is none of {', '.join(r.name for r in rankers)}"
            )
        stderr(
            f"evaluate: {len(when)} moments {start}..{end}, rankers: "
            f"{', '.join(r.name for r in rankers)}"
        )
        result = run(community, when, rankers, test_from=test_from, progress=stderr)
        stderr(f"evaluate: bootstrap ({o['boot']} resamples)")
        report = summarize(
            result, baseline=o["baseline"], boot=o["boot"], seed=o["seed"], split=bool(test_from)
        )
        report["moments"] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "test_from": o["test_from"].isoformat() if o["test_from"] else None,
            "at": "12:00 UTC",
        }
        self.stdout.write(table(report))
        if o["json"]:
            Path(o["json"]).write_text(json.dumps(_no_nan(report), indent=1) + "\n")
            stderr(f"evaluate: wrote {o['json']}")
        if o["plot"]:
            title = f"atelier evaluate: moments {start}..{end}"
            if test_from:
                title += f", test from {o['test_from']}"
            plot(report, o["plot"], title)
            stderr(f"evaluate: wrote {o['plot']}")
        stderr(
            f"evaluate: done in {clock.monotonic() - started:.0f} s (replay {result.seconds:.0f} s)"
        )

    def _tune(self, o, community, when, test_from, served) -> Ranker:
        started = clock.monotonic()
        train = [m for m in when if m < test_from]
        if len(train) < 2:
            raise CommandError("--tune needs at least 2 train moments before --test-from")
        cut = len(train) - max(1, len(train) // 4)  # the last quarter validates
        rng = np.random.default_rng(o["seed"])

        def sample(moments_, size):
            cases = [case for m in moments_ for case in cases_at(community, m.timestamp())]
            pick = np.sort(rng.choice(len(cases), min(size, len(cases)), replace=False))
            return [cases[i] for i in pick], len(cases)

        fit, n_fit = sample(train[:cut], o["tune_sample"])
        held, n_held = sample(train[cut:], max(1, o["tune_sample"] // 2))
        if not fit or not held:
            raise CommandError("--tune: too few train viewer-moments before --test-from")
        stderr(
            f"evaluate: tuning on {len(fit):,} of {n_fit:,} viewer-moments "
            f"{train[0]:%Y-%m-%d}..{train[cut - 1]:%Y-%m-%d}, validating on {len(held):,} of "
            f"{n_held:,} {train[cut]:%Y-%m-%d}..{train[-1]:%Y-%m-%d}"
        )
        tuned, about = tune(community, fit, held, served, progress=stderr)
        about.update(
            {
                "written_by": "atelier evaluate --tune",
                "train_moments": f"{train[0]:%Y-%m-%d}..{train[-1]:%Y-%m-%d} 12:00 UTC",
                "seed": o["seed"],
                "load_with": f"atelier load_ranking {o['tune_out']}",
            }
        )
        Path(o["tune_out"]).write_text(json.dumps(ranking_file(tuned, about), indent=1) + "\n")
        stderr(
            f"evaluate: tuned in {clock.monotonic() - started:.0f} s; wrote {o['tune_out']} "
            "(the live configuration is unchanged)"
        )
        return Ranker("tuned", tuned)
