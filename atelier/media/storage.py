"""Where media files live: random names in Django's default storage, and their URLs.

Names are `m/<2 chars>/<32 random url-safe chars>[-480].<ext>`: 192 bits of randomness, so
a URL cannot be guessed or enumerated. Every URL goes through Atelier (`/media/<name>`),
which checks that the viewer may see the media before serving the file (or, with an
object store such as S3, before redirecting to a short-lived signed URL).
"""

import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

# What a stored name can be: the storage's own names (new_stem, plus the suffix the file
# system storage adds on a clash) use these characters only. Anything else in a file URL -
# a NUL byte, a control character, "..", a name longer than the column - is no name of
# ours, and is answered 404 before it reaches the database (PostgreSQL refuses a NUL in a
# query parameter with an error, not an empty result) or the file system.
_STORED_NAME = re.compile(r"[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*")
MAX_NAME_LENGTH = 200  # Media.file and Media.thumbnail


def is_stored_name(name: str) -> bool:
    """Return True if `name` could be the name of a stored file (no test of existence)."""
    return len(name) <= MAX_NAME_LENGTH and _STORED_NAME.fullmatch(name) is not None


def new_stem() -> str:
    """A fresh random name stem like `m/Ab/Ab3...`."""
    token = secrets.token_urlsafe(24)
    return f"m/{token[:2]}/{token}"


def save_bytes(name: str, data: bytes) -> str:
    """Store `data` under `name`; return the name the storage used."""
    return default_storage.save(name, ContentFile(data))


def save_upload(name: str, upload) -> str:
    """Store an uploaded file (streamed in chunks); return the name the storage used."""
    upload.seek(0)
    return default_storage.save(name, upload)


def delete_files(names) -> None:
    """Delete stored files; a file already gone is not an error."""
    for name in names:
        if name:
            default_storage.delete(name)


def file_url(name: str) -> str | None:
    """The root-relative URL that serves a stored file through Atelier's access check."""
    if not name:
        return None
    return reverse("media-file", kwargs={"name": name})
