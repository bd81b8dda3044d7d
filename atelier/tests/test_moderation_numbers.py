"""Moderation's numbers: /metrics and the staff dashboard's card (issue 18).

Personas: Ana reports; Ben wrote the reported posts and appeals; Mod is staff and decides.
The history is built through the services, then its times are set, so every figure below
is worked out by hand from the table in `history`.
"""

import math
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from atelier.core.tests.factories import UserFactory
from atelier.moderation import metrics as moderation_metrics
from atelier.moderation.models import Decision, Report
from atelier.moderation.selectors import moderation_figures
from atelier.moderation.services import (
    appeal_create,
    appeal_decide,
    moderation_act,
    report_create,
)
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

HOUR, DAY = 3600, 86400


@pytest.fixture
def mod(db):
    return UserFactory(username="mod", is_staff=True)


@pytest.fixture
def history(ana, ben, mod):
    """Reports on Ben's posts, filed and decided this long ago (seconds):

    | report | filed   | decided | outcome   | wait     |
    | A      | 10 h    | 8 h     | resolved  | 2 h      |
    | B      | 3 days  | 2 days  | resolved  | 1 day    |
    | C      | 1 h     | 30 min  | dismissed | 30 min   |
    | D      | 30 days | 20 days | resolved  | 10 days  |
    | E      | 50 days | 40 days | dismissed | 10 days  |  (outside 30 days)
    | three open ones, filed 5 h, 2 h and 10 min ago |

    Ben appealed A's decision (open) and B's (upheld).
    """
    now = timezone.now()

    def report(filed: int):
        post = PostFactory(author=ben)
        filed_report, _ = report_create(
            reporter=ana, target_type="post", target_id=post.id, category="spam", text=""
        )
        Report.objects.filter(pk=filed_report.pk).update(created_at=now - timedelta(seconds=filed))
        return post, filed_report

    def decided(filed: int, ago: int, action: str = "remove") -> Decision:
        post, filed_report = report(filed)
        decision = moderation_act(
            actor=mod,
            target_type="post",
            target_id=post.id,
            action=action,
            reason="Spam.",
            report_ids=[filed_report.id],
        )
        Decision.objects.filter(pk=decision.pk).update(created_at=now - timedelta(seconds=ago))
        return decision

    a = decided(10 * HOUR, 8 * HOUR)
    b = decided(3 * DAY, 2 * DAY)
    decided(HOUR, HOUR // 2, action="dismiss")
    decided(30 * DAY, 20 * DAY)
    decided(50 * DAY, 40 * DAY, action="dismiss")
    for filed in (5 * HOUR, 2 * HOUR, 600):
        report(filed)
    appeal_create(user=ben, decision_id=a.id, text="It was a joke.")
    upheld = appeal_create(user=ben, decision_id=b.id, text="Please look again.")
    appeal_decide(actor=mod, appeal_id=upheld.id, outcome="uphold", reason="Still spam.")
    return now


def test_the_figures_of_the_queue(history, django_assert_num_queries):
    with django_assert_num_queries(6):
        figures = moderation_figures(now=history)

    assert figures.open_reports == 3
    assert figures.oldest_open_seconds == 5 * HOUR
    assert figures.decided == {"resolved": 3, "dismissed": 2}
    assert figures.open_appeals == 1
    # Waits in 30 days: 30 min, 2 h, 1 day, 10 days. Nearest rank: the 2nd and the 4th.
    assert figures.decided_in_window == 4
    assert figures.decision_seconds == {0.5: 2 * HOUR, 0.9: 10 * DAY}


def test_a_shorter_window_leaves_older_decisions_out(history):
    figures = moderation_figures(window_days=7, now=history)

    # Waits in 7 days: 30 min, 2 h, 1 day.
    assert figures.decided_in_window == 3
    assert figures.decision_seconds == {0.5: 2 * HOUR, 0.9: DAY}
    assert figures.decided == {
        "resolved": 3,
        "dismissed": 2,
    }  # since the start, whatever the window


def test_an_empty_queue(db, django_assert_num_queries):
    with django_assert_num_queries(4):  # nothing decided: no quantile to read
        figures = moderation_figures()

    assert (figures.open_reports, figures.oldest_open_seconds, figures.open_appeals) == (0, 0, 0)
    assert figures.decided == {"resolved": 0, "dismissed": 0}
    assert figures.decision_seconds == {0.5: None, 0.9: None}


def scrape(client_for, mod) -> dict[tuple, float]:
    response = client_for(mod).get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
        if sample.name.startswith("atelier_moderation_")
    }


def test_metrics_report_the_queue(history, client_for, mod):
    samples = scrape(client_for, mod)

    assert samples[("atelier_moderation_reports_open", ())] == 3
    assert 5 * HOUR <= samples[("atelier_moderation_oldest_open_report_age_seconds", ())] < 6 * HOUR
    decided = "atelier_moderation_reports_decided_total"
    assert samples[(decided, (("outcome", "resolved"),))] == 3
    assert samples[(decided, (("outcome", "dismissed"),))] == 2
    assert samples[("atelier_moderation_reports_decided_recent", ())] == 4
    waits = "atelier_moderation_time_to_decision_seconds"
    assert samples[(waits, (("quantile", "0.5"),))] == 2 * HOUR
    assert samples[(waits, (("quantile", "0.9"),))] == 10 * DAY
    assert samples[("atelier_moderation_appeals_open", ())] == 1


def test_metrics_follow_a_decision_at_the_next_scrape(history, client_for, ana, ben, mod):
    post = PostFactory(author=ben)
    report_create(reporter=ana, target_type="post", target_id=post.id, category="hate", text="")
    assert scrape(client_for, mod)[("atelier_moderation_reports_open", ())] == 4

    moderation_act(actor=mod, target_type="post", target_id=post.id, action="dismiss", reason="")

    samples = scrape(client_for, mod)
    assert samples[("atelier_moderation_reports_open", ())] == 3
    assert samples[("atelier_moderation_reports_decided_total", (("outcome", "dismissed"),))] == 3


def test_with_nothing_decided_the_time_to_a_decision_is_nan(db, client_for, mod):
    samples = scrape(client_for, mod)

    assert math.isnan(
        samples[("atelier_moderation_time_to_decision_seconds", (("quantile", "0.5"),))]
    )
    assert samples[("atelier_moderation_reports_open", ())] == 0


def test_metrics_still_answer_when_the_figures_cannot_be_read(db, client_for, mod, monkeypatch):
    def down(**kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(moderation_metrics, "moderation_figures", down)
    response = client_for(mod).get("/metrics")

    assert response.status_code == 200
    text = response.content.decode()
    assert "atelier_http_request_duration_seconds" in text
    assert "atelier_moderation_reports_open " not in text


def test_the_dashboard_has_a_moderation_card(history, client, mod):
    client.force_login(mod)

    page = client.get("/dashboard/").content.decode()

    card = page[
        page.index('id="card-moderation"') : page.index(
            "</section>", page.index('id="card-moderation"')
        )
    ]
    assert 'href="/moderation/"' in card
    assert '<div class="kpi-value">3</div>' in card  # open reports
    assert "oldest filed 5\xa0hours ago" in card
    assert '<div class="kpi-value">4</div>' in card  # decided in 30 days
    assert "3 resolved, 2 dismissed" in card
    assert '<div class="kpi-value">2.0 h</div>' in card  # the median wait
    assert "9 in 10 within 10.0 days" in card
    assert '<div class="kpi-value">1</div>' in card  # open appeals


def test_the_card_follows_the_period_of_the_dashboard(history, client, mod):
    client.force_login(mod)

    page = client.get("/dashboard/?days=7").content.decode()

    assert "decisions over the last 7 days" in page
    assert "9 in 10 within 1.0 days" in page


def test_an_empty_card_says_so(db, client, mod):
    client.force_login(mod)

    page = client.get("/dashboard/").content.decode()

    assert "none waiting" in page
    assert '<div class="kpi-value">—</div>' in page
    assert "no report decided in 30 days" in page
