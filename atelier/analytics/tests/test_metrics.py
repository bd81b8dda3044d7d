"""GET /metrics: the Prometheus exposition, who may read it, and what it counts."""

import pytest
from prometheus_client import REGISTRY

from atelier.analytics import exposures
from atelier.core.tests.factories import UserFactory
from atelier.feed.tests.helpers import get_feed, post

pytestmark = pytest.mark.django_db

METRIC_NAMES = [
    "atelier_http_request_duration_seconds",
    "atelier_feed_cache_hits_total",
    "atelier_feed_cache_misses_total",
    "atelier_feed_snapshot_builds_total",
    "atelier_feed_pages_served_total",
    "atelier_feed_exposures_written_total",
    "atelier_analytics_post_opens_written_total",
    "atelier_analytics_records_dropped_total",
]


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_metrics_expose_every_metric_name(anon_client, settings):
    settings.METRICS_PUBLIC = True
    text = scrape(anon_client)

    for name in METRIC_NAMES:
        assert f"# TYPE {name.removesuffix('_total')}" in text, name


def test_metrics_are_for_staff_unless_public(anon_client, ana_client, client_for, settings):
    settings.METRICS_PUBLIC = False

    assert anon_client.get("/metrics").status_code == 401
    assert ana_client.get("/metrics").status_code == 403
    scrape(client_for(UserFactory(username="ops", is_staff=True)))
    assert anon_client.post("/metrics").status_code == 405


def test_staff_signed_in_to_the_admin_may_scrape(client, settings):
    settings.METRICS_PUBLIC = False
    client.force_login(UserFactory(username="ops", is_staff=True))
    assert client.get("/metrics").status_code == 200


def test_request_latency_is_labelled_by_route_not_path(ana_client, ben):
    first, second = post(ben, 1), post(ben, 2)
    route = {"route": "/api/posts/<int:pk>/", "method": "GET", "status": "2xx"}
    before = value("atelier_http_request_duration_seconds_count", **route)

    ana_client.get(f"/api/posts/{first.id}/")
    ana_client.get(f"/api/posts/{second.id}/")
    ana_client.get("/no/such/page/")

    assert value("atelier_http_request_duration_seconds_count", **route) == before + 2
    assert value(
        "atelier_http_request_duration_seconds_count",
        route="<unmatched>",
        method="GET",
        status="4xx",
    )


def test_feed_cache_builds_pages_and_exposures_are_counted(ana_client, ben):
    post(ben, 1)
    post(ben, 2)
    before = {
        "builds": value("atelier_feed_snapshot_builds_total"),
        "miss": value("atelier_feed_cache_misses_total", level="snapshot"),
        "hit": value("atelier_feed_cache_hits_total", level="snapshot"),
        "pages": value("atelier_feed_pages_served_total", variant="personalized"),
        "written": value("atelier_feed_exposures_written_total"),
    }

    get_feed(ana_client)  # cold: a snapshot miss and a build
    get_feed(ana_client)  # warm: a snapshot hit
    exposures.flush()

    assert value("atelier_feed_snapshot_builds_total") == before["builds"] + 1
    assert value("atelier_feed_cache_misses_total", level="snapshot") == before["miss"] + 1
    assert value("atelier_feed_cache_hits_total", level="snapshot") == before["hit"] + 1
    assert value("atelier_feed_pages_served_total", variant="personalized") == before["pages"] + 2
    assert value("atelier_feed_exposures_written_total") == before["written"] + 4
