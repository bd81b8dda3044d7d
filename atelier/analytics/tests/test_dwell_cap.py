"""The cap on time on screen: the seconds credited to one post from one served page never
exceed the wall-clock time since that page was served, however many reports say more,
and however many arrive at once (docs/analytics.md, "The cap").

Each figure is checked between two bounds read from the clock around the requests, so no
test depends on how long it takes.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from atelier.analytics import exposures
from atelier.analytics.dwell import prune_dwell
from atelier.analytics.models import DwellCredit, PostDwell
from atelier.analytics.selectors import feed_summary
from atelier.analytics.tests.factories import expose_page
from atelier.core.tests.helpers import run_concurrently
from atelier.post.tests.factories import PostFactory

DWELL = "/api/analytics/dwell/"


def report(client, post, seconds):
    return client.post(DWELL, {"items": [{"post": post.id, "seconds": seconds}]}, format="json")


def credited(user, post) -> float:
    return sum(
        PostDwell.objects.filter(user_id=user.id, post_id=post.id).values_list("seconds", flat=True)
    )


def since(moment) -> float:
    return (timezone.now() - moment).total_seconds()


@pytest.mark.django_db
def test_many_reports_of_300_seconds_add_up_to_the_time_since_the_page(ana, ana_client, ben):
    post = PostFactory(author=ben)
    served_at = timezone.now() - timedelta(seconds=100)
    expose_page(ana, [post], variant="chronological", served_at=served_at)

    codes = {report(ana_client, post, 300).status_code for _ in range(30)}

    assert codes == {204}  # accepted, credited only up to the cap
    assert 100 <= credited(ana, post) <= since(served_at)
    # The staff summary shows no more than that either.
    summary = feed_summary(days=1)
    assert 100 <= summary["dwell"]["chronological"]["seconds"] <= since(served_at)


@pytest.mark.django_db
def test_an_over_cap_report_is_credited_up_to_the_cap_and_the_next_gets_only_new_time(
    ana, ana_client, ben
):
    post = PostFactory(author=ben)
    served_at = timezone.now() - timedelta(seconds=30)
    expose_page(ana, [post], variant="chronological", served_at=served_at)

    assert report(ana_client, post, 300).status_code == 204
    first = credited(ana, post)
    assert 30 <= first <= since(served_at)
    # What is left under the cap is only the time passed since: a few milliseconds.
    report(ana_client, post, 300)
    assert credited(ana, post) <= since(served_at)


@pytest.mark.django_db
def test_cards_on_screen_together_each_have_the_cap(ana, ana_client, ben):
    posts = [PostFactory(author=ben) for _ in range(3)]
    served_at = timezone.now() - timedelta(seconds=20)
    expose_page(ana, posts, variant="chronological", served_at=served_at)

    items = [{"post": p.id, "seconds": 20} for p in posts]
    assert ana_client.post(DWELL, {"items": items}, format="json").status_code == 204

    assert [credited(ana, p) for p in posts] == [20.0] * 3  # the page's total: 60 s


@pytest.mark.django_db
def test_a_report_counts_against_the_latest_page_that_showed_the_post(ana, ana_client, ben):
    post = PostFactory(author=ben)
    expose_page(ana, [post], variant="chronological", served_at=timezone.now() - timedelta(hours=2))
    recent = timezone.now() - timedelta(seconds=5)
    expose_page(ana, [post], variant="personalized", served_at=recent)

    report(ana_client, post, 300)

    assert 5 <= credited(ana, post) <= since(recent)
    assert DwellCredit.objects.get().served_at == recent


@pytest.mark.django_db
def test_a_post_no_page_showed_within_the_window_is_not_credited(ana, ana_client, ben):
    never_shown = PostFactory(author=ben)
    long_ago = PostFactory(author=ben)
    expose_page(
        ana, [long_ago], variant="chronological", served_at=timezone.now() - timedelta(days=3)
    )
    shown_to_ben = PostFactory(author=ana)
    expose_page(
        ben, [shown_to_ben], variant="chronological", served_at=timezone.now() - timedelta(hours=1)
    )

    for post in (never_shown, long_ago, shown_to_ben):
        assert report(ana_client, post, 10).status_code == 204

    assert not PostDwell.objects.exists()


@pytest.mark.django_db
def test_a_page_not_written_yet_is_found_through_its_mark(ana, ana_client, ben):
    post = PostFactory(author=ben)
    before = timezone.now()
    assert ana_client.get("/api/posts/", {"ordering": "chronological"}).status_code == 200
    assert exposures.buffer_stats()["pending_pages"] == 1  # its exposures wait in the buffer

    report(ana_client, post, 300)

    # Credited, to the page just served: at most the few milliseconds since.
    first = credited(ana, post)
    assert 0 < first <= since(before)
    # Once the exposures are written, the same page (the same running total) is found.
    exposures.flush()
    report(ana_client, post, 300)
    assert DwellCredit.objects.count() == 1
    assert credited(ana, post) <= since(before)


@pytest.mark.django_db
def test_pruning_removes_old_running_totals(ana, ana_client, ben):
    post = PostFactory(author=ben)
    expose_page(ana, [post], variant="chronological", served_at=timezone.now() - timedelta(hours=1))
    report(ana_client, post, 5)
    DwellCredit.objects.update(served_at=timezone.now() - timedelta(days=40))

    prune_dwell(older_than_days=30)

    assert not DwellCredit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_do_not_both_pass_the_cap(ana, ben):
    # Eight reports of 30 s for a page served 50 s ago, at the same instant, each on its own
    # connection: without the locked running total each would see 0 credited (240 s).
    post = PostFactory(author=ben)
    served_at = timezone.now() - timedelta(seconds=50)
    expose_page(ana, [post], variant="chronological", served_at=served_at)
    token = Token.objects.create(user=ana).key

    def send(client, _i):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return report(client, post, 30).status_code

    codes = run_concurrently(send, 8)

    assert codes == [204] * 8
    assert 50 <= credited(ana, post) <= since(served_at)
    assert DwellCredit.objects.get().seconds == pytest.approx(credited(ana, post))
