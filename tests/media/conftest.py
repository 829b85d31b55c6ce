"""Fixtures for the media tests: a private media directory, photos made with Pillow, a
moto S3 server on 127.0.0.1 (and s3rver, for presigned-URL expiry), and settings that
point the storages at them."""

import io
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from config.storages import storages_from_environment

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


def media_on_fresh_bucket(client, server_url, credentials, settings, monkeypatch):
    """The storages configured exactly as production does from its environment, on a fresh
    bucket of the S3 server at `server_url`; `configure(**environment)` changes that
    environment."""
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)

    def configure(**environment):
        env = {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": server_url,
            "AWS_S3_REGION_NAME": "us-east-1",
            **environment,
        }
        settings.STORAGES = storages_from_environment(env, settings.STORAGES)

    configure()
    return SimpleNamespace(bucket=bucket, client=client, url=server_url, configure=configure)


@pytest.fixture
def s3_media(moto_s3, settings, monkeypatch):
    """Production's storages on a fresh bucket of the moto server."""
    return media_on_fresh_bucket(moto_s3.client, moto_s3.url, S3_CREDENTIALS, settings, monkeypatch)


# --- an S3 server that enforces presigned-URL expiry -----------------------------------------
# moto's S3 server checks neither the signature nor the expiry of a presigned URL (it only
# lets a signed request past the object's ACL), so the expiry test runs against s3rver
# (npm), which refuses a query-signed request after X-Amz-Date + X-Amz-Expires. s3rver
# ignores ACLs and does not verify SigV4 signatures: privacy stays tested on moto.
S3RVER_DIR = Path(__file__).parent / "s3rver"
S3RVER_BIN = S3RVER_DIR / "node_modules" / ".bin" / "s3rver"
S3RVER_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER"}
S3RVER_START_TIMEOUT = 30


def _install_s3rver():
    """npm ci from the lock file, once per checkout (node_modules is not in git)."""
    if S3RVER_BIN.exists():
        return
    npm = shutil.which("npm")
    assert npm, "The S3 expiry tests need Node.js and npm (Debian: apt-get install nodejs npm)"
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(S3RVER_DIR)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _wait_for_s3rver_port(log_path, process):
    deadline = time.monotonic() + S3RVER_START_TIMEOUT
    while time.monotonic() < deadline:
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", log_path.read_text())
        if found:
            return int(found.group(1))
        assert process.poll() is None, f"s3rver exited: {log_path.read_text()}"
        time.sleep(0.1)
    raise AssertionError(f"s3rver did not start in {S3RVER_START_TIMEOUT} s")


@pytest.fixture(scope="session")
def s3rver(tmp_path_factory):
    """s3rver on 127.0.0.1 (a free port), its data in a temporary directory."""
    _install_s3rver()
    data = tmp_path_factory.mktemp("s3rver")
    log_path = data / "s3rver.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(S3RVER_BIN), "-d", str(data / "buckets"), "-a", "127.0.0.1", "-p", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{_wait_for_s3rver_port(log_path, process)}"
        yield SimpleNamespace(url=url)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3rver_media(s3rver, settings, monkeypatch):
    """Production's storages on a fresh bucket of s3rver."""
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3rver.url, region_name="us-east-1", **_lower(S3RVER_CREDENTIALS)
    )
    return media_on_fresh_bucket(client, s3rver.url, S3RVER_CREDENTIALS, settings, monkeypatch)
