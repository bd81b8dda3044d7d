"""Upload files made in memory: real images (with EXIF), broken ones, bombs, audio, video."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# An MP3 starts with an ID3 tag; an MP4 with an `ftyp` box. Enough for sniffing.
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 2000
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000
GPS_LATITUDE = 0x8825  # the GPSInfo IFD pointer tag


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    colour=(200, 30, 30),
    *,
    mode: str = "RGB",
    orientation: int | None = None,
    gps: bool = False,
) -> bytes:
    image = Image.new(mode, size, colour)
    # A small block of a second colour, so the dominant colour is a real choice.
    image.paste((20, 20, 220) if mode == "RGB" else colour, (0, 0, size[0] // 5, size[1] // 5))
    out = io.BytesIO()
    params = {}
    if orientation or gps:
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        if gps:
            exif[0x010F] = "SpyCam"  # Make
            exif.get_ifd(GPS_LATITUDE).update({1: "N", 2: (48.0, 51.0, 24.0)})
        params["exif"] = exif.tobytes()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares `width`x`height` but carries almost no pixel data (a bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "upload.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
