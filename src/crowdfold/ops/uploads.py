"""Uploads (avatars, project icons, files): checked, then stored locally or in S3-compatible storage.

``save_upload`` is the one way a file enters storage. A file must have an extension listed in
``ALLOWED_EXTENSIONS`` *and* content that matches it: images are opened and verified with Pillow,
other binary types must start with their magic bytes, text types (js, css) must be UTF-8 text.
Names are random, so a user cannot overwrite or guess another file.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from crowdfold.lib.errors import BadRequest

IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
MAGIC = {
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "pdf": (b"%PDF-",),
    "gz": (b"\x1f\x8b",),
}
TEXT_TYPES = {"js", "css", "txt", "csv", "json", "md"}
_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


class UploadRejected(BadRequest):
    pass


@dataclass
class StoredUpload:
    name: str  # storage key, e.g. "avatars/3f2c....png"
    url: str
    size: int
    extension: str


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _read_limited(source: bytes | BinaryIO) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        data = source.read(settings.UPLOAD_MAX_SIZE + 1)
    if len(data) > settings.UPLOAD_MAX_SIZE:
        raise UploadRejected(f"The file is larger than {settings.UPLOAD_MAX_SIZE} bytes")
    if not data:
        raise UploadRejected("The file is empty")
    return data


def _check_image(data: bytes, extension: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != IMAGE_FORMATS[extension]:
                raise UploadRejected(
                    f"The file is a {image.format or 'unknown'} image, not .{extension}"
                )
            if image.width * image.height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                raise UploadRejected("The image has too many pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRejected(f"The file is not a valid .{extension} image") from exc


def check_content(data: bytes, extension: str) -> None:
    """Refuse content that does not match its extension."""
    if extension in IMAGE_FORMATS:
        _check_image(data, extension)
    elif extension in MAGIC:
        if not data.startswith(MAGIC[extension]):
            raise UploadRejected(f"The file is not a .{extension} file")
    elif extension in TEXT_TYPES:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UploadRejected(f"A .{extension} file must be UTF-8 text") from exc
        if "\x00" in text:
            raise UploadRejected(f"A .{extension} file must be text")


def save_upload(source: bytes | BinaryIO, filename: str, *, folder: str = "files") -> StoredUpload:
    """Check and store one uploaded file under ``folder``; returns its storage name and URL.
    Raises ``UploadRejected`` (a 400 in the API) for a bad extension, size or content."""
    if not _FOLDER.match(folder):
        raise ValueError(f"bad upload folder {folder!r}")
    extension = extension_of(filename or "")
    if extension not in settings.ALLOWED_EXTENSIONS:
        allowed = ", ".join(settings.ALLOWED_EXTENSIONS)
        raise UploadRejected(
            f"Files of type .{extension or '?'} are not allowed (allowed: {allowed})"
        )
    data = _read_limited(source)
    check_content(data, extension)
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(data))
    return StoredUpload(name=name, url=upload_url(name), size=len(data), extension=extension)


def delete_upload(name: str) -> None:
    if name:
        default_storage.delete(name)


def upload_url(name: str) -> str:
    """The URL of a stored file; absolute (CROWDFOLD_BASE_URL) when ``AVATAR_ABSOLUTE`` is on."""
    url = default_storage.url(name)
    if settings.AVATAR_ABSOLUTE and url.startswith("/"):
        return settings.CROWDFOLD_BASE_URL + url
    return url
