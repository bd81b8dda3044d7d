"""The feed rollout: deterministic assignment, the variant served and reported, the admin."""

import pytest
from django.test.utils import CaptureQueriesContext

from atelier.analytics.models import FeedRollout
from atelier.analytics.rollout import Rollout, bucket, load_rollout, save_rollout
from atelier.core.tests.factories import UserFactory
from atelier.feed.tests.helpers import get_feed, post

pytestmark = pytest.mark.django_db


def rollout(**changes) -> Rollout:
    values = {
        "personalized_enabled": True,
        "percentage": 100,
        "salt": "feed-rollout-1",
        "attribution_window_hours": 24,
        "retention_days": 30,
    }
    return Rollout(**{**values, **changes})


def set_rollout(capture, **changes) -> None:
    """Save the rollout as the admin does, with its on-commit cache drop carried out."""
    row = FeedRollout.objects.filter(pk=1).first() or FeedRollout(pk=1)
    for name, value in changes.items():
        setattr(row, name, value)
    with capture(execute=True):
        save_rollout(row)


# --- Assignment ---------------------------------------------------------------------------


def test_bucket_is_sha256_of_salt_and_user_id():
    # int(sha256(b"feed-rollout-1:42").hexdigest(), 16) % 100, computed once by hand.
    import hashlib

    digest = hashlib.sha256(b"feed-rollout-1:42").hexdigest()
    assert bucket("feed-rollout-1", 42) == int(digest, 16) % 100
    assert all(0 <= bucket("s", i) < 100 for i in range(200))


def test_assignment_is_deterministic():
    r = rollout(percentage=50)
    first = [r.variant_for(i) for i in range(1, 500)]

    assert [rollout(percentage=50).variant_for(i) for i in range(1, 500)] == first
    assert set(first) == {"personalized", "chronological"}


def test_the_percentage_is_roughly_respected():
    r = rollout(percentage=30)
    personalized = sum(r.variant_for(i) == "personalized" for i in range(1, 1001))

    assert 250 <= personalized <= 350
    assert all(rollout(percentage=0).variant_for(i) == "chronological" for i in range(1, 300))
    assert all(rollout(percentage=100).variant_for(i) == "personalized" for i in range(1, 300))


def test_raising_the_percentage_only_adds_users():
    at_30 = {i for i in range(1, 1001) if rollout(percentage=30).variant_for(i) == "personalized"}
    at_60 = {i for i in range(1, 1001) if rollout(percentage=60).variant_for(i) == "personalized"}

    assert at_30 < at_60


def test_a_new_salt_reshuffles_the_groups():
    old = {i for i in range(1, 1001) if rollout(percentage=50).variant_for(i) == "personalized"}
    new = {
        i
        for i in range(1, 1001)
        if rollout(percentage=50, salt="feed-rollout-2").variant_for(i) == "personalized"
    }

    assert 400 <= len(new) <= 600
    # About half of each group moves; the same split again would be a broken hash.
    assert 150 <= len(old ^ new) // 2 <= 350


def test_disabled_serves_chronological_to_everyone():
    r = rollout(personalized_enabled=False, percentage=100)
    assert {r.variant_for(i) for i in range(1, 200)} == {"chronological"}


# --- Served over HTTP ---------------------------------------------------------------------


@pytest.fixture
def some_posts(ben):
    return [post(ben, hours) for hours in (1, 2, 3)]


def test_an_assigned_user_gets_the_assigned_variant(
    ana, ana_client, some_posts, django_capture_on_commit_callbacks
):
    set_rollout(django_capture_on_commit_callbacks, percentage=0)
    page = get_feed(ana_client)

    assert page["ranking"]["ordering"] == "personalized"  # what was asked: the default
    assert page["ranking"]["variant"] == "chronological"  # what was served
    assert page["next"] is None or "ordering" not in page["next"]

    set_rollout(django_capture_on_commit_callbacks, percentage=100)
    page = get_feed(ana_client)
    assert page["ranking"]["variant"] == "personalized"


def test_the_users_variant_follows_their_bucket(
    ana_client, ana, some_posts, django_capture_on_commit_callbacks
):
    set_rollout(django_capture_on_commit_callbacks, percentage=50, salt="abc")
    expected = rollout(percentage=50, salt="abc").variant_for(ana.id)

    for _ in range(3):
        assert get_feed(ana_client)["ranking"]["variant"] == expected


@pytest.mark.parametrize("ordering", ["personalized", "chronological"])
@pytest.mark.parametrize("percentage", [0, 100])
def test_an_explicit_ordering_always_wins(
    ana_client, some_posts, django_capture_on_commit_callbacks, ordering, percentage
):
    set_rollout(django_capture_on_commit_callbacks, percentage=percentage)
    page = get_feed(ana_client, ordering=ordering)

    assert page["ranking"]["ordering"] == ordering
    assert page["ranking"]["variant"] == ordering


def test_a_snapshot_being_paged_through_stays_personalized(
    ana_client, ben, django_capture_on_commit_callbacks
):
    for hours in range(1, 6):
        post(ben, hours)
    first = get_feed(ana_client, page_size=2)
    assert first["ranking"]["variant"] == "personalized"

    set_rollout(django_capture_on_commit_callbacks, percentage=0)
    second = ana_client.get(first["next"]).json()
    assert second["ranking"]["variant"] == "personalized"
    assert get_feed(ana_client, page_size=2)["ranking"]["variant"] == "chronological"


def test_anonymous_visitors_get_chronological(anon_client, some_posts):
    page = get_feed(anon_client)
    assert page["ranking"]["ordering"] == page["ranking"]["variant"] == "chronological"


def test_a_warm_request_reads_the_rollout_from_the_cache(
    ana_client, some_posts, django_capture_on_commit_callbacks
):
    from django.db import connection

    set_rollout(django_capture_on_commit_callbacks, percentage=100)
    get_feed(ana_client)
    with CaptureQueriesContext(connection) as ctx:
        get_feed(ana_client)

    assert not any("analytics_feedrollout" in q["sql"] for q in ctx.captured_queries)


def test_a_missing_row_means_the_defaults_and_is_not_created():
    FeedRollout.objects.all().delete()

    assert load_rollout() == rollout()
    assert not FeedRollout.objects.exists()


# --- Admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    staff = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def test_staff_edit_the_rollout_in_the_admin_and_it_takes_effect(
    admin_client, ana, ana_client, some_posts, django_capture_on_commit_callbacks
):
    url = "/admin/analytics/feedrollout/1/change/"
    assert admin_client.get(url).status_code == 200
    get_feed(ana_client)  # the rollout is now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "personalized_enabled": "on",
                "percentage": "0",
                "salt": "s2",
                "attribution_window_hours": "12",
                "retention_days": "7",
            },
        )
    assert response.status_code == 302, response.content

    assert load_rollout() == rollout(
        percentage=0, salt="s2", attribution_window_hours=12, retention_days=7
    )
    assert get_feed(ana_client)["ranking"]["variant"] == "chronological"


def test_the_admin_rejects_a_percentage_above_100(admin_client):
    response = admin_client.post(
        "/admin/analytics/feedrollout/1/change/",
        {
            "percentage": "101",
            "salt": "s",
            "attribution_window_hours": "24",
            "retention_days": "30",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert FeedRollout.objects.get(pk=1).percentage == 100


def test_the_rollout_cannot_be_added_twice_or_deleted(admin_client):
    assert admin_client.get("/admin/analytics/feedrollout/add/").status_code == 403
    assert admin_client.get("/admin/analytics/feedrollout/1/delete/").status_code == 403
    assert admin_client.get("/admin/analytics/feedrollout/").status_code == 200


def test_exposure_and_open_logs_are_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/analytics/exposedpost/").status_code == 200
    assert admin_client.get("/admin/analytics/exposedpost/?variant=personalized").status_code == 200
    assert admin_client.get("/admin/analytics/postopen/").status_code == 200
    assert admin_client.get("/admin/analytics/exposedpost/add/").status_code == 403
    assert admin_client.get("/admin/analytics/postopen/add/").status_code == 403
