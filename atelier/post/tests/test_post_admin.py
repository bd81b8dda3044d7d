"""The Django admin of posts and their rows: every page renders, changelists without N+1."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from atelier.collective.tests.factories import ChannelFactory
from atelier.core.tests.factories import UserFactory
from atelier.post.models import HiddenPost, SeenPost
from atelier.post.tests.factories import (
    AppreciationFactory,
    CommentFactory,
    CritiqueFactory,
    PostFactory,
)

MODELS = ["post", "appreciation", "comment", "critique", "seenpost", "hiddenpost"]


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def add_rows(count: int) -> dict:
    """Add `count` of each row type (posts in collectives, so every column has a value)."""
    made = {}
    for _ in range(count):
        post = PostFactory(channel=ChannelFactory())
        viewer = UserFactory()
        made = {
            "post": post,
            "appreciation": AppreciationFactory(post=post, user=viewer),
            "comment": CommentFactory(post=post, author=viewer),
            "critique": CritiqueFactory(post=post, author=viewer),
            "seenpost": SeenPost.objects.create(user=viewer, post=post, seen_at=post.created_at),
            "hiddenpost": HiddenPost.objects.create(user=viewer, post=post),
        }
    return made


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_page_render(staff_client, model):
    row = add_rows(1)[model]

    changelist = staff_client.get(f"/admin/post/{model}/")
    change = staff_client.get(f"/admin/post/{model}/{row.pk}/change/")

    assert changelist.status_code == 200
    assert change.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelist_queries_do_not_grow_with_rows(staff_client, model):
    add_rows(1)
    few = queries_for(staff_client, f"/admin/post/{model}/")

    add_rows(6)

    assert queries_for(staff_client, f"/admin/post/{model}/") == few


def test_post_changelist_search_and_filters(staff_client):
    PostFactory(title="Harbour at dusk", author=UserFactory(username="marin"))
    PostFactory(title="Other", is_deleted=True)

    by_title = staff_client.get("/admin/post/post/", {"q": "harbour"})
    by_author = staff_client.get("/admin/post/post/", {"q": "marin"})
    deleted = staff_client.get("/admin/post/post/", {"is_deleted__exact": "1"})

    assert by_title.context["cl"].result_count == 1
    assert by_author.context["cl"].result_count == 1
    assert [p.title for p in deleted.context["cl"].result_list] == ["Other"]


def test_post_counters_are_read_only(staff_client):
    post = PostFactory()

    page = staff_client.get(f"/admin/post/post/{post.pk}/change/")

    form_fields = set(page.context["adminform"].form.fields)
    assert "title" in form_fields
    assert not form_fields & {"hearts_count", "comment_count", "critique_count"}


def test_non_staff_is_sent_to_login(db):
    client = Client()
    client.force_login(UserFactory(username="plain"))

    response = client.get("/admin/post/post/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
