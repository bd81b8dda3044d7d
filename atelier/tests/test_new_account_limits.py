"""New accounts have tighter limits on posts, remarks and uploads (issue 18).

The limits live in the services (`core.throttling.new_account_limit`), so the API and the
pages, which call the same services, share them. Personas:
* Nova joined a minute ago: a new account.
* Olga joined two days ago: an established member.
* Sam joined a minute ago, but is staff.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from atelier.core.cache_backend import BREAKER
from atelier.core.models import ThrottleFallbackEntry
from atelier.core.tests.factories import UserFactory
from atelier.core.tests.helpers import redis_down
from atelier.core.throttling import LOCAL_COUNTS
from atelier.media.models import Media
from atelier.media.tests.files import image_bytes, upload
from atelier.post.models import Comment, Critique, Post
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nova(db):
    return UserFactory(username="nova", date_joined=timezone.now() - timedelta(minutes=1))


@pytest.fixture
def olga(db):
    return UserFactory(username="olga", date_joined=timezone.now() - timedelta(days=2))


@pytest.fixture
def sam(db):
    return UserFactory(
        username="sam", is_staff=True, date_joined=timezone.now() - timedelta(minutes=1)
    )


@pytest.fixture
def target(db):
    """A public post by a bystander, to comment on."""
    return PostFactory(author=UserFactory(username="host"), title="Harbour")


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test: rates(new_post="3/hour", ...)."""

    def set_rates(**scopes: str) -> None:
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


def create_post(client, **extra):
    body = {"title": "Study", "post_type": "poem", "body": "A line.", **extra}
    return client.post("/api/posts/", body, format="json")


def remark(client, post, kind="comment"):
    return client.post(f"/api/posts/{post.id}/{kind}s/", {"text": "Lovely."}, format="json")


def upload_file(client):
    return client.post("/api/media/", {"file": upload(image_bytes())}, format="multipart")


def codes(send, n: int) -> list[int]:
    return [send().status_code for _ in range(n)]


# --- The defaults ---------------------------------------------------------------------------


def test_defaults_let_a_new_account_post_ten_times_in_its_first_hour(nova, client_for):
    client = client_for(nova)

    assert codes(lambda: create_post(client), 11) == [201] * 10 + [429]
    assert Post.objects.filter(author=nova).count() == 10


def test_defaults_let_a_new_account_comment_thirty_times_in_its_first_hour(
    nova, client_for, target
):
    """Comments and critiques count together: 20 comments and 10 critiques are 30."""
    client = client_for(nova)

    comments = codes(lambda: remark(client, target, "comment"), 20)
    critiques = codes(lambda: remark(client, target, "critique"), 10)
    refused = [remark(client, target, kind).status_code for kind in ("comment", "critique")]

    assert comments + critiques == [201] * 30
    assert refused == [429, 429]
    assert Comment.objects.filter(author=nova).count() == 20
    assert Critique.objects.filter(author=nova).count() == 10


def test_defaults_let_a_new_account_upload_ten_files_in_its_first_hour(nova, client_for):
    client = client_for(nova)

    assert codes(lambda: upload_file(client), 11) == [201] * 10 + [429]
    assert Media.objects.filter(owner=nova).count() == 10


# --- The answer -----------------------------------------------------------------------------


def test_over_the_limit_is_a_429_with_retry_after_and_a_clear_message(nova, client_for, rates):
    rates(new_post="2/hour")
    client = client_for(nova)
    create_post(client)
    create_post(client)

    refused = create_post(client)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    detail = refused.json()["detail"]
    assert detail.startswith("New accounts may make at most 2 posts an hour in their first 24")
    assert f"Try again in {refused['Retry-After']} seconds." in detail
    assert Post.objects.filter(author=nova).count() == 2


def test_the_daily_window_holds_past_the_hourly_one(nova, client_for, rates, target):
    rates(new_comment="5/hour", new_comment_day="3/day")
    client = client_for(nova)

    assert codes(lambda: remark(client, target), 4) == [201] * 3 + [429]
    refused = remark(client, target)
    assert "at most 3 comments and critiques a day" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 3600


def test_each_kind_has_its_own_count(nova, client_for, rates, target):
    rates(new_post="1/hour", new_comment="1/hour", new_upload="1/hour")
    client = client_for(nova)

    first = [create_post(client), remark(client, target), upload_file(client)]
    second = [create_post(client), remark(client, target), upload_file(client)]

    assert [r.status_code for r in first] == [201, 201, 201]
    assert [r.status_code for r in second] == [429, 429, 429]


def test_a_refused_input_is_not_counted(nova, client_for, rates):
    """A 400, before the service or inside it (media that are not mine), takes no write."""
    rates(new_post="2/hour")
    client = client_for(nova)
    someone_elses = upload_file(client_for(UserFactory(username="other"))).json()["id"]

    bad = [
        create_post(client, title="").status_code,
        create_post(client, media=[someone_elses]).status_code,
    ]

    assert bad == [400, 400]
    assert codes(lambda: create_post(client), 3) == [201, 201, 429]


# --- Who is new -----------------------------------------------------------------------------


def test_an_older_account_is_not_affected(olga, client_for, rates, target):
    rates(new_post="1/hour", new_comment="1/hour", new_upload="1/hour")
    client = client_for(olga)

    assert codes(lambda: create_post(client), 3) == [201] * 3
    assert codes(lambda: remark(client, target), 3) == [201] * 3
    assert codes(lambda: upload_file(client), 3) == [201] * 3


def test_staff_are_never_new(sam, client_for, rates):
    rates(new_post="1/hour")
    client = client_for(sam)

    assert codes(lambda: create_post(client), 3) == [201] * 3


def test_the_age_of_a_new_account_is_configurable(nova, olga, client_for, rates, settings):
    rates(new_post="1/hour")
    settings.NEW_ACCOUNT_HOURS = 72  # Olga, two days old, is new again
    olga_client = client_for(olga)
    assert codes(lambda: create_post(olga_client), 2) == [201, 429]

    settings.NEW_ACCOUNT_HOURS = 0  # no account is new
    nova_client = client_for(nova)
    assert codes(lambda: create_post(nova_client), 2) == [201, 201]


# --- Every door -----------------------------------------------------------------------------


def test_the_post_page_shares_the_limit_and_answers_a_clear_429(nova, client, rates, target):
    rates(new_comment="2/hour")
    client.force_login(nova)
    url = f"/posts/{target.id}/"

    sent = [client.post(url, {"kind": "comment", "text": "Nice."}).status_code for _ in range(2)]
    page = client.post(url, {"kind": "critique", "text": "The horizon tilts."})

    assert sent == [302, 302]
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    text = page.content.decode()
    assert "New accounts may make at most 2 comments and critiques an hour" in text
    assert "The horizon tilts." in text  # the draft is kept
    assert not Critique.objects.filter(author=nova).exists()


def test_the_api_and_the_page_count_together(nova, client, client_for, rates, target):
    rates(new_comment="2/hour")
    client.force_login(nova)

    assert remark(client_for(nova), target).status_code == 201
    assert client.post(f"/posts/{target.id}/", {"kind": "comment", "text": "Hi"}).status_code == 302
    assert remark(client_for(nova), target).status_code == 429


# --- With Redis down ------------------------------------------------------------------------


def test_limits_hold_while_redis_is_down(nova, client_for, rates, target):
    rates(new_post="2/hour", new_comment="2/hour", new_upload="2/hour")
    client = client_for(nova)

    with redis_down():
        posts = codes(lambda: create_post(client), 3)
        remarks = codes(lambda: remark(client, target), 3)
        uploads = codes(lambda: upload_file(client), 3)
        assert BREAKER.down

    assert posts == remarks == uploads == [201, 201, 429]


def test_every_process_shares_the_count_while_redis_is_down(nova, client_for, rates):
    """Each post comes from a "fresh process": this process's memory is emptied first."""
    rates(new_post="2/hour")
    client = client_for(nova)

    results = []
    with redis_down():
        for _ in range(4):
            LOCAL_COUNTS.clear()
            results.append(create_post(client).status_code)

    assert results == [201, 201, 429, 429]
    assert ThrottleFallbackEntry.objects.exists()
