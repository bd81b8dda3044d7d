"""A database connection lost mid-request: 503 with Retry-After, never a 500; a plain
read is run once more on a fresh connection; the feed's exposure is recorded once.

`cut_connection` loses the connection at a chosen statement of a request. On PostgreSQL
it is real: a second connection terminates the request's backend (pg_terminate_backend)
and the statement then fails as it would after a failover or a restart. On SQLite the
statement raises the OperationalError a lost connection raises. The tests are
transactional: a retry needs the request's own connection, outside any test transaction.
"""

import contextlib

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client

from atelier.analytics import exposures
from atelier.analytics.models import ExposedPost
from atelier.ops.middleware import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS
from atelier.post.models import Comment, Post
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_connection_after():
    # The test client keeps the test's connection across requests (it does not close old
    # connections as a server does at the end of a request): one left dead is closed here,
    # so the database can be emptied after the test.
    yield
    connection.close()


def _terminate_own_backend() -> None:
    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        # The timeout makes it wait until the backend is gone, so the statement fails.
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@contextlib.contextmanager
def cut_connection(when=lambda sql: True, times: int = 1):
    """Lose the connection at the first `times` statements for which `when(sql)` holds;
    yield the list of statements at which it was lost."""
    cuts: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if len(cuts) < times and when(sql):
            cuts.append(sql)
            if connection.vendor == "postgresql":
                _terminate_own_backend()
            else:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield cuts


def _assert_unavailable(response, *, json: bool = True) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    if json:
        assert response.json() == {"detail": DATABASE_UNAVAILABLE}
    else:
        assert DATABASE_UNAVAILABLE in response.content.decode()


def test_a_write_that_loses_its_connection_is_503_with_retry_after(ana_client):
    with cut_connection(lambda sql: sql.startswith("INSERT")) as cuts:
        response = ana_client.post("/api/posts/", {"title": "Lost", "post_type": "poem"})

    assert len(cuts) == 1
    _assert_unavailable(response)
    assert not Post.objects.exists()  # not run again: a write is never repeated
    # The next request gets a fresh connection.
    assert ana_client.post("/api/posts/", {"title": "Kept", "post_type": "poem"}).status_code == 201


def test_a_plain_read_is_run_again_on_a_fresh_connection(ana_client, ben):
    with cut_connection() as cuts:
        response = ana_client.get(f"/api/users/{ben.id}/")

    assert len(cuts) == 1
    assert response.status_code == 200
    assert response.json()["username"] == "ben"


def test_a_read_that_fails_again_is_503_after_one_retry(ana_client, ben):
    with cut_connection(times=5) as cuts:
        response = ana_client.get(f"/api/users/{ben.id}/")

    assert len(cuts) == 2  # the request and its one retry
    _assert_unavailable(response)


def test_the_feed_run_again_records_its_exposure_once(ana, ana_client, ben):
    posts = [PostFactory(author=ben) for _ in range(3)]

    with cut_connection(lambda sql: '"post_post"' in sql) as cuts:
        response = ana_client.get("/api/posts/", {"ordering": "chronological"})

    assert len(cuts) == 1
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [p.id for p in reversed(posts)]
    exposures.flush()
    assert ExposedPost.objects.filter(user_id=ana.id).count() == 3
    assert ExposedPost.objects.values("page_id").distinct().count() == 1


def test_a_feed_request_that_already_queued_its_exposure_is_not_run_again(
    ana, ana_client, ben, monkeypatch
):
    PostFactory(author=ben)
    push = exposures._buffer.push

    def queued_then_lost(queue, item, kind):
        # The connection goes once the page was queued (say, while the answer is built).
        push(queue, item, kind)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(exposures._buffer, "push", queued_then_lost)

    response = ana_client.get("/api/posts/", {"ordering": "chronological"})

    _assert_unavailable(response)
    exposures.flush()
    assert ExposedPost.objects.values("page_id").distinct().count() == 1


def test_pages_too_a_read_is_run_again_and_a_form_post_is_503(ana, ben):
    post = PostFactory(author=ben)
    browser = Client()
    browser.force_login(ana)

    with cut_connection(lambda sql: '"post_post"' in sql) as cuts:
        page = browser.get(f"/posts/{post.id}/")
    assert len(cuts) == 1
    assert page.status_code == 200

    with cut_connection(lambda sql: sql.startswith("INSERT")) as cuts:
        sent = browser.post(f"/posts/{post.id}/", {"kind": "comment", "text": "Lovely"})
    assert len(cuts) == 1
    _assert_unavailable(sent, json=False)
    assert not Comment.objects.exists()


def test_a_page_whose_every_statement_fails_is_503_and_still_logged(ana, caplog):
    browser = Client()
    browser.force_login(ana)

    with cut_connection(times=10) as cuts:
        response = browser.get("/")

    _assert_unavailable(response, json=False)
    # The request and its retry (cut twice); then the request log's look at the session
    # user fails too (SQLite: a third cut; PostgreSQL: the dead connection refuses a
    # cursor), and the line says "-" instead of turning the answer into a 500.
    assert len(cuts) >= 2
    assert any(" / 503 " in r.getMessage() and "user=-" in r.getMessage() for r in caplog.records)
