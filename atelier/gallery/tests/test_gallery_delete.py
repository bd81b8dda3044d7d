"""DELETE /api/galleries/{id}/: the creator soft-deletes; it is gone for everyone."""

from atelier.gallery.models import Gallery
from atelier.gallery.tests.factories import GalleryFactory


def _url(gallery_id) -> str:
    return f"/api/galleries/{gallery_id}/"


def test_creator_soft_deletes(ana, ana_client, ben_client):
    gallery = GalleryFactory(creator=ana, status="published")

    response = ana_client.delete(_url(gallery.id))

    assert response.status_code == 204
    assert Gallery.objects.get(pk=gallery.pk).is_deleted
    assert ana_client.get(_url(gallery.id)).status_code == 404
    assert ben_client.get(_url(gallery.id)).status_code == 404
    assert ana_client.get("/api/galleries/").json() == []


def test_deleting_twice_is_404(ana, ana_client):
    gallery = GalleryFactory(creator=ana)
    ana_client.delete(_url(gallery.id))

    assert ana_client.delete(_url(gallery.id)).status_code == 404


def test_someone_else_deleting_a_published_gallery_is_403(ana, ben_client):
    gallery = GalleryFactory(creator=ana, status="published")

    assert ben_client.delete(_url(gallery.id)).status_code == 403
    assert not Gallery.objects.get(pk=gallery.pk).is_deleted


def test_someone_else_deleting_a_draft_is_404(ana, ben_client):
    gallery = GalleryFactory(creator=ana)

    assert ben_client.delete(_url(gallery.id)).status_code == 404
    assert not Gallery.objects.get(pk=gallery.pk).is_deleted


def test_anonymous_is_401(ana, anon_client):
    gallery = GalleryFactory(creator=ana, status="published")

    assert anon_client.delete(_url(gallery.id)).status_code == 401
    assert not Gallery.objects.get(pk=gallery.pk).is_deleted


def test_unknown_gallery_is_404(ana_client, db):
    assert ana_client.delete(_url(99999999999999999999)).status_code == 404
