"""Exposures and post opens: recorded without a query on the request, written by flush(),
bounded, pruned."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.analytics import exposure_rows, exposures
from atelier.analytics.models import ExposedPost, PostOpen
from atelier.analytics.tests.factories import expose_page, open_post
from atelier.feed.components import shown
from atelier.feed.config import default_ranking
from atelier.feed.tests.helpers import get_feed, post

# What a default breakdown holds: docs/api.md's components.
COMPONENTS = shown(default_ranking())

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_of_ben(ben):
    """Five posts by ben, an hour apart."""
    return [post(ben, hours, post_type="poem" if hours % 2 else "image") for hours in range(1, 6)]


def written(**filters) -> list[ExposedPost]:
    return list(ExposedPost.objects.filter(**filters).order_by("served_at", "position"))


def test_a_personalized_page_is_recorded_with_positions_scores_and_breakdowns(
    ana, ana_client, feed_of_ben
):
    page = get_feed(ana_client, page_size=3, explain=True)
    assert ExposedPost.objects.count() == 0  # nothing written on the request path

    assert exposures.flush() == 3
    rows = written()
    assert [r.post_id for r in rows] == [p["id"] for p in page["results"]]
    assert [r.position for r in rows] == [1, 2, 3]
    assert {r.user_id for r in rows} == {ana.id}
    assert {r.variant for r in rows} == {"personalized"}
    assert {r.explicit_ordering for r in rows} == {False}
    assert len({r.page_id for r in rows}) == 1
    for row, item in zip(rows, page["results"], strict=True):
        assert row.score == pytest.approx(item["score"])
        assert row.breakdown == pytest.approx(item["score_breakdown"])
        assert set(COMPONENTS) <= set(row.breakdown)
        assert row.post_type == item["post_type"]
        assert row.author_id == item["author"]["id"]
        assert row.response_ms is not None and row.response_ms > 0


def test_later_pages_continue_the_positions(ana_client, feed_of_ben):
    first = get_feed(ana_client, page_size=2)
    ana_client.get(first["next"])
    exposures.flush()

    pages = {}
    for row in written():
        pages.setdefault(row.page_id, []).append(row.position)
    assert sorted(pages.values()) == [[1, 2], [3, 4]]


def test_a_chronological_page_has_no_scores(ana_client, feed_of_ben):
    get_feed(ana_client, ordering="chronological")
    exposures.flush()

    rows = written()
    assert len(rows) == 5
    assert {(r.variant, r.score, r.breakdown, r.explicit_ordering) for r in rows} == {
        ("chronological", None, None, True)
    }


def test_anonymous_pages_are_not_recorded(anon_client, feed_of_ben):
    get_feed(anon_client)
    assert exposures.flush() == 0


def test_recording_costs_the_request_no_query(ana_client, feed_of_ben):
    get_feed(ana_client)  # warm the caches
    with CaptureQueriesContext(connection) as ctx:
        get_feed(ana_client)

    assert not any("analytics_" in q["sql"] for q in ctx.captured_queries)
    assert exposures.buffer_stats()["pending_pages"] == 2


def test_at_most_fifty_posts_of_a_page_are_recorded(ana_client, ben):
    for hours in range(1, 81):
        post(ben, hours)
    page = get_feed(ana_client, page_size=80, ordering="chronological")
    assert len(page["results"]) == 80

    assert exposures.flush() == exposures.MAX_POSTS_PER_PAGE == 50
    assert [r.position for r in written()] == list(range(1, 51))


def test_a_full_buffer_drops_the_oldest_pages_and_counts_them(ana_client, feed_of_ben, settings):
    settings.EXPOSURE_BUFFER_PAGES = 3
    for size in (1, 2, 3, 4, 5):
        get_feed(ana_client, page_size=size, ordering="chronological")

    assert exposures.buffer_stats() == {
        "pending_pages": 3,
        "pending_opens": 0,
        "dropped_pages": 2,
        "dropped_opens": 0,
    }
    assert exposures.flush() == 3 + 4 + 5


def test_the_buffer_is_written_after_a_response_when_it_holds_enough_pages(
    ana_client, feed_of_ben, settings
):
    settings.EXPOSURE_FLUSH_PAGES = 3
    get_feed(ana_client, page_size=1)
    get_feed(ana_client, page_size=1)
    assert ExposedPost.objects.count() == 0

    get_feed(ana_client, page_size=1)  # the third page: written once its response is done
    assert ExposedPost.objects.count() == 3
    assert exposures.buffer_stats()["pending_pages"] == 0


def test_the_buffer_is_written_after_a_response_when_it_is_old_enough(
    ana_client, feed_of_ben, settings
):
    settings.EXPOSURE_FLUSH_SECONDS = 0
    get_feed(ana_client, page_size=2)
    assert ExposedPost.objects.count() == 2


def test_a_page_still_being_rendered_waits_for_its_response_time(ana, feed_of_ben, rf):
    from atelier.feed.service import chronological_feed_page

    request = rf.get("/api/posts/")
    request.user = ana
    page = chronological_feed_page(ana, page=1, page_size=2, unseen=False)
    served = exposures.page_served(request, page, start=0, explicit_ordering=False)

    exposures.flush(ready_only=True)
    assert ExposedPost.objects.count() == 0  # not finished: kept for later
    exposures.page_finished(request, 0.0123)
    exposures.flush(ready_only=True)
    assert [r.response_ms for r in written()] == [pytest.approx(12.3)] * 2
    assert served.finished


def test_a_failed_write_drops_the_batch_and_counts_it(ana_client, feed_of_ben, monkeypatch):
    get_feed(ana_client)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ExposedPost.objects, "bulk_create", broken)
    assert exposures.flush() == 0
    assert exposures.buffer_stats()["dropped_pages"] == 1


def test_post_opens_are_recorded(ana, ana_client, feed_of_ben):
    target = feed_of_ben[0]
    assert ana_client.get(f"/api/posts/{target.id}/").status_code == 200
    assert ana_client.get("/api/posts/999999/").status_code == 404
    exposures.flush()

    assert list(PostOpen.objects.values_list("user_id", "post_id")) == [(ana.id, target.id)]


# --- Retention ----------------------------------------------------------------------------


@pytest.fixture
def old_and_new(ana, ben):
    target = post(ben, 1)
    now = timezone.now()
    for days in (45, 31, 29, 1):
        expose_page(ana, [target], variant="personalized", served_at=now - timedelta(days=days))
        open_post(ana, target, now - timedelta(days=days))
    return now


def test_prune_deletes_what_is_older_than_the_retention(old_and_new):
    assert exposures.prune(older_than_days=30) == 4

    assert ExposedPost.objects.count() == PostOpen.objects.count() == 2


def test_prune_works_in_batches(old_and_new, monkeypatch):
    monkeypatch.setattr(exposure_rows, "PRUNE_BATCH_SIZE", 1)
    assert exposures.prune(older_than_days=30, max_batches=1) == 2  # one of each table
    assert exposures.prune(older_than_days=30) == 2
    assert ExposedPost.objects.count() == 2


def test_the_prune_command_uses_the_retention_or_days(old_and_new, capsys):
    call_command("prune_exposures")
    assert "Deleted 4 rows older than 30 days" in capsys.readouterr().out

    call_command("prune_exposures", "--days", "2")
    assert ExposedPost.objects.count() == 1


def test_flushing_prunes_at_most_once_an_hour(old_and_new, ana_client, settings):
    settings.EXPOSURE_FLUSH_SECONDS = 0
    get_feed(ana_client)  # written after the response, and the old rows pruned
    assert ExposedPost.objects.filter(served_at__lt=old_and_new - timedelta(days=30)).count() == 0

    # Another old row: the next flush, within the hour, leaves it for later.
    ExposedPost.objects.create(
        user_id=1,
        variant="personalized",
        post_id=1,
        position=1,
        post_type="image",
        author_id=1,
        page_id=uuid.uuid4(),
        served_at=old_and_new - timedelta(days=40),
    )
    get_feed(ana_client)
    assert ExposedPost.objects.filter(served_at__lt=old_and_new - timedelta(days=30)).count() == 1
