"""GET /api/analytics/summary/: exact figures on a hand-built month, access, parameters, cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from atelier.analytics.models import FeedRollout, Variant
from atelier.analytics.rollout import load_rollout, save_rollout
from atelier.analytics.tests.factories import breakdown_for, expose_page, open_post
from atelier.core.tests.factories import UserFactory
from atelier.feed.components import NAMES as COMPONENTS
from atelier.feed.config import load_ranking, save_ranking
from atelier.feed.models import RankingConfig
from atelier.feed.tests.factories import AppreciationFactory
from atelier.feed.tests.reference import API_WEIGHTS
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/api/analytics/summary/"
P, C = Variant.PERSONALIZED.value, Variant.CHRONOLOGICAL.value


def _points(score: float) -> dict:
    # Component i of a post scored s has s * (i + 1) points: every mean is checkable.
    return breakdown_for({name: score * (i + 1) for i, name in enumerate(COMPONENTS)})


@pytest.fixture
def month(ana, ben, cleo):
    """A month of exposures, hand-built so that every figure of the summary is known.

    ana (personalized) saw page A three days ago and page B a day ago; ben (chronological)
    saw page C two days ago, and page D forty days ago (outside the 30 days asked for).
    """
    now = timezone.now()
    dan = UserFactory(username="dan")
    p1 = PostFactory(author=cleo, post_type="image")
    p2 = PostFactory(author=cleo, post_type="poem")
    p3 = PostFactory(author=dan, post_type="image")
    p4 = PostFactory(author=dan, post_type="music")
    t_a, t_b, t_c = now - timedelta(days=3), now - timedelta(days=1), now - timedelta(days=2)
    h = timedelta(hours=1)

    expose_page(
        ana,
        [p1, p2, p3],
        variant=P,
        served_at=t_a,
        scores=[10.0, 6.0, 4.0],
        breakdowns=[_points(10.0), _points(6.0), _points(4.0)],
        response_ms=100.0,
    )
    expose_page(
        ana,
        [p1, p2],
        variant=P,
        served_at=t_b,
        scores=[8.0, 2.0],
        breakdowns=[_points(8.0), _points(2.0)],
        response_ms=300.0,
        first_position=21,
    )
    expose_page(ben, [p3, p4, p1], variant=C, served_at=t_c, response_ms=50.0)
    expose_page(ben, [p2], variant=C, served_at=now - timedelta(days=40), response_ms=999.0)

    # Engaged: A-p1 (heart 2 h after), B-p2 (critique 1 h after), C-p3 (comment 23 h after).
    AppreciationFactory(user=ana, post=p1, created_at=t_a + 2 * h)
    CritiqueFactory(author=ana, post=p2, created_at=t_b + h)
    CommentFactory(author=ben, post=p3, created_at=t_c + 23 * h)
    # Not engaged: too late (30 h), before the exposure, by someone not exposed.
    CommentFactory(author=ana, post=p2, created_at=t_a + 30 * h)
    AppreciationFactory(user=ana, post=p3, kind="praise", created_at=t_a - h)
    AppreciationFactory(user=cleo, post=p3, created_at=t_a + h)
    # Opened: A-p1 (1 h after) and C-p1 (10 min after); ben's open of p4 is 25 h late.
    open_post(ana, p1, t_a + h)
    open_post(ben, p1, t_c + timedelta(minutes=10))
    open_post(ben, p4, t_c + 25 * h)
    return {"now": now, "t_a": t_a, "t_b": t_b, "t_c": t_c}


@pytest.fixture
def staff_client(client_for):
    return client_for(UserFactory(username="ops", is_staff=True))


def summary(client, **params) -> dict:
    response = client.get(SUMMARY, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_variant_figures_count_exposures_engagement_and_opens(staff_client, month):
    body = summary(staff_client, days=30)

    assert body["variants"] == {
        P: {
            "pages": 2,
            "exposed_posts": 5,
            "engaged_posts": 2,
            "engagement_rate": 0.4,
            "opened_posts": 1,
            "click_through": 0.2,
        },
        C: {
            "pages": 1,
            "exposed_posts": 3,
            "engaged_posts": 1,
            "engagement_rate": pytest.approx(1 / 3),
            "opened_posts": 1,
            "click_through": pytest.approx(1 / 3),
        },
    }
    assert body["window"]["days"] == 30
    assert body["window"]["attribution_window_hours"] == 24


def test_engagement_over_time_has_every_day_and_variant(staff_client, month):
    body = summary(staff_client, days=30)

    series = {(row["date"], row["variant"]): row for row in body["engagement_over_time"]}
    assert len(body["engagement_over_time"]) == 2 * 31
    day = {k: month[k].date().isoformat() for k in ("t_a", "t_b", "t_c")}
    assert series[(day["t_a"], P)] == {
        "date": day["t_a"],
        "variant": P,
        "exposed_posts": 3,
        "engaged_posts": 1,
        "engagement_rate": pytest.approx(1 / 3),
    }
    assert series[(day["t_b"], P)]["exposed_posts"] == 2
    assert series[(day["t_b"], P)]["engagement_rate"] == 0.5
    assert series[(day["t_c"], C)]["engaged_posts"] == 1
    assert series[(day["t_c"], P)]["exposed_posts"] == 0
    assert series[(day["t_c"], P)]["engagement_rate"] is None
    assert sum(row["exposed_posts"] for row in body["engagement_over_time"]) == 8


def test_score_components_diversity_and_latency(staff_client, month):
    body = summary(staff_client, days=30)

    scores = body["score_by_post_type"]
    assert set(scores) == {"image", "poem"}  # chronological exposures have no score
    assert scores["image"]["exposed_posts"] == 3
    assert scores["image"]["mean_score"] == pytest.approx(22 / 3)
    assert scores["poem"]["mean_score"] == pytest.approx(4.0)
    for i, name in enumerate(COMPONENTS):
        assert scores["image"]["components"][name] == pytest.approx(22 / 3 * (i + 1))
        assert scores["poem"]["components"][name] == pytest.approx(4.0 * (i + 1))
        # The dashboard draws mean contributions: current weight x mean points, served.
        assert scores["image"]["contributions"][name] == pytest.approx(
            API_WEIGHTS[name] * 22 / 3 * (i + 1)
        )

    # Page A: cleo, cleo, dan / image, poem, image. Page B: cleo, cleo / image, poem.
    # Page C: dan, dan, cleo / image, music, image.
    assert body["diversity"] == {
        P: {"authors_per_page": 1.5, "post_types_per_page": 2.0},
        C: {"authors_per_page": 2.0, "post_types_per_page": 2.0},
    }
    # percentile_cont over the pages' times: 100 and 300 ms; a single page of 50 ms.
    assert body["latency_ms"][P] == {
        "p50": pytest.approx(200.0),
        "p95": pytest.approx(290.0),
        "p99": pytest.approx(298.0),
        "pages": 2,
    }
    assert body["latency_ms"][C] == {"p50": 50.0, "p95": 50.0, "p99": 50.0, "pages": 1}
    assert set(body["cache"]) == {"relations", "snapshot"}


def test_a_longer_period_and_a_narrower_source(staff_client, month):
    everything = summary(staff_client, days=60)
    assigned = summary(staff_client, days=60, source="assigned")

    assert everything["variants"][C]["pages"] == 2
    assert everything["variants"][C]["exposed_posts"] == 4
    assert everything["latency_ms"][C]["p50"] == pytest.approx(524.5)
    # Every page of the month was assigned by the rollout.
    assert assigned["variants"] == everything["variants"]
    assert assigned["latency_ms"] == everything["latency_ms"]
    assert summary(staff_client, days=60, source="explicit")["variants"][P]["pages"] == 0


def test_an_empty_period_has_zeros_and_nulls(staff_client):
    body = summary(staff_client, days=1)

    assert body["variants"][P] == {
        "pages": 0,
        "exposed_posts": 0,
        "engaged_posts": 0,
        "engagement_rate": None,
        "opened_posts": 0,
        "click_through": None,
    }
    assert body["score_by_post_type"] == {}
    assert body["diversity"][C] == {"authors_per_page": None, "post_types_per_page": None}
    assert body["latency_ms"][P] == {"p50": None, "p95": None, "p99": None, "pages": 0}
    assert body["dwell"][C] == {
        "seconds": 0.0,
        "viewed_posts": 0,
        "seconds_per_page": None,
        "seconds_per_exposed_post": None,
        "seconds_per_viewed_post": None,
    }
    assert body["dwell_unattributed"] == {"seconds": 0.0, "reports": 0}


def test_a_longer_attribution_window_counts_later_engagement(
    staff_client, month, django_capture_on_commit_callbacks
):
    row = FeedRollout.objects.get(pk=1)
    row.attribution_window_hours = 36
    with django_capture_on_commit_callbacks(execute=True):
        save_rollout(row)

    # ana's comment on p2 30 h after page A now counts; ben's open of p4 (25 h) too.
    body = summary(staff_client, days=30)
    assert body["variants"][P]["engaged_posts"] == 3
    assert body["variants"][C]["opened_posts"] == 2


def test_summary_is_for_staff_only(anon_client, ana_client):
    assert anon_client.get(SUMMARY).status_code == 401
    assert ana_client.get(SUMMARY).status_code == 403


@pytest.mark.parametrize(
    "params", [{"days": 0}, {"days": -3}, {"days": "x"}, {"days": 367}, {"source": "mine"}]
)
def test_bad_parameters_are_400(staff_client, params):
    response = staff_client.get(SUMMARY, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_mean_contributions_follow_the_current_weights(
    staff_client, month, django_capture_on_commit_callbacks
):
    row, _ = RankingConfig.objects.get_or_create(pk=1)
    row.weight_social = 0.5
    with django_capture_on_commit_callbacks(execute=True):
        save_ranking(row)

    scores = summary(staff_client, days=30)["score_by_post_type"]

    social = COMPONENTS.index("social")
    assert scores["poem"]["contributions"]["social"] == pytest.approx(0.5 * 4.0 * (social + 1))


def test_summary_query_count_is_pinned(staff_client, month, django_assert_num_queries):
    load_rollout()  # cached, as on a running site
    load_ranking()
    staff_client.get(SUMMARY)  # the token's user is read once per request

    # The token; then, in a transaction (a savepoint and its release here; on PostgreSQL
    # "SET LOCAL jit"): the rollup's day buckets, its hour buckets (none here), the raw
    # figures with attribution, the raw pages, and the raw time on screen (attributed,
    # unattributed). test_rollup.py pins it with stored buckets.
    expected = 1 + 2 + (1 if connection.vendor == "postgresql" else 0) + 2 + 2 + 2
    with django_assert_num_queries(expected):
        summary(staff_client, days=30)
