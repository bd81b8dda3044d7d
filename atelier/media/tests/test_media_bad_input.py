"""Bad uploads: a clear 400 or 413 naming the field, and nothing stored, every time."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from atelier.media.models import Media
from atelier.media.tests.files import MP3, image_bytes, png_header_only, upload

pytestmark = pytest.mark.django_db
MB = 2**20


def _truncated_jpeg() -> bytes:
    data = image_bytes("JPEG", (400, 300))
    return data[: len(data) // 2]


def _truncated_png() -> bytes:
    data = image_bytes("PNG", (400, 300))
    return data[: len(data) - 40]


BAD_FILES = {
    "text claiming to be a JPEG": (b"hello, I am a picture, honest" * 10, "file"),
    "html": (b"<html><script>alert(1)</script></html>", "file"),
    "JPEG magic then garbage": (b"\xff\xd8\xff\xe0" + b"\x13" * 5000, "file"),
    "truncated JPEG": (_truncated_jpeg(), "file"),
    "truncated PNG": (_truncated_png(), "file"),
    "bomb: 48 megapixels declared": (png_header_only(8000, 6000), "file"),
    "bomb: 400 megapixels declared": (png_header_only(20000, 20000), "file"),
    "BMP, not an accepted format": (image_bytes("BMP", (10, 10)), "file"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_are_400_and_nothing_is_stored(ana_client, upload_as, stored_files, case):
    data, field = BAD_FILES[case]

    response = upload_as(ana_client, data)

    assert response.status_code == 400, response.content
    assert response.json()[field][0]
    assert not Media.objects.exists()
    assert stored_files() == []


def test_bomb_message_names_the_limit(ana_client, upload_as):
    response = upload_as(ana_client, png_header_only(8000, 6000))

    assert "8000x6000" in response.json()["file"][0]
    assert "40 megapixels" in response.json()["file"][0]


def test_zero_byte_file_is_400(ana_client, upload_as, stored_files):
    response = upload_as(ana_client, b"")

    assert response.status_code == 400
    assert "empty" in response.json()["file"][0]
    assert stored_files() == []


def test_missing_file_is_400(ana_client):
    response = ana_client.post("/api/media/", {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


def test_json_body_is_415_not_500(ana_client):
    response = ana_client.post("/api/media/", {"file": "x"}, format="json")

    assert response.status_code == 415


def test_image_over_20_mb_is_413(ana_client, upload_as, stored_files):
    # A real JPEG start, padded past the limit: refused on its size, before decoding.
    data = image_bytes("JPEG", (10, 10))
    data += b"\x00" * (20 * MB + 1 - len(data))

    response = upload_as(ana_client, data)

    assert response.status_code == 413, response.content
    assert "20 MB" in response.json()["file"][0]
    assert stored_files() == [] and not Media.objects.exists()


def test_an_image_of_exactly_20_mb_is_not_refused_for_its_size(ana_client, upload_as):
    data = image_bytes("JPEG", (10, 10))
    data += b"\x00" * (20 * MB - len(data))  # trailing bytes after the JPEG's end are ignored

    assert upload_as(ana_client, data).status_code == 201


def test_audio_over_its_limit_is_413(ana_client, settings, stored_files):
    settings.MEDIA_MAX_BYTES = {**settings.MEDIA_MAX_BYTES, "audio": len(MP3) - 1}

    response = ana_client.post("/api/media/", {"file": upload(MP3, "a.mp3")}, format="multipart")

    assert response.status_code == 413
    assert stored_files() == []


def test_a_body_larger_than_any_limit_is_refused_before_it_is_read(ana_client, settings):
    settings.MEDIA_MAX_BYTES = {"image": 1000, "audio": 1000, "video": 1000}

    response = ana_client.post(
        "/api/media/", {"file": upload(b"\x00" * (2 * MB))}, format="multipart"
    )

    assert response.status_code == 413
    assert "file" in response.json()


def test_a_cover_must_be_an_image(ana_client, stored_files):
    response = ana_client.post(
        "/api/media/",
        {"file": upload(MP3, "a.mp3"), "cover": upload(b"not an image at all", "c.jpg")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "cover" in response.json()
    assert stored_files() == []


def test_an_image_takes_no_cover(ana_client, stored_files):
    response = ana_client.post(
        "/api/media/",
        {"file": upload(image_bytes()), "cover": upload(image_bytes())},
        format="multipart",
    )

    assert response.status_code == 400
    assert "cover" in response.json()
    assert stored_files() == []


def test_a_failed_insert_removes_the_files_already_written(
    ana_client, upload_as, stored_files, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Media.objects, "create", fail)

    with pytest.raises(RuntimeError):
        upload_as(ana_client)

    assert stored_files() == []


def test_uploads_are_throttled_by_their_own_scope(ana_client, upload_as, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "upload", "2/min")

    codes = [upload_as(ana_client).status_code for _ in range(3)]

    assert codes == [201, 201, 429]
