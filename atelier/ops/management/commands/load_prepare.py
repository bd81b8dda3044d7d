"""`atelier load_prepare`: the database and the virtual users of `make load` (not timed).

On an empty PostgreSQL database it builds the long-tail community with the very code of
`atelier benchmark_feed --shape long-tail` (atelier/dump/longtail.py, then
`import_community`, then VACUUM ANALYZE) and marks the database complete with a comment
(`COMMENT ON DATABASE`), so a later run reuses it and an interrupted build is recognised.
Then it writes the viewers for Locust: members ranked by how much they appreciate (the
most active first, as the long tail's celebrities), each with an API token, as JSON.
"""

import json
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from rest_framework.authtoken.models import Token

from atelier.core.models import User
from atelier.post.models import Appreciation, Post


def completion_mark(posts: int, seed: int) -> str:
    """The database comment that says the community was built to the end."""
    return f"atelier load: long-tail posts={posts} seed={seed} complete"


def database_comment() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "Build (or reuse) the long-tail community on PostgreSQL and write Locust's viewers."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, required=True, help="long-tail size")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--viewers", type=int, default=2000, help="members given a token")
        parser.add_argument("--most-active", type=int, default=50, help="always among them")
        parser.add_argument("--out", required=True, help="write the viewers' JSON here")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("load_prepare runs on PostgreSQL (set DATABASE_URL)")
        mark = completion_mark(opts["posts"], opts["seed"])
        if database_comment() != mark:
            if Post.objects.exists():
                raise CommandError(
                    "the database has posts but no completion mark (an interrupted build, or "
                    "another community): drop it and run again"
                )
            self._build(opts["posts"], opts["seed"])
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [mark])
        else:
            self.stderr.write(f"reusing the community: {mark}")
        viewers = self._viewers(opts)
        with open(opts["out"], "w") as fh:
            json.dump(
                {
                    "posts": Post.objects.count(),
                    "members": User.objects.count(),
                    "viewers": viewers,
                },
                fh,
            )
        self.stderr.write(f"{len(viewers)} viewers with tokens -> {opts['out']}")

    def _build(self, posts: int, seed: int) -> None:
        # The one definition of the long-tail build (dump, import, VACUUM ANALYZE).
        from atelier.ops.management.commands.benchmark_feed import Command as BenchmarkFeed

        started = time.perf_counter()
        BenchmarkFeed(stdout=self.stderr, stderr=self.stderr)._build_long_tail(posts, seed)
        self.stderr.write(f"built {posts} posts in {time.perf_counter() - started:.0f} s")

    def _viewers(self, opts) -> list[dict]:
        """Members ordered by appreciations given: the most active, then a random sample."""
        ranked = list(
            Appreciation.objects.values("user")
            .annotate(n=Count("id"))
            .order_by("-n", "user")
            .values_list("user", "n")
        )
        head = ranked[: opts["most_active"]]
        rest = ranked[opts["most_active"] :]
        sample = random.Random(opts["seed"]).sample(
            rest, max(0, min(len(rest), opts["viewers"] - len(head)))
        )
        chosen = head + sorted(sample, key=lambda row: (-row[1], row[0]))
        ids = [user_id for user_id, _ in chosen]
        existing = dict(Token.objects.filter(user_id__in=ids).values_list("user_id", "key"))
        missing = [Token(user_id=i, key=Token.generate_key()) for i in ids if i not in existing]
        Token.objects.bulk_create(missing, batch_size=1000)
        existing.update({t.user_id: t.key for t in missing})
        return [
            {"id": user_id, "token": existing[user_id], "appreciations": n} for user_id, n in chosen
        ]
