"""POST /api/analytics/dwell/: what is stored, what is refused (400), the beacon form, limits."""

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from atelier.analytics.dwell import MAX_ITEMS_PER_REPORT, MAX_SECONDS_PER_ITEM
from atelier.analytics.models import PostDwell
from atelier.analytics.tests.factories import expose_page
from atelier.collective.tests.factories import ChannelFactory
from atelier.core.tests.factories import BlockFactory
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

DWELL = "/api/analytics/dwell/"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def posts(ana, ben):
    """Three public posts by Ben, on a feed page served to Ana an hour ago (time on screen
    is credited to the page that showed a post, up to the time since it was served)."""
    shown = [PostFactory(author=ben, title=f"Study {i}") for i in range(3)]
    expose_page(ana, shown, variant="chronological", served_at=timezone.now() - timedelta(hours=1))
    return shown


def report(client, items):
    return client.post(DWELL, {"items": items}, format="json")


def stored(user) -> dict[int, float]:
    return dict(PostDwell.objects.filter(user_id=user.id).values_list("post_id", "seconds"))


def test_a_report_stores_seconds_per_post(ana, ana_client, posts):
    response = report(
        ana_client, [{"post": posts[0].id, "seconds": 4.5}, {"post": posts[1].id, "seconds": 12}]
    )

    assert response.status_code == 204
    assert stored(ana) == {posts[0].id: 4.5, posts[1].id: 12.0}
    # Each report is a row of its own: a long look is the sum of several.
    report(ana_client, [{"post": posts[0].id, "seconds": 3}])
    assert sum(PostDwell.objects.filter(post_id=posts[0].id).values_list("seconds", flat=True)) == (
        7.5
    )


def test_an_empty_report_is_fine_and_stores_nothing(ana, ana_client):
    assert report(ana_client, []).status_code == 204
    assert not PostDwell.objects.exists()


def test_posts_the_reader_may_not_see_are_skipped(ana, ana_client, ben, cleo, posts):
    private = PostFactory(author=ben, channel=ChannelFactory(collective__visibility="private"))
    deleted = PostFactory(author=ben, is_deleted=True)
    by_cleo = PostFactory(author=cleo)
    BlockFactory(blocker=cleo, blocked=ana)

    response = report(
        ana_client,
        [
            {"post": posts[0].id, "seconds": 2},
            {"post": private.id, "seconds": 2},
            {"post": deleted.id, "seconds": 2},
            {"post": by_cleo.id, "seconds": 2},
            {"post": 10**12, "seconds": 2},  # no such post
        ],
    )

    assert response.status_code == 204
    assert stored(ana) == {posts[0].id: 2.0}


@pytest.mark.parametrize(
    "items",
    [
        None,  # missing
        "1,2",
        [{"post": "P"}],
        [{"seconds": 3}],
        [{"post": 0, "seconds": 3}],
        [{"post": 2**63, "seconds": 3}],
        [{"post": "12", "seconds": 3}],
        [{"post": "P", "seconds": "3"}],
        [{"post": "P", "seconds": True}],
        [{"post": "P", "seconds": 0}],
        [{"post": "P", "seconds": -2}],
        [{"post": "P", "seconds": MAX_SECONDS_PER_ITEM + 0.1}],
        [{"post": "P", "seconds": 10**400}],
        [{"post": "P", "seconds": 2}, {"post": "P", "seconds": 3}],  # the same post twice
        [7],
    ],
)
def test_bad_reports_are_400_and_store_nothing(ana, ana_client, posts, items):
    # "P" stands for a post Ana may see: only the named fault is wrong in each report.
    if isinstance(items, list):
        items = [
            {k: posts[0].id if v == "P" else v for k, v in item.items()}
            if isinstance(item, dict)
            else item
            for item in items
        ]
    body = {} if items is None else {"items": items}

    response = ana_client.post(DWELL, json.dumps(body), content_type="application/json")

    assert response.status_code == 400, response.content
    assert "items" in response.json()
    assert not PostDwell.objects.exists()


def test_more_items_than_a_report_holds_is_400(ana, ana_client, ben):
    many = [PostFactory(author=ben) for _ in range(MAX_ITEMS_PER_REPORT + 1)]
    expose_page(ana, many, variant="chronological", served_at=timezone.now() - timedelta(hours=1))

    response = report(ana_client, [{"post": p.id, "seconds": 1} for p in many])

    assert response.status_code == 400
    assert "items" in response.json()
    assert report(ana_client, [{"post": p.id, "seconds": 1} for p in many[:-1]]).status_code == 204


@pytest.mark.parametrize("raw", ['{"items": [{"post": 1, "seconds": NaN}]}', "[", "not json"])
def test_malformed_json_is_400(ana_client, raw):
    response = ana_client.post(DWELL, raw, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_visitors_are_401(anon_client, posts):
    assert report(anon_client, [{"post": posts[0].id, "seconds": 2}]).status_code == 401
    assert not PostDwell.objects.exists()


def test_reports_are_throttled_like_the_seen_marks(ana, ana_client, posts, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")
    item = [{"post": posts[0].id, "seconds": 1}]

    codes = [report(ana_client, item).status_code for _ in range(4)]
    seen = ana_client.post("/api/posts/seen/", {"post_ids": [posts[0].id]}, format="json")

    assert codes == [204, 204, 204, 429]
    assert seen.status_code == 429  # one budget for both
    assert len(stored(ana)) == 1 and PostDwell.objects.count() == 3


# --- The beacon: a form with the CSRF token, sent with the session -----------------------


@pytest.fixture
def session_client(ana):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    client.get("/")  # the feed page sets the CSRF cookie
    return client


def form(**fields) -> str:
    return urlencode(fields)


def test_the_beacon_form_with_the_csrf_token_is_stored(ana, session_client, posts):
    token = session_client.cookies["csrftoken"].value

    items = json.dumps([{"post": posts[2].id, "seconds": 6.5}])

    response = session_client.post(
        DWELL, form(csrfmiddlewaretoken=token, items=items), content_type=FORM
    )

    assert response.status_code == 204, response.content
    assert stored(ana) == {posts[2].id: 6.5}


@pytest.mark.parametrize(
    "items",
    [
        "not json",
        '[{"post": 1, "seconds": NaN}]',
        '[{"post": 1, "seconds": -1}]',
        "[" * 40 + "]" * 40,
        "[" + ", ".join(['{"post": 1, "seconds": 1}'] * 1000) + "]",
    ],
)
def test_a_bad_beacon_is_400(ana, session_client, items):
    token = session_client.cookies["csrftoken"].value
    response = session_client.post(
        DWELL, form(csrfmiddlewaretoken=token, items=items), content_type=FORM
    )
    assert response.status_code == 400, response.content
    assert not PostDwell.objects.exists()


def test_a_beacon_without_the_csrf_token_is_403(ana, session_client, posts):
    items = json.dumps([{"post": posts[0].id, "seconds": 2}])

    response = session_client.post(DWELL, form(items=items), content_type=FORM)
    assert response.status_code == 403
    assert not PostDwell.objects.exists()


def test_other_content_types_are_415(ana_client):
    response = ana_client.post(DWELL, "items=[]", content_type="text/plain")
    assert response.status_code == 415


def test_a_beacon_with_too_many_fields_is_a_json_400(ana, session_client):
    body = "&".join(f"f{i}=1" for i in range(3000))

    response = session_client.post(DWELL, body, content_type=FORM)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert not PostDwell.objects.exists()
