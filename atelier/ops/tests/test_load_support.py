"""What `make load` relies on: the optional query count header and load_prepare's viewers."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from atelier.feed.tests.factories import AppreciationFactory
from atelier.ops.management.commands.load_prepare import Command as LoadPrepare
from atelier.ops.querycount import QUERY_COUNT_HEADER
from atelier.post.tests.factories import PostFactory


@pytest.fixture
def counted(settings):
    settings.MIDDLEWARE = ["atelier.ops.querycount.QueryCountMiddleware", *settings.MIDDLEWARE]


def test_the_header_is_off_by_default(ana_client):
    assert QUERY_COUNT_HEADER not in ana_client.get("/api/posts/?ordering=chronological")


def test_the_header_counts_every_query_of_the_request(counted, ana_client, ben):
    PostFactory.create_batch(3, author=ben)
    with CaptureQueriesContext(connection) as queries:
        response = ana_client.get("/api/posts/?ordering=chronological")
    assert response.status_code == 200
    assert int(response[QUERY_COUNT_HEADER]) == len(queries) > 0


def test_the_count_starts_again_for_each_request(counted, ana_client, anon_client):
    first = int(ana_client.get("/api/users/me/")[QUERY_COUNT_HEADER])
    second = int(ana_client.get("/api/users/me/")[QUERY_COUNT_HEADER])
    assert first == second > 0
    assert int(anon_client.get("/healthz")[QUERY_COUNT_HEADER]) == 0


@pytest.mark.django_db
def test_load_prepare_needs_postgresql(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for other databases")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("load_prepare", "--posts", "1000", "--out", str(tmp_path / "v.json"))


def test_viewers_come_most_active_first_each_with_a_working_token(db, ana, ben, cleo):
    posts = PostFactory.create_batch(3, author=cleo)
    for post in posts:  # Ben appreciates three posts, Ana one, Cleo none.
        AppreciationFactory(user=ben, post=post)
    AppreciationFactory(user=ana, post=posts[0])
    Token.objects.create(user=ana)  # an existing token is kept, not replaced

    viewers = LoadPrepare()._viewers({"most_active": 1, "viewers": 10, "seed": 1})

    assert [v["id"] for v in viewers] == [ben.id, ana.id]
    assert viewers[1]["token"] == Token.objects.get(user=ana).key
    for viewer in viewers:
        assert Token.objects.get(key=viewer["token"]).user_id == viewer["id"]
    json.dumps(viewers)  # what Locust reads
