"""Measure the interaction writes through the whole DRF stack: time and SQL per request.

A fresh cast of writers and authors (named `bench-writes-<run>-...`, left in the database
afterwards) gives, in rounds: hearts, the same hearts again (200), praise, comments,
critiques, hearts taken back, comments deleted. Each request is timed on the test client
and its queries counted through an execute wrapper (atelier/ops/querycount.py), which
counts what the database is sent, savepoints included, without keeping SQL text. Run it
against a migrated database of your own; docs/benchmarks.md quotes its numbers.
"""

import secrets
import statistics
import time
from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.core.models import User
from atelier.ops.querycount import QueryCounter
from atelier.post.models import Post

KINDS = (
    "heart",
    "heart again",
    "praise",
    "comment",
    "critique",
    "un-heart",
    "comment delete",
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Benchmark heart, praise, comment, critique and their undos: p50/p95 and queries."

    def add_arguments(self, parser):
        parser.add_argument("--writes", type=int, default=200, help="requests of each kind")
        parser.add_argument("--writers", type=int, default=20)
        parser.add_argument("--authors", type=int, default=10)

    def handle(self, *args, **opts):
        n = opts["writes"]
        run = secrets.token_hex(3)
        writers = [
            User.objects.create_user(username=f"bench-writes-{run}-w{i}", password=None)
            for i in range(opts["writers"])
        ]
        authors = [
            User.objects.create_user(username=f"bench-writes-{run}-a{i}", password=None)
            for i in range(opts["authors"])
        ]
        now = timezone.now()
        # Enough posts that every (writer, post) pair of the run is new.
        posts = Post.objects.bulk_create(
            Post(
                author=authors[i % len(authors)],
                post_type=("image", "poem", "music")[i % 3],
                title=f"bench {i}",
                created_at=now,
            )
            for i in range(max(1, -(-n // len(writers))))
        )
        clients = []
        for writer in writers:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=writer).key}")
            clients.append(client)
        # Request i: writer i % writers on post i // writers, so no pair repeats.
        targets = [(clients[i % len(clients)], posts[i // len(clients)].id) for i in range(n)]
        self.stdout.write(
            f"{n} requests of each kind, {len(writers)} writers, {len(posts)} posts, "
            f"{connection.vendor}"
        )

        timings: dict[str, list[float]] = {k: [] for k in KINDS}
        queries: dict[str, list[int]] = {k: [] for k in KINDS}

        def measure(kind: str, client, method: str, url: str, expected: int, body=None):
            counter = QueryCounter()
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(counter))
                start = time.perf_counter()
                response = getattr(client, method)(url, body)
                elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != expected:
                raise CommandError(f"{kind}: {response.status_code} {response.content[:200]}")
            timings[kind].append(elapsed)
            queries[kind].append(counter.count)
            return response

        comments = []
        for client, post_id in targets:
            measure("heart", client, "post", f"/api/posts/{post_id}/heart/", 201)
        for client, post_id in targets:
            measure("heart again", client, "post", f"/api/posts/{post_id}/heart/", 200)
        for client, post_id in targets:
            measure("praise", client, "post", f"/api/posts/{post_id}/praise/", 201)
        for client, post_id in targets:
            url = f"/api/posts/{post_id}/comments/"
            made = measure("comment", client, "post", url, 201, {"text": "Lovely"})
            comments.append((client, f"{url}{made.json()['id']}/"))
        for client, post_id in targets:
            url = f"/api/posts/{post_id}/critiques/"
            measure("critique", client, "post", url, 201, {"text": "Crop it"})
        for client, post_id in targets:
            measure("un-heart", client, "delete", f"/api/posts/{post_id}/heart/", 204)
        for client, url in comments:
            measure("comment delete", client, "delete", url, 204)

        self.stdout.write(f"{'write':16} {'p50 ms':>8} {'p95 ms':>8} {'queries':>12}")
        for kind in KINDS:
            spread = queries[kind]
            low, high = min(spread), max(spread)
            shown = f"{low}" if low == high else f"{low}-{high}"
            self.stdout.write(
                f"{kind:16} {statistics.median(timings[kind]):8.1f} "
                f"{_percentile(timings[kind], 0.95):8.1f} {shown:>12}"
            )
