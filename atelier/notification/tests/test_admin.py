"""The notification admin: pages render and the changelist costs fixed queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from atelier.notification.tests.factories import NotificationFactory
from atelier.post.tests.factories import PostFactory

URL = "/admin/notification/notification/"


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_changelist_queries_do_not_grow_with_rows(admin_client):
    NotificationFactory(post=PostFactory())
    few = _query_count(admin_client, URL)
    for _ in range(4):
        NotificationFactory(post=PostFactory())

    assert _query_count(admin_client, URL) == few


def test_changelist_filters_search_and_change_page(admin_client):
    notification = NotificationFactory(kind="praise")

    assert (
        admin_client.get(URL, {"kind__exact": "praise", "is_read__exact": "0"}).status_code == 200
    )
    assert admin_client.get(URL, {"q": notification.actor.username}).status_code == 200
    assert admin_client.get(f"{URL}{notification.id}/change/").status_code == 200
