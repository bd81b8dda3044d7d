"""PATCH /api/galleries/{id}/: the creator edits fields and replaces the ordered posts."""

import pytest

from atelier.collective.tests.factories import ChannelFactory
from atelier.gallery.models import Gallery, GalleryItem
from atelier.gallery.tests.factories import GalleryFactory, GalleryItemFactory
from atelier.post.tests.factories import PostFactory


def _url(gallery_id) -> str:
    return f"/api/galleries/{gallery_id}/"


@pytest.fixture
def gallery(ana):
    """Ana's draft with two posts, a then b."""
    gallery = GalleryFactory(creator=ana, title="Old", description="Old words")
    for post in PostFactory.create_batch(2):
        GalleryItemFactory(gallery=gallery, post=post)
    return gallery


def _post_ids(gallery) -> list[int]:
    return list(GalleryItem.objects.filter(gallery=gallery).values_list("post_id", flat=True))


def test_patch_fields_leaves_the_rest(gallery, ana_client):
    before = _post_ids(gallery)
    edited_before = gallery.updated_at

    response = ana_client.patch(
        _url(gallery.id), {"title": "New", "status": "published"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["description"], body["status"]) == ("New", "Old words", "published")
    assert body["post_ids"] == before
    gallery.refresh_from_db()
    assert (gallery.title, gallery.status) == ("New", "published")
    assert gallery.updated_at > edited_before


def test_patch_post_ids_replaces_them_in_order(gallery, ana_client):
    old = _post_ids(gallery)
    new = PostFactory()

    response = ana_client.patch(
        _url(gallery.id), {"post_ids": [new.id, old[1], new.id]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["post_ids"] == [new.id, old[1]]
    assert _post_ids(gallery) == [new.id, old[1]]
    positions = GalleryItem.objects.filter(gallery=gallery).values_list("position", flat=True)
    assert list(positions) == [0, 1]


def test_patch_post_ids_to_empty(gallery, ana_client):
    edited_before = gallery.updated_at

    response = ana_client.patch(_url(gallery.id), {"post_ids": []}, format="json")

    assert response.json()["post_ids"] == []
    gallery.refresh_from_db()
    assert gallery.updated_at > edited_before
    assert not GalleryItem.objects.filter(gallery=gallery).exists()


def test_patch_can_unpublish_and_clear_description(gallery, ana_client):
    gallery.status = "published"
    gallery.save()

    response = ana_client.patch(
        _url(gallery.id), {"status": "draft", "description": ""}, format="json"
    )

    assert (response.json()["status"], response.json()["description"]) == ("draft", "")


def test_empty_patch_changes_nothing(gallery, ana_client):
    response = ana_client.patch(_url(gallery.id), {}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "Old"


def test_invisible_post_is_400_and_nothing_changes(gallery, ana_client):
    before = _post_ids(gallery)
    secret = PostFactory(channel=ChannelFactory())

    response = ana_client.patch(
        _url(gallery.id), {"title": "New", "post_ids": [secret.id]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["post_ids"]
    assert _post_ids(gallery) == before
    assert Gallery.objects.get(pk=gallery.pk).title == "Old"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 5001}, "description"),
        ({"status": "gone"}, "status"),
        ({"post_ids": [0]}, "post_ids"),
        ({"post_ids": list(range(1, 202))}, "post_ids"),
    ],
)
def test_bad_input_is_400(gallery, ana_client, payload, field):
    response = ana_client.patch(_url(gallery.id), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_someone_else_editing_a_published_gallery_is_403(gallery, ben_client):
    gallery.status = "published"
    gallery.save()

    response = ben_client.patch(_url(gallery.id), {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    assert Gallery.objects.get(pk=gallery.pk).title == "Old"
    # refused before the body is looked at
    assert ben_client.patch(_url(gallery.id), {"title": ""}, format="json").status_code == 403


def test_someone_else_editing_a_draft_is_404(gallery, ben_client):
    assert ben_client.patch(_url(gallery.id), {"title": "X"}, format="json").status_code == 404


def test_deleted_gallery_is_404(gallery, ana_client):
    Gallery.objects.filter(pk=gallery.pk).update(is_deleted=True)

    assert ana_client.patch(_url(gallery.id), {"title": "X"}, format="json").status_code == 404


def test_anonymous_is_401(gallery, anon_client):
    assert anon_client.patch(_url(gallery.id), {"title": "X"}, format="json").status_code == 401


def test_put_is_405(gallery, ana_client):
    assert ana_client.put(_url(gallery.id), {"title": "X"}, format="json").status_code == 405
