"""Uploads: extension and content checks, size limits, local folder or S3-compatible storage
(moto's S3 server on a loopback port), absolute URLs."""

from __future__ import annotations

import io
import zipfile

import boto3
import pytest
from django.test import Client
from PIL import Image

from crowdfold.ops.uploads import UploadRejected, save_upload
from tests.ops.conftest import free_port


def image_bytes(fmt: str = "PNG", size=(8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt)
    return buf.getvalue()


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.fixture
def local_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_METHOD = "local"
    settings.CROWDFOLD_BASE_URL = "https://crowd.example.org"
    return tmp_path


def test_an_image_is_stored_in_the_upload_folder_and_served_at_an_absolute_url(local_uploads):
    data = image_bytes()
    stored = save_upload(data, "me.PNG", folder="avatars")
    assert stored.name.startswith("avatars/") and stored.name.endswith(".png")
    assert (local_uploads / stored.name).read_bytes() == data
    assert stored.url == f"https://crowd.example.org/uploads/{stored.name}"
    served = Client().get(f"/uploads/{stored.name}")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == data


def test_avatar_absolute_off_gives_a_relative_url(local_uploads, settings):
    settings.AVATAR_ABSOLUTE = False
    assert save_upload(image_bytes("GIF"), "a.gif", folder="avatars").url.startswith("/uploads/")


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"MZ\x90\x00binary", "tool.exe", "not allowed"),
        (image_bytes("JPEG"), "photo.png", "JPEG image, not .png"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "broken.png", "not a valid .png"),
        (b"<script>alert(1)</script>", "fake.gif", "not a valid .gif"),
        (b"just text", "archive.zip", "not a .zip file"),
        (b"\x00\x01\x02\xff\xfe", "app.js", "UTF-8 text"),
        (b"", "empty.css", "empty"),
    ],
)
def test_a_file_whose_content_does_not_match_its_extension_is_refused(
    local_uploads, content, filename, reason
):
    with pytest.raises(UploadRejected, match=reason):
        save_upload(content, filename)
    assert not any(local_uploads.rglob("*.*"))


def test_allowed_types_with_matching_content_are_accepted(local_uploads):
    for content, name in [
        (zip_bytes(), "a.zip"),
        (b"body { color: red }", "s.css"),
        (image_bytes("JPEG"), "p.jpeg"),
    ]:
        assert save_upload(content, name).size == len(content)


def test_files_over_the_size_limit_are_refused(local_uploads, settings):
    settings.UPLOAD_MAX_SIZE = 100
    with pytest.raises(UploadRejected, match="larger than 100 bytes"):
        save_upload(io.BytesIO(b"a" * 101), "big.css")
    assert save_upload(io.BytesIO(b"a" * 100), "ok.css").size == 100


def test_allowed_extensions_is_the_operators_list(local_uploads, settings):
    settings.ALLOWED_EXTENSIONS = ["png"]
    with pytest.raises(UploadRejected, match=r"allowed: png"):
        save_upload(zip_bytes(), "a.zip")


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_uploads_go_to_s3_compatible_storage_when_configured(db, settings, s3_server):
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    s3.create_bucket(Bucket="crowd-uploads")
    settings.UPLOAD_METHOD = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "crowd-uploads",
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "querystring_auth": False,
                "file_overwrite": False,
                "location": "uploads",
            },
        },
    }
    data = image_bytes()
    stored = save_upload(data, "icon.png", folder="icons")
    body = s3.get_object(Bucket="crowd-uploads", Key=f"uploads/{stored.name}")["Body"].read()
    assert body == data
    assert stored.url == f"{s3_server}/crowd-uploads/uploads/{stored.name}"
    assert Client().get(f"/uploads/{stored.name}").status_code == 404  # not served locally
    with pytest.raises(UploadRejected):
        save_upload(b"not an image", "icon.png", folder="icons")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="crowd-uploads")["Contents"]]
    assert keys == [f"uploads/{stored.name}"]
