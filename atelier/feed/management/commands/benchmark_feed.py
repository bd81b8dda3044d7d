"""Measure feed latency (p50/p95) and queries per request on the current database."""

import json
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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

    def handle(self, *args, **opts):
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
        if opts["json"]:
            with open(opts["json"], "w") as fh:
                json.dump(results, fh, indent=2)

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
