"""Replay believable feed sessions through the real feed so the dashboard has a story to tell."""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.analytics import exposures
from atelier.analytics.models import ExposedPost, FeedRollout, PostDwell, PostOpen
from atelier.analytics.rollout import bucket, save_rollout
from atelier.analytics.rollup import rollup_due
from atelier.core.models import User
from atelier.feed.features import hydrate
from atelier.post import services as post_services
from atelier.post.models import Appreciation, Post


class Command(BaseCommand):
    help = (
        "Serve --sessions feed pages to random members through GET /api/posts/ (the real "
        "ranking, rollout and exposure recording), spread them over the last --days days, and "
        "let each member appreciate and open posts with a probability that grows with how "
        "relevant the post is to them and how high it was shown, and report how long the "
        "posts they scrolled past stayed on screen (longer for relevant ones). For demos and "
        "dashboards: it writes real appreciations through the services and time on screen "
        "through POST /api/analytics/dwell/, dated after the (shifted) page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=400)
        parser.add_argument("--days", type=int, default=14)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--rollout-percentage",
            type=int,
            help="first set the share of members who get the personalized feed (0-100)",
        )
        parser.add_argument(
            "--personalized-for",
            metavar="USERNAME",
            help="with --rollout-percentage: pick the first salt that puts this member in "
            "the personalized group (the demo account should see its ranked feed)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if exposures already exist"
        )

    def handle(self, *args, **opts):
        if opts["if_empty"] and ExposedPost.objects.exists():
            self.stdout.write("Feed traffic already recorded; nothing to do.")
            return
        if opts["rollout_percentage"] is not None:
            if not 0 <= opts["rollout_percentage"] <= 100:
                raise CommandError("--rollout-percentage is 0 to 100")
            row, _ = FeedRollout.objects.get_or_create(pk=1)
            row.percentage = opts["rollout_percentage"]
            if opts["personalized_for"]:
                row.salt = self._salt_for(opts["personalized_for"], row.percentage)
            save_rollout(row)
        members = list(User.objects.filter(is_active=True).values_list("id", flat=True))
        if not members or not Post.objects.exists():
            raise CommandError("Seed a community first (atelier seed_demo).")
        rng = random.Random(opts["seed"])
        now = timezone.now()
        written = hearts = opens = 0
        for _ in range(opts["sessions"]):
            user = User.objects.get(pk=rng.choice(members))
            served_at = now - timedelta(seconds=rng.random() * opts["days"] * 86400)
            h, o, n = self._session(user, served_at, rng)
            hearts, opens, written = hearts + h, opens + o, written + n
        self.stdout.write(
            f"Simulated {opts['sessions']} feed sessions over {opts['days']} days: "
            f"{written:,} exposed posts, {hearts:,} appreciations, {opens:,} opens."
        )
        self._settle()

    def _settle(self) -> None:
        """Leave the dashboard as fast as a scheduled deployment keeps it.

        The traffic lies in the past, but nothing rolled it up: `make demo` runs no
        scheduler, so the summary aggregated every exposure from the raw rows, 5-6 s on the
        demo's SQLite database (docs/analytics.md). Rolling up every settled hour now leaves
        it only the partial hours at the edges of its period. SQLite also plans from the
        statistics ANALYZE gathers, and has none after a bulk fill: without them it matched
        each exposure against a member's every heart instead of the post's few.
        """
        started = time.monotonic()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        hours = rollup_due(all_hours=True)
        self.stdout.write(
            f"Rolled up {len(hours):,} hours of analytics in {time.monotonic() - started:.1f} s."
        )

    def _salt_for(self, username: str, percentage: int) -> str:
        member = User.objects.filter(username=username).first()
        if member is None:
            raise CommandError(f"No member called {username!r}.")
        if percentage == 0:
            raise CommandError("At 0% nobody is in the personalized group.")
        for n in range(1, 10_000):
            salt = f"feed-rollout-{n}"
            if bucket(salt, member.id) < percentage:
                return salt
        raise CommandError("No salt found")  # unreachable for any percentage >= 1

    def _session(self, user: User, served_at, rng: random.Random) -> tuple[int, int, int]:
        client = APIClient(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
        client.force_authenticate(user)
        started = timezone.now()
        response = client.get("/api/posts/?page_size=20")
        if response.status_code != 200:
            return 0, 0, 0
        results = response.json()["results"]
        exposures.flush()
        # The page was served now; move it (and what follows) to its moment in the story.
        written = ExposedPost.objects.filter(user_id=user.id, served_at__gte=started).update(
            served_at=served_at
        )
        features = hydrate(user.id, [item["id"] for item in results])
        post_ids = features.post_id.tolist()
        given = dict(zip(post_ids, features.author_appreciations.tolist(), strict=True))
        fellow = dict(zip(post_ids, features.is_fellow.tolist(), strict=True))
        hearts = opens = 0
        # How far down the page the member scrolls; each post above stays on screen a few
        # seconds, longer when it is relevant to them.
        scrolled = rng.randint(3, max(3, len(results)))
        looks = []
        for position, item in enumerate(results):
            # Members engage with authors they already love and with their fellows.
            affinity = min(1.0, given.get(item["id"], 0) / 8)
            relevance = min(1.0, 0.1 + 0.9 * affinity + (0.4 if fellow.get(item["id"]) else 0))
            if position < scrolled:
                seconds = rng.lognormvariate(0.8, 0.6) * (1 + 3 * relevance)
                looks.append({"post": item["id"], "seconds": round(min(seconds, 300.0), 1)})
            chance = (0.04 + 0.16 * relevance) / (1 + position / 6)
            at = served_at + timedelta(minutes=rng.uniform(1, 90))
            if rng.random() < 2 * chance:
                PostOpen.objects.create(user_id=user.id, post_id=item["id"], opened_at=at)
                opens += 1
            if rng.random() < chance and item["author"]["id"] != user.id:
                post = Post.objects.get(pk=item["id"])
                # Already hearted in the seed? Then praise, the next step up.
                for kind in ("heart", "praise"):
                    with transaction.atomic():
                        if post_services.appreciation_add(user=user, post=post, kind=kind):
                            Appreciation.objects.filter(user=user, post=post, kind=kind).update(
                                created_at=at
                            )
                            hearts += 1
                            break
        if looks:
            client.post("/api/analytics/dwell/", {"items": looks}, format="json")
            # Reported now; dated, like the page, to its moment in the story.
            PostDwell.objects.filter(user_id=user.id, recorded_at__gte=started).update(
                recorded_at=served_at + timedelta(seconds=30)
            )
        return hearts, opens, written
