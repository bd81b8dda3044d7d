"""How file URLs may be cached: removal (a deleted post, a block, a member who left) must
take effect, so no answer allows reuse for long, and revalidation runs the access check.

Policy (docs/media.md, "Caching"): a public post's file `public, max-age=60,
must-revalidate`; every other file `private, no-cache`; both with an ETag and a
Last-Modified, and a conditional request is a 304 only for a viewer who still may see it.
"""

import re

import pytest

from atelier.core.tests.factories import BlockFactory
from atelier.post.services import post_create
from atelier.post.tests.conftest import collective_channel

pytestmark = pytest.mark.django_db

PUBLIC_MAX_AGE = 60  # atelier.media.apis.PUBLIC_MAX_AGE
PUBLIC = f"public, max-age={PUBLIC_MAX_AGE}, must-revalidate"
PRIVATE = "private, no-cache"


def _attach(user, media_id: int, channel=None):
    return post_create(
        author=user, title="With art", post_type="image", channel=channel, media_ids=[media_id]
    )


def _urls(client, media_id: int) -> list[str]:
    body = client.get(f"/api/media/{media_id}/").json()
    return [body["url"], body["thumbnail_url"]]


def _max_age(cache_control: str) -> int:
    """The longest any cache may reuse the answer without asking (0 for no-cache)."""
    if "no-cache" in cache_control or "no-store" in cache_control:
        return 0
    ages = [int(v) for v in re.findall(r"(?:s-)?max-age=(\d+)", cache_control)]
    assert ages, cache_control
    return max(ages)


def _revalidate(client, url: str, first):
    return client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])


def test_public_post_files_may_be_reused_a_minute_then_revalidated(
    ana, ana_client, anon_client, uploaded
):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id)

    for url in urls:
        first = anon_client.get(url)
        assert first.status_code == 200
        assert first["Cache-Control"] == PUBLIC
        assert "immutable" not in first["Cache-Control"]
        assert first["ETag"] and first["Last-Modified"]

        again = _revalidate(anon_client, url, first)
        assert again.status_code == 304
        assert again["Cache-Control"] == PUBLIC and again["ETag"] == first["ETag"]
        since = anon_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
        changed = anon_client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
        assert changed.status_code == 200 and b"".join(changed.streaming_content)


def test_files_of_private_posts_and_loose_uploads_are_revalidated_on_every_use(
    ana, ben, ana_client, ben_client, uploaded
):
    vault = collective_channel("private", ana, ben)
    in_vault = uploaded(ana_client)
    _attach(ana, in_vault, channel=vault)
    loose = uploaded(ana_client)

    for client, media_id in ((ben_client, in_vault), (ana_client, loose)):
        for url in _urls(ana_client, media_id):
            first = client.get(url)
            assert first.status_code == 200
            assert first["Cache-Control"] == PRIVATE
            again = _revalidate(client, url, first)
            assert again.status_code == 304
            assert again["Cache-Control"] == PRIVATE


def test_a_deleted_posts_file_answers_404_even_to_a_revalidation(
    ana, ana_client, ben_client, uploaded
):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    post = _attach(ana, media_id)
    first = {url: ben_client.get(url) for url in urls}
    assert all(_max_age(r["Cache-Control"]) <= PUBLIC_MAX_AGE for r in first.values())

    assert ana_client.delete(f"/api/posts/{post.id}/").status_code == 204

    for url, response in first.items():
        assert ben_client.get(url).status_code == 404
        assert _revalidate(ben_client, url, response).status_code == 404


def test_the_uploader_of_a_deleted_post_gets_its_file_private(ana, ana_client, uploaded):
    """The uploader still may fetch the file of a post they deleted, but it is no longer
    public: a shared cache storing it would serve it to anyone (it was sent `public`,
    because only the collective was checked, not the post's deletion)."""
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    post = _attach(ana, media_id)
    assert ana_client.get(urls[0])["Cache-Control"] == PUBLIC

    assert ana_client.delete(f"/api/posts/{post.id}/").status_code == 204

    for url in urls:
        response = ana_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE


def test_a_blocked_viewer_gets_404_on_revalidation(ana, ben, ana_client, ben_client, uploaded):
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id)
    first = {url: ben_client.get(url) for url in urls}
    assert all(r.status_code == 200 for r in first.values())

    BlockFactory(blocker=ana, blocked=ben)

    for url, response in first.items():
        assert _revalidate(ben_client, url, response).status_code == 404


def test_a_member_who_left_gets_404_on_revalidation_and_was_never_allowed_to_keep_it(
    ana, ben, ana_client, ben_client, uploaded
):
    vault = collective_channel("private", ana, ben)
    media_id = uploaded(ana_client)
    urls = _urls(ana_client, media_id)
    _attach(ana, media_id, channel=vault)
    first = {url: ben_client.get(url) for url in urls}
    assert all(_max_age(r["Cache-Control"]) == 0 for r in first.values())

    # (The factories leave members_count at 0, so the leave service's counter would refuse.)
    vault.collective.members.filter(user=ben).delete()

    for url, response in first.items():
        assert _revalidate(ben_client, url, response).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/%00",
        "/media/%00.webp",
        "/media/a%00b/c",
        "/media/m/%01x.webp",
        "/media/m/aa/%ED%A0%80.webp",
        "/media/m/aa/x%7F.webp",
        "/media/m/../x.webp",
        "/media/" + "a" * 5000,
    ],
)
def test_odd_bytes_in_a_file_name_are_404(ana_client, anon_client, uploaded, path):
    uploaded(ana_client)  # something in storage, so that a lookup could find a row

    for client in (ana_client, anon_client):
        response = client.get(path)
        assert response.status_code == 404, response.content
        assert response.json() == {"detail": "No such file."}
