"""The admin of users and relations: every page renders, changelists cost fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from atelier.collective.tests.factories import CollectiveFactory
from atelier.core.models import User, UserPreference
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory

CHANGELISTS = [
    "/admin/core/user/",
    "/admin/core/userfellow/",
    "/admin/core/block/",
    "/admin/core/userpreference/",
]


def _add_rows(n: int) -> None:
    for _ in range(n):
        a, b = UserFactory(), UserFactory()
        FellowFactory(user=a, fellow_user=b)
        BlockFactory(blocker=a, blocked=b)
        preference = UserPreference.objects.create(user=a, preferred_post_types=["poem"])
        preference.muted_collectives.add(CollectiveFactory())


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(admin_client, url):
    _add_rows(1)
    few = _query_count(admin_client, url)
    _add_rows(4)

    assert _query_count(admin_client, url) == few


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_search_works(admin_client, url):
    _add_rows(1)

    assert admin_client.get(url, {"q": "user"}).status_code == 200


def test_user_pages_show_artist_type(admin_client, ana):
    change = admin_client.get(f"/admin/core/user/{ana.id}/change/")
    add = admin_client.get("/admin/core/user/add/")
    listing = admin_client.get("/admin/core/user/", {"artist_type__exact": "writer"})

    assert b"artist_type" in change.content
    assert b"artist_type" in add.content
    assert b"ana" in listing.content


def test_user_can_be_added_with_an_artist_type(admin_client):
    response = admin_client.post(
        "/admin/core/user/add/",
        {
            "username": "dora",
            "password1": "a long password",
            "password2": "a long password",
            "usable_password": "true",
            "artist_type": "filmmaker",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="dora").artist_type == "filmmaker"


def test_relation_change_pages_render(admin_client, ana, ben):
    fellow = FellowFactory(user=ana, fellow_user=ben)
    block = BlockFactory(blocker=ana, blocked=ben)
    preference = UserPreference.objects.create(user=ana)

    for url in [
        f"/admin/core/userfellow/{fellow.id}/change/",
        f"/admin/core/block/{block.id}/change/",
        f"/admin/core/userpreference/{preference.id}/change/",
    ]:
        assert admin_client.get(url).status_code == 200
