"""Fill a throwaway database with synthetic exposures, then time the analytics summary:
from the raw rows alone (as before the rollup) and with the daily rollup, for several
periods, checking that both give the same figures."""

import math
import random
import statistics
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.analytics.dwell import aggregate_dwell
from atelier.analytics.models import ExposedPost, PostDwell, PostOpen
from atelier.analytics.rollout import load_rollout
from atelier.analytics.rollup import rollup_due
from atelier.analytics.selectors import feed_summary, feed_summary_raw
from atelier.core.models import User
from atelier.feed.components import NAMES as COMPONENTS
from atelier.post.models import Appreciation, Comment, Post

PAGE_SIZE = 20
CHUNK = 20_000


class Command(BaseCommand):
    help = (
        "Write N synthetic exposed posts (pages of 20 over the last --days days, with hearts, "
        "comments, opens and time on screen attributed to some) into THIS database, roll "
        "them all up, then time GET /api/analytics/summary/'s figures with the rollup and "
        "from the raw rows alone (--no-raw: not), for each of --periods, check both answers "
        "equal, and time the dwell query alone. Use a throwaway database filled by seed_demo; "
        "it refuses to run on a database that already holds exposures unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--exposed-posts", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--append", action="store_true", help="add to existing exposures")
        parser.add_argument("--only-time", action="store_true", help="write nothing, just time")
        parser.add_argument(
            "--periods",
            default="",
            help="comma-separated periods in days to time (default: --days alone)",
        )
        parser.add_argument("--no-raw", action="store_true", help="time only the rollup path")
        parser.add_argument(
            "--no-rollup",
            action="store_true",
            help="roll up only the hours due (as the scheduled task), not every hour again",
        )

    def handle(self, *args, **opts):
        if not opts["only_time"]:
            if ExposedPost.objects.exists() and not opts["append"]:
                raise CommandError("This database already holds exposures (see --append).")
            started = time.perf_counter()
            written = self._fill(opts["exposed_posts"], opts["days"], random.Random(opts["seed"]))
            self.stdout.write(f"wrote {written} in {time.perf_counter() - started:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        rows = ExposedPost.objects.count()
        load_rollout()
        started = time.perf_counter()
        rolled = rollup_due(all_hours=not opts["no_rollup"])
        self.stdout.write(
            f"rollup of {len(rolled)} hours (and their days): {time.perf_counter() - started:.1f} s"
        )
        connection.queries_log.clear()  # the rollup's queries are not the summary's
        periods = [int(p) for p in opts["periods"].split(",") if p] or [opts["days"]]
        for days in periods:
            now = timezone.now()
            # Before the rollup existed, the summary aggregated the raw rows; now it reads
            # the settled days from the rollup and the rest (edges, last days) raw.
            kinds = [("rollup", feed_summary)]
            if not opts["no_raw"]:
                kinds.append(("raw", feed_summary_raw))
            answers = {}
            for kind, summarize in kinds:
                timings, queries = [], 0
                for _ in range(opts["rounds"]):
                    with CaptureQueriesContext(connection) as ctx:
                        started = time.perf_counter()
                        answers[kind] = summarize(days=days, now=now)
                        timings.append(time.perf_counter() - started)
                    queries = len(ctx.captured_queries)
                # p95 by nearest rank: the slowest round below 95% of them.
                p95 = sorted(timings)[math.ceil(0.95 * len(timings)) - 1]
                self.stdout.write(
                    f"{connection.vendor}: {kind:6} summary over {rows:,} exposed posts, "
                    f"{days} day(s): median {statistics.median(timings) * 1000:.1f} ms, "
                    f"p95 {p95 * 1000:.1f} ms, "
                    f"min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms "
                    f"over {len(timings)} rounds; {queries} queries"
                )
            if "raw" in answers:
                same = _same(answers["rollup"], answers["raw"])
                self.stdout.write(f"  rollup and raw answers equal: {same}")
        summary = answers["rollup"]
        self.stdout.write(f"variants: {summary['variants']}")
        self.stdout.write(f"latency_ms: {summary['latency_ms']}")
        self.stdout.write(f"dwell: {summary['dwell']}")
        if not opts["no_raw"]:
            self._time_dwell(opts["days"], opts["rounds"])

    def _time_dwell(self, days: int, rounds: int) -> None:
        """The raw summary's time-on-screen queries alone (two statements), over the same
        period."""
        end = timezone.now()
        start = end - timedelta(days=days)
        window = timedelta(hours=load_rollout().attribution_window_hours)
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            with transaction.atomic():
                aggregate_dwell(spans=[(start, end, True)], source="all", window=window)
            timings.append(time.perf_counter() - started)
        self.stdout.write(
            f"raw dwell queries over {PostDwell.objects.count():,} reports: median "
            f"{statistics.median(timings):.3f} s, min {min(timings):.3f} s, "
            f"max {max(timings):.3f} s over {len(timings)} rounds"
        )

    def _fill(self, n: int, days: int, rng: random.Random) -> str:
        viewers = list(User.objects.values_list("id", flat=True))
        posts = list(
            Post.objects.filter(is_deleted=False).values_list("id", "author_id", "post_type")
        )
        if len(viewers) < 2 or len(posts) < PAGE_SIZE:
            raise CommandError("Seed users and posts first (atelier seed_demo).")
        now = timezone.now()
        span = days * 86400.0
        exposed = hearts = comments = opens = looks = 0
        batch, likes, remarks, opened, dwells = [], {}, [], [], []
        for _page in range(max(1, n // PAGE_SIZE)):
            user_id = rng.choice(viewers)
            variant = "personalized" if user_id % 2 else "chronological"
            served_at = now - timedelta(seconds=rng.random() * span)
            page_id = uuid.uuid4()
            response_ms = rng.lognormvariate(3.5, 0.6)
            start = rng.choice((0, 0, 0, 20, 40))
            for i, (post_id, author_id, post_type) in enumerate(rng.sample(posts, PAGE_SIZE)):
                score = breakdown = None
                if variant == "personalized":
                    points = {c: round(rng.random() * 50, 3) for c in COMPONENTS}
                    breakdown = {**points, "seen": False, "diversity": 1.0}
                    score = sum(points.values()) / 10
                batch.append(
                    ExposedPost(
                        user_id=user_id,
                        variant=variant,
                        post_id=post_id,
                        position=start + i + 1,
                        score=score,
                        breakdown=breakdown,
                        post_type=post_type,
                        author_id=author_id,
                        page_id=page_id,
                        served_at=served_at,
                        response_ms=response_ms,
                    )
                )
                # Some exposures lead somewhere: within the window mostly, a few later.
                roll = rng.random()
                later = served_at + timedelta(hours=rng.random() * 30)
                if roll < 0.04:
                    likes[(user_id, post_id)] = Appreciation(
                        user_id=user_id,
                        post_id=post_id,
                        post_author_id=author_id,
                        post_type=post_type,
                        kind="heart",
                        created_at=later,
                    )
                elif roll < 0.05:
                    remarks.append(
                        Comment(
                            post_id=post_id, author_id=user_id, text="synthetic", created_at=later
                        )
                    )
                if rng.random() < 0.1:
                    opened.append(PostOpen(user_id=user_id, post_id=post_id, opened_at=later))
                # The top of a page is on screen: one or two reports seconds after serving.
                if i < 8 and rng.random() < 0.6:
                    for report in range(rng.choice((1, 1, 2))):
                        dwells.append(
                            PostDwell(
                                user_id=user_id,
                                post_id=post_id,
                                seconds=round(min(rng.lognormvariate(1.2, 0.8), 300.0), 1),
                                recorded_at=served_at + timedelta(seconds=5 + 10 * report + i),
                            )
                        )
            if len(batch) >= CHUNK:
                exposed += self._write(batch, likes, remarks, opened, dwells)
                hearts, comments, opens, looks = (
                    hearts + len(likes),
                    comments + len(remarks),
                    opens + len(opened),
                    looks + len(dwells),
                )
                batch, likes, remarks, opened, dwells = [], {}, [], [], []
        exposed += self._write(batch, likes, remarks, opened, dwells)
        hearts, comments, opens = hearts + len(likes), comments + len(remarks), opens + len(opened)
        looks += len(dwells)
        return (
            f"{exposed:,} exposed posts, ~{hearts:,} hearts, {comments:,} comments, "
            f"{opens:,} opens, {looks:,} dwell reports"
        )

    def _write(self, batch, likes, remarks, opened, dwells) -> int:
        with transaction.atomic():
            ExposedPost.objects.bulk_create(batch, batch_size=5_000)
            Appreciation.objects.bulk_create(
                likes.values(), batch_size=5_000, ignore_conflicts=True
            )
            Comment.objects.bulk_create(remarks, batch_size=5_000)
            PostOpen.objects.bulk_create(opened, batch_size=5_000)
            PostDwell.objects.bulk_create(dwells, batch_size=5_000)
        return len(batch)


def _same(a, b) -> bool:
    """Equal, floats to 1e-9 relative (sums added in another order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a if k != "cache")
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
    return a == b
