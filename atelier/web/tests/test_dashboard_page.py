"""GET /dashboard/: staff only; visitors are sent to log in, members get a 403 page."""

import pytest
from pytest_django.asserts import assertRedirects, assertTemplateUsed

from atelier.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stella(db):
    """Stella, staff: the one who reads the dashboard."""
    return UserFactory(username="stella", is_staff=True)


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/dashboard/")

    assertRedirects(response, "/login/?next=/dashboard/", fetch_redirect_response=False)


def test_a_member_who_is_not_staff_gets_a_403_page(client, ana):
    client.force_login(ana)

    response = client.get("/dashboard/")

    assert response.status_code == 403
    assertTemplateUsed(response, "web/forbidden.html")
    assert "This page is for staff" in response.content.decode()


def test_staff_get_the_dashboard(client, stella):
    client.force_login(stella)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assertTemplateUsed(response, "web/dashboard.html")
    page = response.content.decode()
    assert 'data-summary-url="/api/analytics/summary/?days=30"' in page
    for chart in ("chart-engagement", "chart-components", "chart-cache", "chart-latency"):
        assert f'id="{chart}"' in page
    assert "/static/web/charts.js" in page and "/static/web/dashboard.js" in page


@pytest.mark.parametrize(("query", "days"), [("?days=7", 7), ("?days=90", 90), ("?days=x", 30)])
def test_staff_can_choose_the_period(client, stella, query, days):
    client.force_login(stella)

    response = client.get("/dashboard/" + query)

    assert f"/api/analytics/summary/?days={days}" in response.content.decode()


def test_the_summary_the_dashboard_reads_is_staff_only(client, ana, stella):
    client.force_login(ana)
    assert client.get("/api/analytics/summary/?days=30").status_code == 403

    client.force_login(stella)
    response = client.get("/api/analytics/summary/?days=30")

    assert response.status_code == 200
    assert {"variants", "engagement_over_time", "score_by_post_type", "cache", "latency_ms"} <= set(
        response.json()
    )
