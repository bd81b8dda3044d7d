"""The Django admin of galleries: the changelist has no N+1, the items inline renders."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from atelier.core.tests.factories import UserFactory
from atelier.gallery.tests.factories import GalleryFactory, GalleryItemFactory


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_changelist_does_not_grow_with_rows(staff_client):
    GalleryFactory()
    few = _queries_for(staff_client, "/admin/gallery/gallery/")
    GalleryFactory.create_batch(8)

    assert _queries_for(staff_client, "/admin/gallery/gallery/") == few


def test_change_page_shows_items(staff_client):
    item = GalleryItemFactory()

    response = staff_client.get(f"/admin/gallery/gallery/{item.gallery_id}/change/")

    assert response.status_code == 200
    assert f'value="{item.post_id}"' in response.content.decode()
