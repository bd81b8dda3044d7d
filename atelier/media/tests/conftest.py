"""Fixtures for the media tests: uploading through the API, and what is in storage."""

from pathlib import Path

import pytest

from atelier.media.tests.files import image_bytes, upload


@pytest.fixture
def stored_files(_media_root):
    """Return a function listing every file under MEDIA_ROOT (relative names)."""

    def files() -> list[str]:
        root = Path(_media_root)
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return files


@pytest.fixture
def upload_as():
    """Return a function that uploads `data` as the client's user and returns the response."""

    def send(client, data: bytes | None = None, **extra):
        body = {"file": upload(data if data is not None else image_bytes())}
        body.update(extra)
        return client.post("/api/media/", body, format="multipart")

    return send


@pytest.fixture
def uploaded(upload_as):
    """Return a function that uploads an image as the client's user and returns its id."""

    def make(client, data: bytes | None = None) -> int:
        response = upload_as(client, data)
        assert response.status_code == 201, response.content
        return response.json()["id"]

    return make
