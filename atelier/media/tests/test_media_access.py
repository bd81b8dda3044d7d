"""Who sees media: GET/DELETE /api/media/{id}/ and the file URLs themselves.

Media of a post in a private collective must not reach non-members, even if they hold a
URL (a former member, a link passed around): every file request is checked like the post.
"""

import pytest

from atelier.core.tests.factories import BlockFactory
from atelier.media.models import Media
from atelier.post.services import post_create
from atelier.post.tests.conftest import collective_channel

pytestmark = pytest.mark.django_db


def _attach(user, media_id: int, channel=None):
    return post_create(
        author=user, title="With art", post_type="image", channel=channel, media_ids=[media_id]
    )


def _urls(client, media_id: int) -> list[str]:
    body = client.get(f"/api/media/{media_id}/").json()
    return [body["url"], body["thumbnail_url"]]


def test_mine_unattached_is_visible_to_me_only(ana_client, ben_client, anon_client, uploaded):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)

    assert ana_client.get(f"/api/media/{media_id}/").status_code == 200
    assert ben_client.get(f"/api/media/{media_id}/").status_code == 404
    assert anon_client.get(f"/api/media/{media_id}/").status_code == 401
    for url in urls:
        assert ana_client.get(url).status_code == 200
        assert ben_client.get(url).status_code == 404
        assert anon_client.get(url).status_code == 404


def test_public_post_media_is_visible_to_everyone(
    ana, ana_client, ben_client, anon_client, uploaded
):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id)

    assert ben_client.get(f"/api/media/{media_id}/").status_code == 200
    for url in urls:
        response = anon_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("public")


def test_private_collective_media_reaches_members_only(
    ana, ben, cleo, ana_client, ben_client, cleo_client, anon_client, uploaded
):
    vault = collective_channel("private", ana, ben)
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id, channel=vault)

    assert ben_client.get(f"/api/media/{media_id}/").status_code == 200
    assert cleo_client.get(f"/api/media/{media_id}/").status_code == 404
    for url in urls:
        member = ben_client.get(url)
        assert member.status_code == 200
        assert member["Cache-Control"].startswith("private")
        assert cleo_client.get(url).status_code == 404
        assert anon_client.get(url).status_code == 404


def test_a_former_member_keeps_no_access(ana, ben, ben_client, ana_client, uploaded):
    vault = collective_channel("private", ana, ben)
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id, channel=vault)
    assert ben_client.get(urls[0]).status_code == 200

    vault.collective.members.filter(user=ben).delete()

    assert ben_client.get(urls[0]).status_code == 404


def test_blocked_users_do_not_see_it(ana, ben, ana_client, ben_client, uploaded):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id)
    BlockFactory(blocker=ana, blocked=ben)

    assert ben_client.get(f"/api/media/{media_id}/").status_code == 404
    assert ben_client.get(urls[0]).status_code == 404


def test_media_of_a_deleted_post_is_gone_for_others(ana, ana_client, ben_client, uploaded):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    post = _attach(ana, media_id)
    ana_client.delete(f"/api/posts/{post.id}/")

    assert ben_client.get(urls[0]).status_code == 404
    assert ben_client.get(f"/api/media/{media_id}/").status_code == 404


def test_guessed_names_are_404(ana_client, uploaded):
    uploaded(ana_client)

    for name in ("m/aa/aaaaaaaa.webp", "../../config/settings.py", "m/", "x"):
        assert ana_client.get(f"/media/{name}").status_code == 404


def test_unknown_and_huge_ids_are_404(ana_client):
    assert ana_client.get("/api/media/987654/").status_code == 404
    assert ana_client.get(f"/api/media/{2**70}/").status_code == 404


def test_delete_my_unattached_upload(
    ana_client, uploaded, stored_files, django_capture_on_commit_callbacks
):
    media_id = uploaded(ana_client)
    assert len(stored_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert ana_client.delete(f"/api/media/{media_id}/").status_code == 204

    assert not Media.objects.exists()
    assert stored_files() == []


def test_delete_attached_is_403_and_someone_elses_is_404(ana, ana_client, ben_client, uploaded):
    attached = uploaded(ana_client)
    _attach(ana, attached)
    loose = uploaded(ana_client)

    assert ana_client.delete(f"/api/media/{attached}/").status_code == 403
    assert ben_client.delete(f"/api/media/{loose}/").status_code == 404
    assert Media.objects.count() == 2


def test_a_strict_image_accept_header_still_gets_the_file(ana_client, uploaded):
    url = _urls(ana_client, uploaded(ana_client))[1]

    response = ana_client.get(url, HTTP_ACCEPT="image/webp")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert ana_client.get("/media/m/none.webp", HTTP_ACCEPT="image/webp").status_code == 404
