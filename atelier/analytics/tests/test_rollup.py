"""The analytics rollup: the summary read from it equals the raw aggregation (edges, today,
every source), re-running replaces, a changed window is not read; the tasks, inline."""

import uuid
from datetime import UTC, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from atelier.analytics import exposures, rollup
from atelier.analytics.models import (
    DwellRollup,
    ExposedPost,
    ExposureRollup,
    FeedRollout,
    PageRollup,
    PostDwell,
    PostOpen,
    RollupBucket,
    Variant,
)
from atelier.analytics.rollout import save_rollout
from atelier.analytics.selectors import SOURCES, feed_summary, feed_summary_raw
from atelier.analytics.tasks import prune_analytics, rollup_analytics
from atelier.analytics.tests.factories import breakdown_for, dwell, expose_page, open_post
from atelier.core.tests.factories import UserFactory
from atelier.feed.components import NAMES as COMPONENTS
from atelier.feed.tests.factories import AppreciationFactory
from atelier.post.tests.factories import CommentFactory, PostFactory
from config.celery import app

pytestmark = pytest.mark.django_db

P, C = Variant.PERSONALIZED.value, Variant.CHRONOLOGICAL.value


def _set_rollout(**fields) -> None:
    from atelier.analytics.rollout import forget_cached_rollout

    row = FeedRollout.objects.get(pk=1)
    for name, value in fields.items():
        setattr(row, name, value)
    save_rollout(row)
    forget_cached_rollout()  # save_rollout does it after commit; the test's never comes


def _same(a, b, path="summary"):
    """Equal, floats to 1e-9 relative (the rollup adds sums in another order)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            if key != "cache":  # the feed cache's hit rates: live counters, not analytics
                _same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9), path
    else:
        assert a == b, path


@pytest.fixture
def now():
    # Mid-hour, so that the periods' edges fall inside hours (partial hours read raw).
    return timezone.now().astimezone(UTC).replace(minute=37, second=11, microsecond=0)


@pytest.fixture
def fortnight(now, ana, ben, cleo):
    """Pages over the last 16 days: every few hours, at both edges of a 3- and a 7-day
    period (just inside and just outside), in the current hour; both variants, both
    sources, timed and untimed; hearts, comments and opens inside and outside the window."""
    dan = UserFactory(username="dan")
    posts = [
        PostFactory(author=author, post_type=kind)
        for author, kind in [(cleo, "image"), (dan, "poem"), (cleo, "music"), (dan, "image")]
    ]
    times = [now - timedelta(hours=h) for h in range(0, 16 * 24, 7)]
    for days in (3, 7):
        edge = now - timedelta(days=days)
        times += [edge + timedelta(seconds=1), edge - timedelta(seconds=1), edge]
    times += [now, now - timedelta(minutes=5)]
    for i, served_at in enumerate(times):
        viewer = (ana, ben)[i % 2]
        variant = (P, C)[i % 3 % 2]
        # A post of its own first (a heart is given once per user and post), then others.
        fresh = PostFactory(author=(cleo, dan)[i % 2], post_type=("comic", "novel")[i % 2])
        shown = [fresh, *posts[i % 3 : i % 3 + 1 + i % 2]]
        scored = variant == P
        expose_page(
            viewer,
            shown,
            variant=variant,
            served_at=served_at,
            scores=[1.5 * (i % 5) + j for j in range(len(shown))] if scored else None,
            breakdowns=[
                breakdown_for({name: (i + j) * (k + 1) / 7 for k, name in enumerate(COMPONENTS)})
                for j in range(len(shown))
            ]
            if scored
            else None,
            response_ms=None if i % 4 == 3 else 20.0 + (i * 37) % 90,
            explicit_ordering=i % 5 == 0,
        )
        if i % 3 == 0:
            AppreciationFactory(
                user=viewer, post=shown[0], created_at=served_at + timedelta(hours=2)
            )
        if i % 4 == 1:
            CommentFactory(
                author=viewer, post=shown[-1], created_at=served_at + timedelta(hours=30)
            )
        if i % 2 == 0:
            open_post(viewer, shown[-1], served_at + timedelta(minutes=3))
        # Time on screen: reports a little after the page (attributed to it); for some,
        # another look 5 h later (the same exposure, reported in another hour); some days
        # later on a post shown only on this page (no exposure claims them).
        reports = [(shown[-1], served_at + timedelta(minutes=1 + i % 4 * 20), 1.5 + i % 7)]
        if i % 3 == 1:
            reports.append((shown[-1], served_at + timedelta(hours=5, minutes=2), 2.25))
        if i % 5 == 4:
            reports.append((fresh, served_at + timedelta(days=3), 4.0))
        if i % 6 == 2:
            # The post again, 3 h later, on a page the member chose: a look after it counts
            # for that page under "all" and "explicit", for the first page (if assigned)
            # under "assigned".
            again = served_at + timedelta(hours=3)
            expose_page(viewer, [shown[-1]], variant=C, served_at=again, explicit_ordering=True)
            reports.append((shown[-1], again + timedelta(minutes=10), 3.0))
        PostDwell.objects.bulk_create(
            PostDwell(user=viewer, post=p, seconds=seconds, recorded_at=at)
            for p, at, seconds in reports
        )
    # Reports no page claims, just outside and inside the 3- and 7-day periods' starts
    # (partial hours, read raw) and in a whole hour after them (rolled up).
    unseen = PostFactory(author=cleo, post_type="image")
    for days in (3, 7):
        edge = now - timedelta(days=days)
        for at in (edge - timedelta(seconds=30), edge + timedelta(seconds=30)):
            dwell(ana, unseen, 2.5, at)
        dwell(ben, unseen, 1.25, edge + timedelta(hours=2))
    return now


@pytest.mark.slow
def test_the_summary_from_the_rollup_equals_the_raw_aggregation(fortnight, now):
    rolled = rollup.rollup_due(now=now)
    # Every completed hour after the one the retention cuts into.
    assert len(rolled) == 30 * 24 - 1
    assert RollupBucket.objects.filter(hours=24).count() == 29  # every whole day
    assert ExposureRollup.objects.exists() and PageRollup.objects.exists()

    for days in (1, 3, 7, 30):
        for source in SOURCES:
            summary = feed_summary(days=days, now=now, source=source)
            _same(summary, feed_summary_raw(days=days, now=now, source=source))
    # Not vacuous: the figures are there, and the edges and today count.
    summary = feed_summary(days=3, now=now)
    assert summary["variants"][P]["exposed_posts"] > 0
    assert summary["variants"][C]["engaged_posts"] > 0
    assert (
        summary["engagement_over_time"][-1]["exposed_posts"]
        + summary["engagement_over_time"][-2]["exposed_posts"]
        > 0
    )
    assert summary["latency_ms"][P]["p95"] is not None
    assert summary["dwell"][P]["seconds"] > 0 and summary["dwell"][C]["seconds"] > 0
    assert summary["dwell_unattributed"]["reports"] > 0
    # Time on screen is in the rollup, for every source, in hours and days.
    assert {"all", "assigned", "explicit"} == set(
        DwellRollup.objects.filter(hours=24).values_list("source", flat=True)
    )
    assert DwellRollup.objects.filter(hours=1, variant="").exists()


@pytest.mark.slow
def test_the_summary_reads_the_stored_buckets(fortnight, now, django_assert_num_queries):
    rollup.rollup_due(now=now)
    raw = feed_summary_raw(days=7, now=now)
    # Changed behind its back, a stored day shows: the summary read it, not the raw rows.
    day = RollupBucket.objects.filter(hours=24).order_by("-start").first().start
    ExposureRollup.objects.filter(hours=24, start=day).update(exposed=0)
    changed = feed_summary(days=7, now=now)
    total = sum(v["exposed_posts"] for v in changed["variants"].values())
    assert total < sum(v["exposed_posts"] for v in raw["variants"].values())
    DwellRollup.objects.filter(hours=24, start=day).update(seconds=0)
    changed = feed_summary(days=7, now=now)
    seconds = sum(v["seconds"] for v in changed["dwell"].values())
    assert seconds < sum(v["seconds"] for v in raw["dwell"].values())

    # The queries: in a transaction (a savepoint and its release here; PostgreSQL: "SET
    # LOCAL jit"), day buckets, hour buckets, their figures per day and per post type,
    # their pages and time on screen, the raw figures and pages of the partial hours, and
    # their time on screen (attributed, unattributed).
    expected = 2 + (1 if connection.vendor == "postgresql" else 0) + 2 + 4 + 2 + 2
    with django_assert_num_queries(expected):
        feed_summary(days=7, now=now)


@pytest.mark.slow
def test_rolling_up_again_replaces_and_a_new_window_is_not_read(fortnight, now):
    rollup.rollup_due(now=now)
    rows = ExposureRollup.objects.count()
    rollup.rollup_due(now=now, all_hours=True)
    assert ExposureRollup.objects.count() == rows  # replaced, not added to
    _same(feed_summary(days=7, now=now), feed_summary_raw(days=7, now=now))

    # Without all_hours, only what was not settled is computed again: the last window's
    # hours (their exposures' engagement could still change).
    assert len(rollup.rollup_due(now=now)) == 24

    # Under another attribution window the stored buckets would count other engagement:
    # they are not read (the summary falls back to the raw rows) until rolled up again.
    _set_rollout(attribution_window_hours=48)
    _same(feed_summary(days=7, now=now), feed_summary_raw(days=7, now=now))
    assert len(rollup.rollup_due(now=now)) == 30 * 24 - 1
    _same(feed_summary(days=7, now=now), feed_summary_raw(days=7, now=now))


def test_a_batch_written_twice_adds_nothing_the_second_time(ana, ana_client, ben):
    from atelier.feed.tests.helpers import get_feed, post

    for hours in range(1, 4):
        post(ben, hours)
    page = get_feed(ana_client, page_size=3)
    ana_client.get(f"/api/posts/{page['results'][0]['id']}/")
    pages, opens = exposures._buffer.take(ready_only=False)
    batch = exposures.batch_payload(pages, opens)

    assert exposures.write_batch(batch) == 3
    assert exposures.write_batch(batch) == 3  # a retried task
    assert ExposedPost.objects.count() == 3
    assert PostOpen.objects.count() == 1
    assert PostOpen.objects.get().open_id == uuid.UUID(batch["opens"][0]["open_id"])


def test_flush_runs_the_write_task_inline_without_a_broker(ana, ana_client, ben):
    from atelier.feed.tests.helpers import get_feed, post

    assert settings.TASKS_INLINE and app.conf.task_always_eager
    post(ben, 1)
    get_feed(ana_client)
    assert exposures.flush() == 1
    assert ExposedPost.objects.count() == 1


@pytest.mark.slow
def test_the_scheduled_tasks_run_inline(fortnight, now):
    assert rollup_analytics.delay().get() == 30 * 24 - 1
    _set_rollout(retention_days=5)
    deleted = prune_analytics.delay().get()
    assert deleted > 0
    cutoff = timezone.now() - timedelta(days=5)
    assert not ExposedPost.objects.filter(served_at__lt=cutoff).exists()
    assert not PostOpen.objects.filter(opened_at__lt=cutoff).exists()
    assert not PostDwell.objects.filter(recorded_at__lt=cutoff).exists()
    assert PostDwell.objects.exists()


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_worker_and_scheduler_refuse_to_start_without_a_broker():
    for command in ("worker", "scheduler"):
        with pytest.raises(CommandError, match="TASKS_BROKER_URL is not set"):
            call_command(command)
