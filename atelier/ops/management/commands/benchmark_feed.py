"""Measure the feed through the whole DRF stack: latency, queries, SQL size and memory.

Viewers come in two groups, measured apart: the most active members (most fellows and
appreciations: the long tail's celebrities) and ordinary ones (around the median). Modes:

- `chronological`: the newest-first page of the same viewer;
- `uncached`: the personalized page right after the viewer hearted a post (the heart moves
  their feed version, so the snapshot is ranked again; building blocks stay warm);
- `cold`: the personalized page with the whole cache emptied first (building blocks too);
- `cached`: the personalized page again, from the snapshot.

With `--shape long-tail --posts N` on an empty database it first writes and imports a
long-tailed community (atelier/dump/longtail.py). A database never migrated (a fresh
`createdb`) is migrated first.
"""

import json
import random
import statistics
import tempfile
import time
import tracemalloc

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.analytics import exposures
from atelier.core.models import User
from atelier.feed import cache as feed_cache
from atelier.feed.config import load_ranking
from atelier.feed.features import hydrate, viewer_profile
from atelier.feed.scorer import rank
from atelier.feed.selectors import feed_queryset
from atelier.post.models import Post

MODES = ("chronological", "uncached", "cold", "cached")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark GET /api/posts/ for the most active and for ordinary members."

    def add_arguments(self, parser):
        parser.add_argument("--shape", choices=["current", "long-tail"], default="current")
        parser.add_argument("--posts", type=int, default=200_000, help="long-tail size")
        parser.add_argument("--users", type=int, default=10, help="most active viewers")
        parser.add_argument("--ordinary", type=int, default=10, help="ordinary viewers")
        parser.add_argument("--rounds", type=int, default=5, help="requests per viewer and mode")
        parser.add_argument("--page-size", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", help="also write the results to this file")
        parser.add_argument("--naive", action="store_true", help="also score the whole feed")
        parser.add_argument(
            "--mixed", type=int, default=0, help="then this many mixed reads and hearts"
        )
        parser.add_argument("--write-share", type=float, default=0.2)

    def handle(self, *args, **opts):
        self._migrate()
        if opts["shape"] == "long-tail" and not Post.objects.exists():
            self._build_long_tail(opts["posts"], opts["seed"])
        if not Post.objects.exists():
            raise CommandError("the database has no posts: use --shape long-tail or seed_demo")
        # Measure the feed itself: exposures stay in the buffer (written after responses in
        # production) and are discarded at the end.
        with override_settings(EXPOSURE_FLUSH_PAGES=10**9, EXPOSURE_FLUSH_SECONDS=10**9):
            try:
                self._measure(opts)
            finally:
                exposures.reset()

    def _migrate(self) -> None:
        """Apply the migrations the database lacks: the benchmark starts from `createdb`."""
        from django.core.management import call_command
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stderr.write(
                f"{connection.settings_dict['NAME']}: applying {len(plan)} migrations first"
            )
            call_command("migrate", interactive=False, verbosity=0)

    def _build_long_tail(self, posts: int, seed: int) -> None:
        from django.core.management import call_command

        from atelier.dump.longtail import write_longtail_dump

        with tempfile.NamedTemporaryFile(suffix=".jsonl") as dump:
            started = time.perf_counter()
            lines = write_longtail_dump(dump.name, posts=posts, seed=seed)
            self.stderr.write(f"wrote {lines} lines in {time.perf_counter() - started:.1f} s")
            call_command("import_community", dump.name, stdout=self.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _viewers(self, opts) -> dict[str, list[int]]:
        ranked = list(
            User.objects.annotate(n=Count("author_affinities", distinct=True))
            .annotate(score=F("n"))
            .order_by("-score", "id")
            .values_list("id", flat=True)
        )
        rng = random.Random(opts["seed"])
        middle = ranked[len(ranked) // 3 : 2 * len(ranked) // 3]
        return {
            "most active": ranked[: opts["users"]],
            "ordinary": rng.sample(middle, min(opts["ordinary"], len(middle))),
        }

    def _client(self, viewer_id: int) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user_id=viewer_id)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    def _measure(self, opts) -> None:
        size = opts["page_size"]
        urls = {
            "chronological": f"/api/posts/?ordering=chronological&page_size={size}",
            "personalized": f"/api/posts/?ordering=personalized&page_size={size}",
        }
        results = {
            "posts": Post.objects.count(),
            "users": User.objects.count(),
            "page_size": size,
            "vendor": connection.vendor,
            "groups": {},
        }
        self.stdout.write(
            f"{results['posts']} posts, {results['users']} users, page size {size}, "
            f"{connection.vendor}"
        )
        feed_cache.reset_hit_rates()
        for group, viewers in self._viewers(opts).items():
            timings = {m: [] for m in MODES}
            queries = {m: [] for m in MODES}
            sql_bytes = {m: [] for m in MODES}
            memory = {m: [] for m in MODES}
            fellows = []
            for viewer_id in viewers:
                client = self._client(viewer_id)
                fellows.append(
                    User.objects.get(id=viewer_id).fellow_requests_sent.count()
                    + User.objects.get(id=viewer_id).fellow_requests_received.count()
                )
                first = client.get(urls["personalized"]).json()
                heart_ids = [p["id"] for p in first["results"]]
                for round_ in range(opts["rounds"] + 1):
                    for mode in MODES:
                        if mode == "uncached" and heart_ids:
                            post_id = heart_ids[round_ % len(heart_ids)]
                            if client.post(f"/api/posts/{post_id}/heart/").status_code != 201:
                                client.delete(f"/api/posts/{post_id}/heart/")
                        if mode == "cold":
                            cache.clear()
                        url = urls["chronological" if mode == "chronological" else "personalized"]
                        if round_ == opts["rounds"]:  # one more, traced, for memory only
                            tracemalloc.start()
                            client.get(url)
                            memory[mode].append(tracemalloc.get_traced_memory()[1] / 1024)
                            tracemalloc.stop()
                            continue
                        with CaptureQueriesContext(connection) as ctx:
                            start = time.perf_counter()
                            response = client.get(url)
                            elapsed = (time.perf_counter() - start) * 1000
                        assert response.status_code == 200, response.content[:200]
                        cached = response.json()["ranking"].get("cached")
                        if mode in ("uncached", "cold") and cached:
                            raise CommandError(f"{mode} page came from the cache")
                        timings[mode].append(elapsed)
                        queries[mode].append(len(ctx.captured_queries))
                        sql_bytes[mode].append(max(len(q["sql"]) for q in ctx.captured_queries))
            results["groups"][group] = {
                "viewers": len(viewers),
                "fellows_max": max(fellows, default=0),
                "fellows_median": statistics.median(fellows) if fellows else 0,
                "modes": {
                    m: {
                        "p50_ms": round(statistics.median(timings[m]), 2),
                        "p95_ms": round(_percentile(timings[m], 0.95), 2),
                        "queries": max(queries[m]),
                        "largest_sql_bytes": max(sql_bytes[m]),
                        "peak_kb": round(max(memory[m]), 1),
                    }
                    for m in MODES
                    if timings[m]
                },
            }
            self._print_group(group, results["groups"][group])
        if opts["naive"]:
            results["naive_ms"] = self._naive(self._viewers(opts)["most active"][0])
            self.stdout.write(f"naive (score the whole feed): {results['naive_ms']} ms")
        if opts["mixed"]:
            results["mixed"] = self._mixed(self._viewers(opts), opts)
        if opts["json"]:
            with open(opts["json"], "w") as fh:
                json.dump(results, fh, indent=2)

    def _print_group(self, group: str, row: dict) -> None:
        modes = row["modes"]
        base = modes["chronological"]
        self.stdout.write(
            f"\n{group}: {row['viewers']} viewers, fellows max {row['fellows_max']}, "
            f"median {row['fellows_median']}"
        )
        self.stdout.write(
            f"{'mode':14} {'p50 ms':>8} {'p95 ms':>8} {'x chrono p50/p95':>17} "
            f"{'queries':>8} {'max SQL B':>10} {'peak KB':>9}"
        )
        for mode, m in modes.items():
            ratio = f"{m['p50_ms'] / base['p50_ms']:.2f} / {m['p95_ms'] / base['p95_ms']:.2f}"
            self.stdout.write(
                f"{mode:14} {m['p50_ms']:8.1f} {m['p95_ms']:8.1f} {ratio:>17} "
                f"{m['queries']:8d} {m['largest_sql_bytes']:10d} {m['peak_kb']:9.0f}"
            )

    def _mixed(self, groups: dict[str, list[int]], opts) -> dict:
        """Feed reads (page 1, sometimes page 2 through `next`) mixed with hearts."""
        rng = random.Random(opts["seed"])
        viewers = [v for ids in groups.values() for v in ids]
        clients = {v: self._client(v) for v in viewers}
        size = opts["page_size"]
        # Steady state: one read per viewer first, so the counters do not count the cold
        # start (the measurements above emptied the cache on purpose).
        for client in clients.values():
            client.get(f"/api/posts/?ordering=personalized&page_size={size}")
        feed_cache.reset_hit_rates()
        latency = {"cached": [], "uncached": []}
        writes = 0
        recent: dict[int, list[int]] = {}
        for _ in range(opts["mixed"]):
            viewer_id = rng.choice(viewers)
            client = clients[viewer_id]
            if rng.random() < opts["write_share"] and recent.get(viewer_id):
                post_id = rng.choice(recent[viewer_id])
                if client.post(f"/api/posts/{post_id}/heart/").status_code == 200:
                    client.delete(f"/api/posts/{post_id}/heart/")
                writes += 1
                continue
            start = time.perf_counter()
            body = client.get(f"/api/posts/?ordering=personalized&page_size={size}").json()
            elapsed = (time.perf_counter() - start) * 1000
            latency["cached" if body["ranking"]["cached"] else "uncached"].append(elapsed)
            recent[viewer_id] = [p["id"] for p in body["results"][:10]]
            if body["next"] and rng.random() < 0.3:
                client.get(body["next"])
        rates = feed_cache.hit_rates()
        summary = {
            kind: {
                "p50_ms": round(statistics.median(v), 2) if v else None,
                "p95_ms": round(_percentile(v, 0.95), 2) if v else None,
                "samples": len(v),
            }
            for kind, v in latency.items()
        }
        self.stdout.write(
            f"\nmixed load, {opts['mixed']} operations ({writes} hearts): cached p50 "
            f"{summary['cached']['p50_ms']} ms, uncached p50 {summary['uncached']['p50_ms']} ms"
        )
        for level, row in rates.items():
            rate = "-" if row["hit_rate"] is None else f"{row['hit_rate']:.1%}"
            self.stdout.write(f"  hit rate {level:10} {rate:>7}  ({row['hits']} hits)")
        return {**summary, "writes": writes, "hit_rates": rates}

    def _naive(self, viewer_id: int) -> float:
        """Score every visible post with the same scorer, then sort: what sources avoid."""
        r = load_ranking()
        start = time.perf_counter()
        c = hydrate(viewer_id, feed_queryset(viewer_id))
        rank(c, viewer_profile(viewer_id), r, timezone.now().timestamp())
        return round((time.perf_counter() - start) * 1000, 1)
