"""Profiles on the pages: the bio rendered safely, the name and avatar shown, the pins, the
profile form (/settings/profile/), and alt text as the `alt` of every post picture."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from atelier.core.models import User
from atelier.media import processing
from atelier.media.models import Media
from atelier.media.services import media_store_processed
from atelier.post.models import PinnedPost
from atelier.post.tests.factories import PostFactory
from atelier.web.templatetags.pages import bio
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.django_db


# --- the bio filter ---------------------------------------------------------------------


def test_a_bio_link_is_marked_nofollow_ugc():
    html = bio("Prints at https://example.org/shop. Write me!")

    assert html == (
        'Prints at <a href="https://example.org/shop" rel="nofollow ugc noopener" '
        'target="_blank">https://example.org/shop</a>. Write me!'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        '<img src=x onerror="alert(1)">',
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/'><script>alert(1)</script>",
        "ftp://example.org/file",
    ],
)
def test_a_bio_never_carries_markup_or_other_schemes(text):
    html = bio(text)

    assert "<script" not in html and "<img" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    assert "onmouseover=" not in html.replace("onmouseover=&quot;", "")
    assert not re.search(r"<a [^>]*on\w+=", html)


def test_a_bio_keeps_its_line_breaks_and_escapes_ampersands():
    assert bio("one & two\nthree") == "one &amp; two<br>three"
    assert 'href="https://a.example/?x=1&amp;y=2"' in bio("https://a.example/?x=1&y=2")


# --- the member's page ------------------------------------------------------------------


def _avatar_for(user) -> Media:
    processed = processing.variants(Image.new("RGB", (400, 300), (30, 90, 160)))
    media = media_store_processed(owner_id=user.id, processed=processed)
    from atelier.core.services import profile_update

    profile_update(user=user, avatar=media.id)
    media.refresh_from_db()
    return media


def test_the_page_shows_display_name_avatar_and_a_safe_bio(client, ana, ben):
    User.objects.filter(pk=ben.pk).update(
        display_name="Ben <b>Bold</b>",
        bio="See https://example.org/ben <script>alert(1)</script> javascript:alert(2)",
    )
    ben.refresh_from_db()
    media = _avatar_for(ben)
    client.force_login(ana)

    page = client.get(f"/users/{ben.id}/").content.decode()

    assert "Ben &lt;b&gt;Bold&lt;/b&gt;" in page and "@ben" in page
    assert f'src="/media/{media.square}"' in page
    assert '<a href="https://example.org/ben" rel="nofollow ugc noopener" target="_blank">' in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert client.get(f"/media/{media.square}").status_code == 200


def test_the_name_falls_back_to_the_username(client, ana, ben):
    client.force_login(ana)

    page = client.get(f"/users/{ben.id}/").content.decode()

    assert '<h1 class="profile-name">ben</h1>' in page


def test_pins_come_first_and_only_those_i_may_see(client, ana, ben, monkeypatch):
    from atelier.post.tests.conftest import collective_channel

    older = PostFactory(author=ben, title="Older pinned")
    private = PostFactory(author=ben, channel=collective_channel("private", ben))
    PostFactory(author=ben, title="Newest")
    PinnedPost.objects.create(user=ben, post=older, position=0)
    PinnedPost.objects.create(user=ben, post=private, position=1)
    client.force_login(ana)

    page = client.get(f"/users/{ben.id}/").content.decode()

    assert f'id="pinned-{older.id}"' in page and f'id="pinned-{private.id}"' not in page
    assert page.index(f'id="pinned-{older.id}"') < page.index("Newest")
    # The pins lead the first page only.
    monkeypatch.setattr("atelier.web.views.PROFILE_POSTS", 1)
    assert 'id="pinned-' not in client.get(f"/users/{ben.id}/?page=2").content.decode()


# --- the profile form -------------------------------------------------------------------


def _png(size=(120, 80)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def test_the_form_saves_name_bio_and_an_uploaded_avatar(client, ana):
    client.force_login(ana)

    response = client.post(
        "/settings/profile/",
        {"display_name": " Ana ", "bio": "Ink\r\nhttps://example.org", "avatar_upload": _png()},
    )

    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.display_name, ana.bio) == ("Ana", "Ink\nhttps://example.org")
    assert ana.avatar_file.endswith("sq.webp")
    page = client.get(response["Location"]).content.decode()
    assert 'id="saved"' in page and 'id="current-avatar"' in page


def test_the_form_chooses_and_clears_an_avatar(client, ana):
    processed = processing.variants(Image.new("RGB", (300, 300), (1, 2, 3)))
    media = media_store_processed(owner_id=ana.id, processed=processed)
    client.force_login(ana)

    client.post("/settings/profile/", {"display_name": "", "bio": "", "avatar": str(media.id)})
    ana.refresh_from_db()
    assert ana.avatar_file and ana.avatar_file == Media.objects.get(pk=media.pk).square

    client.post("/settings/profile/", {"display_name": "", "bio": "", "avatar": "none"})
    ana.refresh_from_db()
    assert ana.avatar_file == ""


def test_the_form_answers_bad_input_with_the_apis_messages(client, ana, ben):
    processed = processing.variants(Image.new("RGB", (300, 300), (1, 2, 3)))
    bens = media_store_processed(owner_id=ben.id, processed=processed)
    client.force_login(ana)

    too_long = client.post("/settings/profile/", {"display_name": "x" * 51, "bio": ""})
    not_mine = client.post("/settings/profile/", {"bio": "", "avatar": str(bens.id)})
    not_a_picture = client.post(
        "/settings/profile/",
        {"bio": "", "avatar_upload": SimpleUploadedFile("a.png", b"not an image")},
    )

    for response in (too_long, not_mine, not_a_picture):
        assert response.status_code == 400
        assert 'id="profile-errors"' in response.content.decode()
    ana.refresh_from_db()
    assert (ana.display_name, ana.avatar_file) == ("", "")


def test_the_form_needs_a_login(client):
    assert client.get("/settings/profile/").status_code == 302


# --- alt text on the pages --------------------------------------------------------------


def test_post_pictures_use_their_alt_text_or_the_title(client, ana, ben):
    described = PostFactory(author=ben, title="Harbour")
    media = picture_for(described)
    Media.objects.filter(pk=media.pk).update(alt_text='Boats at dusk, "red" sails')
    plain = PostFactory(author=ben, title="Quay")
    picture_for(plain)
    client.force_login(ana)

    page = client.get(f"/posts/{described.id}/").content.decode()
    grid = client.get(f"/users/{ben.id}/").content.decode()

    assert 'alt="Boats at dusk, &quot;red&quot; sails"' in page
    assert 'alt="Boats at dusk, &quot;red&quot; sails"' in grid
    assert 'alt="Quay"' in client.get(f"/posts/{plain.id}/").content.decode()
    assert 'alt="Quay"' in grid
