"""Measure GET /api/search/ over HTTP, beside the chronological feed page in the same run.

On an empty database it first builds the long-tailed community of `benchmark_feed` with
text (atelier/dump/longtail.py, `text=True`: titles and bodies from a Zipf-distributed
vocabulary of 20,000 words) through `import_community`, then starts `atelier serve` (one
worker, so requests do not queue behind each other) and sends it, one at a time over one
keep-alive connection, for every viewer and round: the chronological feed page, then a
search of the query mix. Both pages have `--page-size` posts.

The query mix (`query_mix`, deterministic for a seed): 50% one word, drawn by the
vocabulary's own frequencies (so common words, which match the most posts, are asked
most), a fifth of them in the plural ("inks"); 30% two words and 20% three words taken
in order from the title of a random post (words people search for together occur
together). Viewers: the most active members, ordinary ones (as benchmark_feed picks
them) and visitors. Also measured, apart: the second page of a search, and people
search by (part of) a username.

It reports p50/p95/p99 per page and per query length, the ratio to the chronological
page, SQL queries per request (the server's X-DB-Queries header) and how many posts the
queries matched.
"""

import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlencode

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max
from rest_framework.authtoken.models import Token

from atelier.core.models import User
from atelier.dump.longtail_text import FILLER, MANDELBROT_SHIFT, vocabulary
from atelier.post.models import Post

MIX = {1: 0.5, 2: 0.3, 3: 0.2}
PLURAL_SHARE = 0.2


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _summary(values: list[float]) -> dict:
    return {
        "requests": len(values),
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(_percentile(values, 0.95), 2),
        "p99_ms": round(_percentile(values, 0.99), 2),
        "max_ms": round(max(values), 2),
    }


def query_mix(count: int, seed: int) -> list[str]:
    """`count` queries: one word by frequency (some plural), or two or three in order from
    a random post's title (MIX)."""
    rng = random.Random(seed)
    words = vocabulary()
    weights = 1.0 / (np.arange(1, len(words) + 1) + MANDELBROT_SHIFT)
    cumulative = np.cumsum(weights / weights.sum())
    last_id = Post.objects.aggregate(last=Max("id"))["last"] or 0
    queries = []
    while len(queries) < count:
        length = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if length == 1:
            word = words[int(np.searchsorted(cumulative, rng.random()))]
            queries.append(word + "s" if rng.random() < PLURAL_SHARE else word)
            continue
        post = Post.objects.filter(id__gte=rng.randint(1, last_id)).order_by("id").first()
        if post is None:
            continue
        title = [w.lower() for w in post.title.split() if w.lower() not in FILLER]
        if len(title) < length:
            continue
        start = rng.randint(0, len(title) - length)
        queries.append(" ".join(title[start : start + length]))
    return queries


class _Http:
    """`atelier serve` on a free port, and one keep-alive connection to it."""

    def __init__(self, stderr):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        environment = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "QUERY_COUNT_HEADER": "true",
            "LOG_LEVEL": "WARNING",
            "THROTTLE_ANON_RATE": "1000000/min",
            "THROTTLE_USER_RATE": "1000000/min",
            "WEB_MAX_REQUESTS": "0",
            # The feed's exposures wait in the buffer (written after responses in
            # production), as in benchmark_feed: the pages themselves are measured.
            "EXPOSURE_FLUSH_PAGES": "1000000000",
            "EXPOSURE_FLUSH_SECONDS": "1000000000",
        }
        self.log = tempfile.NamedTemporaryFile("w+", prefix="benchmark-search-", suffix=".log")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "config.manage", "serve", "--workers", "1",
             "--bind", f"127.0.0.1:{self.port}"],
            env=environment, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.connection = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise CommandError(f"atelier serve exited:\n{self.log.read()[-2000:]}")
            try:
                status, _, _ = self.get("/readyz", None)
                if status == 200:
                    stderr.write(f"atelier serve ready on port {self.port}")
                    return
            except OSError:
                self.connection = None
            time.sleep(0.5)
        self.stop()
        raise CommandError("atelier serve was not ready after 90 s")

    def get(self, path: str, token: str | None) -> tuple[int, dict, int | None]:
        """(status, JSON body, SQL queries) of GET `path`."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": f"Token {token}"} if token else {}
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        queries = response.getheader("X-DB-Queries")
        parsed = json.loads(body) if body.startswith((b"{", b"[")) else {}
        return response.status, parsed, int(queries) if queries else None

    def stop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Command(BaseCommand):
    help = "Benchmark GET /api/search/ beside the chronological feed page, over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=200_000, help="community size")
        parser.add_argument("--users", type=int, default=10, help="most active viewers")
        parser.add_argument("--ordinary", type=int, default=10, help="ordinary viewers")
        parser.add_argument("--visitors", type=int, default=5, help="viewers not signed in")
        parser.add_argument("--rounds", type=int, default=15, help="requests per viewer")
        parser.add_argument("--page-size", type=int, default=20)
        parser.add_argument("--queries", type=int, default=150, help="size of the query mix")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", help="also write the results to this file")

    def handle(self, *args, **opts):
        self._migrate()
        if not Post.objects.exists():
            self._build(opts["posts"], opts["seed"])
        if not Post.objects.exclude(title__startswith="Work ").exists():
            raise CommandError(
                "the posts have no text to search (a benchmark_feed community?): "
                "run on an empty database, which this command fills with text"
            )
        server = _Http(self.stderr)
        try:
            results = self._measure(server, opts)
        finally:
            server.stop()
        if opts["json"]:
            with open(opts["json"], "w") as fh:
                json.dump(results, fh, indent=2)

    def _migrate(self) -> None:
        """Apply the migrations the database lacks: the benchmark starts from `createdb`."""
        from django.core.management import call_command
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(f"{connection.settings_dict['NAME']}: applying migrations first")
            call_command("migrate", interactive=False, verbosity=0)

    def _build(self, posts: int, seed: int) -> None:
        from django.core.management import call_command

        from atelier.dump.longtail import write_longtail_dump

        with tempfile.NamedTemporaryFile(suffix=".jsonl") as dump:
            started = time.perf_counter()
            lines = write_longtail_dump(dump.name, posts=posts, seed=seed, text=True)
            self.stderr.write(f"wrote {lines} lines in {time.perf_counter() - started:.1f} s")
            call_command("import_community", dump.name, stdout=self.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _viewers(self, opts) -> dict[str, list[int | None]]:
        ranked = list(
            User.objects.annotate(n=Count("author_affinities", distinct=True))
            .order_by("-n", "id")
            .values_list("id", flat=True)
        )
        rng = random.Random(opts["seed"])
        middle = ranked[len(ranked) // 3 : 2 * len(ranked) // 3]
        return {
            "most active": ranked[: opts["users"]],
            "ordinary": rng.sample(middle, min(opts["ordinary"], len(middle))),
            "visitor": [None] * opts["visitors"],
        }

    def _measure(self, server: _Http, opts) -> dict:
        size = opts["page_size"]
        queries = query_mix(opts["queries"], opts["seed"])
        groups = self._viewers(opts)
        tokens = {
            v: Token.objects.get_or_create(user_id=v)[0].key
            for ids in groups.values()
            for v in ids
            if v is not None
        }
        rng = random.Random(opts["seed"])
        chronological = f"/api/posts/?ordering=chronological&page_size={size}"
        people_words = list(User.objects.order_by("?").values_list("username", flat=True)[:50])

        def search_url(q: str, **extra) -> str:
            return "/api/search/?" + urlencode({"q": q, "page_size": size, **extra})

        # Warm-up (not counted): every viewer's first pages, every query once.
        for ids in groups.values():
            for v in ids:
                server.get(chronological, tokens.get(v))
        for q in queries:
            server.get(search_url(q), None)

        times: dict[str, list[float]] = {}
        sql: dict[str, list[int]] = {}
        matched: dict[int, list[int]] = {1: [], 2: [], 3: []}
        estimated = 0
        by_group: dict[str, dict[str, list[float]]] = {}

        def timed(mode: str, path: str, token: str | None, group: str) -> dict:
            started = time.perf_counter()
            status, body, n = server.get(path, token)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                raise CommandError(f"{path}: {status} {str(body)[:200]}")
            times.setdefault(mode, []).append(elapsed)
            by_group.setdefault(group, {}).setdefault(mode, []).append(elapsed)
            if n is not None:
                sql.setdefault(mode, []).append(n)
            return body

        load_before = os.getloadavg()
        started = time.time()
        turn = 0
        for _ in range(opts["rounds"]):
            for group, ids in groups.items():
                for v in ids:
                    token = tokens.get(v)
                    timed("chronological", chronological, token, group)
                    q = queries[turn % len(queries)]
                    turn += 1
                    length = len(q.split())
                    body = timed("search", search_url(q), token, group)
                    times.setdefault(f"search, {length} word(s)", []).append(times["search"][-1])
                    matched[length].append(body["count"])
                    estimated += not body["count_exact"]
                    if body["next"] and rng.random() < 0.3:
                        timed("search page 2", search_url(q, page=2), token, group)
                    if token and rng.random() < 0.3:
                        name = rng.choice(people_words)
                        part = name[: rng.randint(2, len(name))]
                        timed("people", search_url(part, type="people"), token, group)

        results = {
            "posts": Post.objects.count(),
            "users": User.objects.count(),
            "vendor": connection.vendor,
            "page_size": size,
            "rounds": opts["rounds"],
            "mix": {f"{k} word(s)": share for k, share in MIX.items()},
            "plural_share_of_one_word": PLURAL_SHARE,
            "queries": queries,
            "started_at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
            "minutes": round((time.time() - started) / 60, 1),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "modes": {mode: _summary(values) for mode, values in times.items()},
            "groups": {
                group: {mode: _summary(values) for mode, values in modes.items()}
                for group, modes in by_group.items()
            },
            "sql_queries": {mode: max(values) for mode, values in sql.items()},
            "matches_median": {
                f"{k} word(s)": statistics.median(v) for k, v in matched.items() if v
            },
            "counts_estimated": estimated,
        }
        self._print(results)
        return results

    def _print(self, results: dict) -> None:
        base = results["modes"]["chronological"]
        self.stdout.write(
            f"{results['posts']} posts, {results['users']} users, page size "
            f"{results['page_size']}, {results['vendor']}, over HTTP (one worker); "
            f"load average {results['load_average_before'][0]:.1f} -> "
            f"{results['load_average_after'][0]:.1f}"
        )
        self.stdout.write(
            f"{'page':22} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'x chrono p50/p95':>17} {'SQL':>4}"
        )
        for mode, m in results["modes"].items():
            ratio = f"{m['p50_ms'] / base['p50_ms']:.2f} / {m['p95_ms'] / base['p95_ms']:.2f}"
            queries = results["sql_queries"].get(mode.split(",")[0], "")
            self.stdout.write(
                f"{mode:22} {m['requests']:8d} {m['p50_ms']:8.1f} {m['p95_ms']:8.1f} "
                f"{m['p99_ms']:8.1f} {ratio:>17} {queries!s:>4}"
            )
        for group, modes in results["groups"].items():
            line = ", ".join(
                f"{mode} p50 {m['p50_ms']:.1f} / p95 {m['p95_ms']:.1f}"
                for mode, m in modes.items()
                if mode in ("chronological", "search")
            )
            self.stdout.write(f"  {group}: {line}")
        medians = ", ".join(f"{k}: {v:g}" for k, v in results["matches_median"].items())
        self.stdout.write(
            f"posts matched (median): {medians}; counts estimated: {results['counts_estimated']}"
        )
