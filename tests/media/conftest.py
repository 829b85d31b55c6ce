"""Fixtures for the media tests: a private media directory, photos made with Pillow, a
moto S3 server on 127.0.0.1, and settings that point the storages at it."""

import io
import uuid
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from media.storage import storages_from_environment

S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of each test go to its own directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def photo_bytes(size=(640, 480), fmt="JPEG", color=(200, 30, 30), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(scope="session")
def moto_s3():
    """A moto S3 server on 127.0.0.1 (its own process thread) and a client for checks."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=url, region_name="us-east-1", **_lower(S3_CREDENTIALS))
    yield SimpleNamespace(url=url, client=client)
    server.stop()


def _lower(credentials):
    return {key.lower(): value for key, value in credentials.items()}


@pytest.fixture
def s3_media(moto_s3, settings, monkeypatch):
    """The storages configured exactly as production does from its environment, on a fresh
    bucket of the moto server."""
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    moto_s3.client.create_bucket(Bucket=bucket)
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)

    def configure(**environment):
        env = {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": moto_s3.url,
            "AWS_S3_REGION_NAME": "us-east-1",
            **environment,
        }
        settings.STORAGES = storages_from_environment(env, settings.STORAGES)

    configure()
    return SimpleNamespace(
        bucket=bucket, client=moto_s3.client, url=moto_s3.url, configure=configure
    )
