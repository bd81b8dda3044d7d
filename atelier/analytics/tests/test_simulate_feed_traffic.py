"""`atelier simulate_feed_traffic`: real feed pages, spread over past days, for the dashboard."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from atelier.analytics.models import ExposedPost, PostDwell, RollupBucket
from atelier.analytics.rollout import load_rollout
from atelier.analytics.selectors import feed_summary, feed_summary_raw
from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.post.tests.factories import PostFactory


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("simulate_feed_traffic", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def community(db):
    """Two members who are fellows and thirty posts between them."""
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    FellowFactory(user=ana, fellow_user=ben)
    for i in range(30):
        PostFactory(author=ana if i % 3 else ben)
    return ana, ben


def test_pages_are_recorded_and_spread_over_the_past_days(community):
    output = run("--sessions", "6", "--days", "5", "--rollout-percentage", "50")

    rows = ExposedPost.objects.all()
    assert rows.count() == 6 * 20
    assert len(set(rows.values_list("page_id", flat=True))) == 6
    now = timezone.now()
    for served_at in rows.values_list("served_at", flat=True):
        assert now - timedelta(days=5, minutes=1) <= served_at <= now
    assert load_rollout().percentage == 50
    assert "6 feed sessions" in output


def test_time_on_screen_is_reported_and_counts_for_the_pages(community):
    run("--sessions", "6", "--days", "5", "--rollout-percentage", "50")

    reports = PostDwell.objects.all()
    # Every session scrolls past at least three posts, each reported once, after its page.
    assert reports.count() >= 6 * 3
    assert all(0 < seconds <= 300 for seconds in reports.values_list("seconds", flat=True))
    summary = feed_summary(days=6)
    attributed = sum(figures["seconds"] for figures in summary["dwell"].values())
    assert attributed == pytest.approx(sum(reports.values_list("seconds", flat=True)))
    assert summary["dwell_unattributed"]["seconds"] == 0.0


def test_if_empty_does_nothing_once_traffic_exists(community):
    run("--sessions", "2")
    before = ExposedPost.objects.count()

    assert "nothing to do" in run("--sessions", "2", "--if-empty")
    assert ExposedPost.objects.count() == before


def test_refuses_an_empty_community(db):
    with pytest.raises(CommandError):
        run("--sessions", "1")


def test_refuses_a_percentage_out_of_range(community):
    with pytest.raises(CommandError):
        run("--rollout-percentage", "101")


def test_personalized_for_puts_that_member_in_the_personalized_group(community):
    ana, _ = community
    run("--sessions", "1", "--rollout-percentage", "10", "--personalized-for", "ana")

    rollout = load_rollout()
    assert rollout.percentage == 10
    assert rollout.variant_for(ana.id) == "personalized"


def test_personalized_for_an_unknown_member_is_refused(community):
    with pytest.raises(CommandError):
        run("--rollout-percentage", "50", "--personalized-for", "nobody")


def test_the_simulated_traffic_is_rolled_up_so_the_summary_reads_little_raw(community):
    """Issue 17: `make demo` runs no scheduler, so the dashboard's summary aggregated every
    simulated exposure from the raw rows (5-6 s on the demo's SQLite database). The command
    now rolls up what it wrote: the summary reads its whole days from day buckets."""
    run("--sessions", "6", "--days", "5", "--rollout-percentage", "50")

    now = timezone.now()
    days = RollupBucket.objects.filter(hours=24).values_list("start", flat=True)
    # The whole UTC days of the simulated period are stored (the last day or two may wait
    # for their attribution window to close: those are read raw, as are the partial hours).
    assert len(days) >= 3
    assert all(start + timedelta(days=1) <= now for start in days)
    # ... and the stored figures are those of the raw rows.
    summary, raw = feed_summary(days=6, now=now), feed_summary_raw(days=6, now=now)
    assert summary["engagement_over_time"] == raw["engagement_over_time"]
