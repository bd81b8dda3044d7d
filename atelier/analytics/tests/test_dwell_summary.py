"""Time on screen in the analytics summary: each dwell report counts for one variant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from atelier.analytics.models import Variant
from atelier.analytics.selectors import feed_summary
from atelier.analytics.tests.factories import dwell, expose_page
from atelier.core.tests.factories import UserFactory
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

P, C = Variant.PERSONALIZED.value, Variant.CHRONOLOGICAL.value
SECOND = timedelta(seconds=1)


@pytest.fixture
def looks(ana, ben, cleo):
    """Pages and what stayed on screen, hand-built so that every figure is known.

    Page A (personalized, assigned) showed ana p1, p2, p3 three days ago; page C
    (chronological, assigned) showed ben p3 and p4 two days ago; page B (chronological,
    explicit: ana chose "Newest") showed ana p1 again a day ago.
    """
    now = timezone.now()
    p1, p2, p3, p4 = (PostFactory(author=cleo) for _ in range(4))
    t_a, t_c, t_b = (now - timedelta(days=d) for d in (3, 2, 1))
    expose_page(ana, [p1, p2, p3], variant=P, served_at=t_a)
    expose_page(ben, [p3, p4], variant=C, served_at=t_c)
    expose_page(ana, [p1], variant=C, served_at=t_b, explicit_ordering=True)

    # Personalized: ana looked at p1 in two reports (4 + 6 s) and at p2 (5 s) after page A.
    dwell(ana, p1, 4.0, t_a + 10 * SECOND)
    dwell(ana, p1, 6.0, t_a + 25 * SECOND)
    dwell(ana, p2, 5.0, t_a + 60 * SECOND)
    # Chronological: ben at p3 after page C (8 s); ana at p1 after page B (4 s): the latest
    # page that showed her p1 counts, not page A.
    dwell(ben, p3, 8.0, t_c + 30 * SECOND)
    dwell(ana, p1, 4.0, t_b + 60 * SECOND)
    # Unattributed: ben was never shown p1; ana's report on p3 comes 30 h after page A,
    # past the 24 h attribution window.
    dwell(ben, p1, 3.0, t_c + 60 * SECOND)
    dwell(ana, p3, 2.0, t_a + timedelta(hours=30))
    return now


def test_time_on_screen_per_variant(looks):
    summary = feed_summary(days=30, now=looks)

    assert summary["variants"][P]["pages"] == 1 and summary["variants"][C]["pages"] == 2
    assert summary["dwell"] == {
        P: {
            "seconds": 15.0,
            "viewed_posts": 2,
            "seconds_per_page": 15.0,
            "seconds_per_exposed_post": 5.0,
            "seconds_per_viewed_post": 7.5,
        },
        C: {
            "seconds": 12.0,
            "viewed_posts": 2,
            "seconds_per_page": 6.0,
            "seconds_per_exposed_post": 4.0,
            "seconds_per_viewed_post": 6.0,
        },
    }
    assert summary["dwell_unattributed"] == {"seconds": 5.0, "reports": 2}


def test_the_period_and_the_source_filter_apply(looks):
    last_day = feed_summary(days=1, now=looks)
    assigned = feed_summary(days=30, now=looks, source="assigned")

    # Only page B is in the last day, and only ana's look after it.
    assert last_day["dwell"][C]["seconds"] == 4.0
    assert last_day["dwell"][P]["seconds"] == 0.0
    assert last_day["dwell"][P]["seconds_per_page"] is None
    assert last_day["dwell_unattributed"]["seconds"] == 0.0
    # Without the explicit page B, ana's last look at p1 has no exposure within the window.
    assert assigned["dwell"][C]["seconds"] == 8.0
    assert assigned["dwell"][P]["seconds"] == 15.0
    assert assigned["dwell_unattributed"] == {"seconds": 9.0, "reports": 3}


def test_the_summary_api_serves_the_dwell_figures(looks, client_for):
    staff = client_for(UserFactory(username="ops", is_staff=True))

    body = staff.get("/api/analytics/summary/", {"days": 30}).json()

    assert body["dwell"][P]["seconds_per_exposed_post"] == 5.0
    assert body["dwell"][C]["seconds_per_page"] == 6.0
    assert body["dwell_unattributed"]["reports"] == 2


def test_a_report_counts_in_the_period_of_its_page(ana, cleo):
    now = timezone.now()
    post = PostFactory(author=cleo)
    start = now - timedelta(days=1)
    # Served 10 minutes before the last day began, looked at 10 minutes after.
    expose_page(ana, [post], variant=P, served_at=start - 10 * 60 * SECOND)
    dwell(ana, post, 6.0, start + 10 * 60 * SECOND)

    last_day = feed_summary(days=1, now=now)
    two_days = feed_summary(days=2, now=now)

    # Its page is not in the last day: the report is neither counted nor unattributed.
    assert last_day["dwell"][P]["seconds"] == 0.0
    assert last_day["dwell_unattributed"] == {"seconds": 0.0, "reports": 0}
    assert two_days["dwell"][P]["seconds"] == 6.0


def test_viewed_posts_counts_each_page_that_showed_the_post(ana, cleo):
    now = timezone.now()
    post = PostFactory(author=cleo)
    first, second = now - timedelta(hours=5), now - timedelta(hours=2)
    expose_page(ana, [post], variant=P, served_at=first)
    expose_page(ana, [post], variant=P, served_at=second)
    # Two looks after the first page (one exposure looked at), one after the second.
    dwell(ana, post, 3.0, first + 10 * SECOND)
    dwell(ana, post, 2.0, first + 20 * SECOND)
    dwell(ana, post, 4.0, second + 10 * SECOND)

    figures = feed_summary(days=1, now=now)["dwell"][P]

    assert figures["seconds"] == 9.0
    assert figures["viewed_posts"] == 2
    assert figures["seconds_per_viewed_post"] == 4.5
