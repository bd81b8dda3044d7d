"""DELETE /api/posts/{id}/: the author soft-deletes; others get 403, or 404 if it is invisible."""

from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory


def test_author_deletes_then_the_post_is_404(ana, ana_client, ben_client):
    post = PostFactory(author=ana)

    response = ana_client.delete(f"/api/posts/{post.id}/")

    assert response.status_code == 204
    post.refresh_from_db()
    assert post.is_deleted is True
    assert post.deleted_at is not None
    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 404
    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 404


def test_deleting_twice_is_404(ana, ana_client):
    post = PostFactory(author=ana)
    assert ana_client.delete(f"/api/posts/{post.id}/").status_code == 204

    assert ana_client.delete(f"/api/posts/{post.id}/").status_code == 404


def test_non_author_who_sees_it_is_403(ana_client, bens_post):
    response = ana_client.delete(f"/api/posts/{bens_post.id}/")

    assert response.status_code == 403
    bens_post.refresh_from_db()
    assert bens_post.is_deleted is False


def test_invisible_post_is_404_and_untouched(ana_client, invisible_post):
    was_deleted = invisible_post.is_deleted

    response = ana_client.delete(f"/api/posts/{invisible_post.id}/")

    assert response.status_code == 404
    invisible_post.refresh_from_db()
    assert (invisible_post.is_deleted, invisible_post.deleted_at) == (was_deleted, None)


def test_unknown_post_is_404(ana_client):
    assert ana_client.delete("/api/posts/987654/").status_code == 404


def test_anonymous_is_401(anon_client, bens_post):
    assert anon_client.delete(f"/api/posts/{bens_post.id}/").status_code == 401
    assert Post.objects.filter(is_deleted=False).count() == 1


def test_a_visitor_is_401_even_on_a_public_post(anon_client, bens_post):
    response = anon_client.delete(f"/api/posts/{bens_post.id}/")

    assert response.status_code == 401
    bens_post.refresh_from_db()
    assert bens_post.is_deleted is False
