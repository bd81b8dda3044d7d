"""POST /api/media/: images decoded and re-encoded, audio and video by sniffed type."""

import io
import re

import pytest
from PIL import Image

from atelier.media.models import Media
from atelier.media.tests.files import MP3, MP4, image_bytes, upload

pytestmark = pytest.mark.django_db
MEDIA_FIELDS = {
    "id",
    "kind",
    "url",
    "thumbnail_url",
    "width",
    "height",
    "placeholder",
    "content_type",
    "size",
    "alt_text",
}


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content)


def test_an_image_answers_201_with_the_media_object(ana_client, upload_as):
    response = upload_as(ana_client, image_bytes("JPEG", (64, 48)))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == MEDIA_FIELDS
    media = Media.objects.get()
    assert body["id"] == media.id
    assert (body["kind"], body["content_type"]) == ("image", "image/webp")
    assert (body["width"], body["height"]) == (64, 48)
    assert re.fullmatch(r"#[0-9a-f]{6}", body["placeholder"])
    assert body["url"].startswith("/media/m/") and body["url"].endswith(".webp")
    assert body["thumbnail_url"].endswith("-480.webp")
    display = fetch(ana_client, body["url"])
    assert len(display) == body["size"]
    assert Image.open(io.BytesIO(display)).format == "WEBP"


def test_variants_are_1600_and_480_px_on_the_long_side(ana_client, upload_as):
    body = upload_as(ana_client, image_bytes("PNG", (3200, 1800))).json()

    assert (body["width"], body["height"]) == (1600, 900)
    display = Image.open(io.BytesIO(fetch(ana_client, body["url"])))
    thumbnail = Image.open(io.BytesIO(fetch(ana_client, body["thumbnail_url"])))
    assert display.size == (1600, 900)
    assert thumbnail.size == (480, 270)


def test_small_images_are_not_enlarged(ana_client, upload_as):
    body = upload_as(ana_client, image_bytes("PNG", (300, 200))).json()

    thumbnail = Image.open(io.BytesIO(fetch(ana_client, body["thumbnail_url"])))
    assert (body["width"], body["height"]) == thumbnail.size == (300, 200)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_accepted_image_format(ana_client, upload_as, fmt):
    response = upload_as(ana_client, image_bytes(fmt, (40, 30)))

    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "image"


def test_exif_is_stripped_and_orientation_applied(ana_client, upload_as):
    # Orientation 6: the camera was turned, the picture must be shown rotated a quarter turn.
    original = image_bytes("JPEG", (80, 40), orientation=6, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is in there

    body = upload_as(ana_client, original).json()

    assert (body["width"], body["height"]) == (40, 80)
    for url in (body["url"], body["thumbnail_url"]):
        data = fetch(ana_client, url)
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif()
        assert "exif" not in stored.info and "xmp" not in stored.info
        assert b"Exif" not in data and b"SpyCam" not in data


def test_transparency_is_kept(ana_client, upload_as):
    body = upload_as(ana_client, image_bytes("PNG", (40, 40), (0, 0, 0, 0), mode="RGBA")).json()

    stored = Image.open(io.BytesIO(fetch(ana_client, body["url"])))
    assert stored.mode == "RGBA"


def test_placeholder_is_the_dominant_colour(ana_client, upload_as):
    body = upload_as(ana_client, image_bytes("PNG", (100, 100), (200, 30, 30))).json()

    colour = body["placeholder"]
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(r - 200) < 12 and g < 45 and b < 45, colour


def test_a_16_bit_greyscale_png(ana_client, upload_as):
    image = Image.new("I;16", (30, 20), 40000)
    out = io.BytesIO()
    image.save(out, format="PNG")

    response = upload_as(ana_client, out.getvalue())

    assert response.status_code == 201, response.content


def test_audio_is_recognised_by_its_bytes_not_its_name(ana_client):
    response = ana_client.post(
        "/api/media/", {"file": upload(MP3, "song.jpg", "image/jpeg")}, format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["content_type"], body["size"]) == ("audio", "audio/mpeg", len(MP3))
    assert body["thumbnail_url"] is body["width"] is body["height"] is None
    assert body["url"].endswith(".mp3")
    assert re.fullmatch(r"#[0-9a-f]{6}", body["placeholder"])
    served = ana_client.get(body["url"])
    assert served["Content-Type"] == "audio/mpeg"
    assert b"".join(served.streaming_content) == MP3


def test_video_with_a_cover(ana_client):
    cover = upload(image_bytes("JPEG", (960, 540)))
    response = ana_client.post(
        "/api/media/",
        {"file": upload(MP4, "clip.bin", "application/octet-stream"), "cover": cover},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["content_type"]) == ("video", "video/mp4")
    assert (body["width"], body["height"]) == (960, 540)
    thumbnail = Image.open(io.BytesIO(fetch(ana_client, body["thumbnail_url"])))
    assert thumbnail.size == (480, 270)


def test_anonymous_is_401(anon_client, upload_as, stored_files):
    assert upload_as(anon_client).status_code == 401
    assert stored_files() == []
