"""Measure feed latency (p50/p95) and queries per request on the current database."""

import json
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.analytics import exposures
from atelier.core.models import User
from atelier.feed import cache as feed_cache
from atelier.feed.config import load_ranking
from atelier.feed.inputs import gather_inputs
from atelier.feed.scoring import annotate_scores
from atelier.feed.selectors import feed_queryset
from atelier.post.models import Post


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = (
        "Benchmark GET /api/posts/ (chronological, personalized cold and cached) and the "
        "naive approach (score every visible post, then sort) on the current database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10, help="viewers sampled")
        parser.add_argument("--rounds", type=int, default=5, help="requests per viewer and mode")
        parser.add_argument("--page-size", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", help="also write the results to this file")
        parser.add_argument("--skip-naive", action="store_true")
        parser.add_argument(
            "--mixed",
            type=int,
            default=0,
            help="then run this many mixed operations (feed reads and hearts)",
        )
        parser.add_argument(
            "--write-share", type=float, default=0.2, help="share of mixed operations that heart"
        )

    def handle(self, *args, **opts):
        # Measure the feed itself: exposures stay in the buffer (written after responses in
        # production, on a worker's time, not the client's) and are discarded at the end.
        with override_settings(EXPOSURE_FLUSH_PAGES=10**9, EXPOSURE_FLUSH_SECONDS=10**9):
            try:
                self._measure(opts)
            finally:
                exposures.reset()

    def _measure(self, opts) -> None:
        rng = random.Random(opts["seed"])
        active = list(
            User.objects.annotate(n=Count("appreciations"))
            .order_by("-n")
            .values_list("id", flat=True)[: opts["users"] * 5]
        )
        viewers = rng.sample(active, min(opts["users"], len(active)))
        size = opts["page_size"]
        modes = {
            "chronological": f"/api/posts/?ordering=chronological&page_size={size}",
            "personalized_uncached": f"/api/posts/?page_size={size}&invalidate_cache=true",
            "personalized_cached": f"/api/posts/?page_size={size}",
        }
        timings: dict[str, list[float]] = {m: [] for m in modes}
        queries: dict[str, list[int]] = {m: [] for m in modes}
        if not opts["skip_naive"]:
            timings["naive"], queries["naive"] = [], []
        feed_cache.reset_hit_rates()
        for viewer_id in viewers:
            client = APIClient()
            token, _ = Token.objects.get_or_create(user_id=viewer_id)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            client.get(modes["personalized_uncached"])  # warm the building blocks
            for _ in range(opts["rounds"]):
                for mode, url in modes.items():
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = client.get(url)
                        elapsed = time.perf_counter() - start
                    assert response.status_code == 200, response.content[:200]
                    timings[mode].append(elapsed * 1000)
                    queries[mode].append(len(ctx.captured_queries))
                if "naive" in timings:
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        self._naive(viewer_id, size)
                        elapsed = time.perf_counter() - start
                    timings["naive"].append(elapsed * 1000)
                    queries["naive"].append(len(ctx.captured_queries))
            reset_queries()
        results = {
            "posts": Post.objects.count(),
            "users": User.objects.count(),
            "viewers": len(viewers),
            "page_size": size,
            "modes": {
                mode: {
                    "p50_ms": round(statistics.median(values), 2),
                    "p95_ms": round(_percentile(values, 0.95), 2),
                    "queries": max(queries[mode]),
                    "samples": len(values),
                }
                for mode, values in timings.items()
                if values
            },
            "cache": feed_cache.hit_rates(),
        }
        self.stdout.write(
            f"{results['posts']} posts, {results['users']} users, {len(viewers)} viewers, "
            f"page size {size}"
        )
        self.stdout.write(f"{'mode':24} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8}")
        for mode, row in results["modes"].items():
            self.stdout.write(
                f"{mode:24} {row['p50_ms']:9.2f} {row['p95_ms']:9.2f} {row['queries']:8d}"
            )
        if opts["mixed"]:
            results["mixed"] = self._mixed(viewers, opts["mixed"], size, rng, opts["write_share"])
            mixed = results["mixed"]
            self.stdout.write(
                f"mixed load, {opts['mixed']} operations ({mixed['writes']} hearts): "
                f"cached reads p50 {mixed['cached']['p50_ms']} / p95 {mixed['cached']['p95_ms']} "
                f"ms ({mixed['cached']['samples']}), uncached reads p50 "
                f"{mixed['uncached']['p50_ms']} / p95 {mixed['uncached']['p95_ms']} ms "
                f"({mixed['uncached']['samples']})"
            )
            for level, row in mixed["hit_rates"].items():
                rate = "-" if row["hit_rate"] is None else f"{row['hit_rate']:.1%}"
                self.stdout.write(f"  hit rate {level:12} {rate:>7}  ({row['hits']} hits)")
        if opts["json"]:
            with open(opts["json"], "w") as fh:
                json.dump(results, fh, indent=2)

    def _mixed(
        self, viewers: list[int], operations: int, size: int, rng, write_share: float
    ) -> dict:
        """Feed reads (page 1, sometimes page 2 through `next`) mixed with hearts."""
        feed_cache.reset_hit_rates()
        clients = {}
        for viewer_id in viewers:
            client = APIClient()
            token, _ = Token.objects.get_or_create(user_id=viewer_id)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            clients[viewer_id] = client
        latency = {"cached": [], "uncached": []}
        writes = 0
        recent: dict[int, list[int]] = {}
        for _ in range(operations):
            viewer_id = rng.choice(viewers)
            client = clients[viewer_id]
            if rng.random() < write_share and recent.get(viewer_id):
                post_id = rng.choice(recent[viewer_id])
                if client.post(f"/api/posts/{post_id}/heart/").status_code == 200:
                    client.delete(f"/api/posts/{post_id}/heart/")
                writes += 1
                continue
            start = time.perf_counter()
            response = client.get(f"/api/posts/?page_size={size}")
            elapsed = (time.perf_counter() - start) * 1000
            body = response.json()
            latency["cached" if body["ranking"]["cached"] else "uncached"].append(elapsed)
            recent[viewer_id] = [p["id"] for p in body["results"][:10]]
            if body["next"] and rng.random() < 0.3:
                client.get(body["next"])
        summary = {
            kind: {
                "p50_ms": round(statistics.median(v), 2) if v else None,
                "p95_ms": round(_percentile(v, 0.95), 2) if v else None,
                "samples": len(v),
            }
            for kind, v in latency.items()
        }
        return {**summary, "writes": writes, "hit_rates": feed_cache.hit_rates()}

    def _naive(self, viewer_id: int, size: int) -> list:
        """The seed plan's approach: annotate every visible post with its score and sort."""
        from django.utils import timezone

        r = load_ranking()
        inputs = gather_inputs(viewer_id)
        qs = annotate_scores(feed_queryset(inputs), r, inputs, timezone.now())
        ids = list(
            qs.order_by("-base_score", "-created_at", "-id").values_list("id", flat=True)[:size]
        )
        return list(Post.objects.select_related("author").filter(id__in=ids))
