"""Media on S3 (a moto server on 127.0.0.1): private originals behind signed URLs, public
renditions (optionally on a CDN domain), and the local → S3 migration command. The expiry
of signed URLs is tested on s3rver, which enforces it (moto does not)."""

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.template import Context, Template

import pytest
import requests
import time_machine

from media.models import NewsImage, NewsMedia
from tests.cms.factories import NewsImageFactory

from .conftest import photo_bytes

pytestmark = pytest.mark.django_db


def make_photo(**fields):
    return NewsImageFactory(
        file__from_file=io.BytesIO(photo_bytes((1600, 1200))), file__filename="photo.jpg", **fields
    )


def acl_is_public(client, bucket, key):
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(g["Grantee"].get("URI", "").endswith("/global/AllUsers") for g in grants)


def render_picture(image, set_name="article"):
    template = Template("{% load media_tags %}{% news_picture image set_name %}")
    return template.render(Context({"image": image, "set_name": set_name}))


def test_original_is_private_and_served_through_a_signed_url(s3_media):
    # Given a signed-URL lifetime of ten minutes
    s3_media.configure(MEDIA_SIGNED_URL_LIFETIME="600")
    # When a photo is uploaded
    image = make_photo()
    # Then its original is in the bucket, not readable by the public
    key = image.file.name
    s3_media.client.head_object(Bucket=s3_media.bucket, Key=key)
    assert not acl_is_public(s3_media.client, s3_media.bucket, key)
    assert requests.get(f"{s3_media.url}/{s3_media.bucket}/{key}", timeout=5).status_code == 403
    # And its URL is signed, valid for the configured lifetime from now, and works
    url = image.file.url
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["600"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 60
    response = requests.get(url, timeout=5)
    assert response.status_code == 200
    assert response.content[:2] == b"\xff\xd8"  # the JPEG itself


def test_signed_url_is_refused_once_its_lifetime_is_over(s3rver_media):
    # Given originals signed for ten minutes, on an S3 server that enforces expiry
    s3rver_media.configure(MEDIA_SIGNED_URL_LIFETIME="600")
    image = make_photo()
    now = datetime.now(UTC)
    # When a station follows a link the site signed nine and a half minutes ago
    with time_machine.travel(now - timedelta(seconds=570)):
        recent_link = image.file.url
    response = requests.get(recent_link, timeout=5)
    # Then it still gets the photo
    assert response.status_code == 200
    assert response.content[:2] == b"\xff\xd8"
    # When it follows a link signed ten and a half minutes ago
    with time_machine.travel(now - timedelta(seconds=630)):
        stale_link = image.file.url
    response = requests.get(stale_link, timeout=5)
    # Then the store refuses it as expired
    assert response.status_code == 403
    assert "<Message>Request has expired</Message>" in response.text


def test_renditions_are_written_to_the_bucket_public_and_unsigned(s3_media):
    # Given a photo on S3
    image = make_photo()
    # When the site renders it
    html = render_picture(image)
    # Then each rendition is in the bucket, public, and its URL needs no signature
    renditions = list(image.renditions.all())
    assert len(renditions) >= 6  # three widths in WebP and JPEG at least
    for rendition in renditions:
        assert acl_is_public(s3_media.client, s3_media.bucket, rendition.file.name)
        assert "X-Amz-Signature" not in rendition.url
        assert rendition.url in html
    jpeg = next(r for r in renditions if r.file.name.endswith(".jpg"))
    response = requests.get(jpeg.url, timeout=5)
    assert response.status_code == 200
    assert "immutable" in response.headers.get("Cache-Control", "")


def test_public_media_is_served_from_the_cdn_domain(s3_media):
    # Given a CDN in front of the bucket
    s3_media.configure(AWS_S3_CUSTOM_DOMAIN="media.qiaoyin.test")
    image = make_photo()
    # When the site renders the photo
    html = render_picture(image, "gallery")
    # Then readers fetch renditions from the CDN, and the original stays signed on S3
    assert 'srcset="https://media.qiaoyin.test/images/' in html
    assert "media.qiaoyin.test" not in image.file.url
    assert "X-Amz-Signature" in image.file.url


def test_video_files_are_public_on_s3(s3_media):
    # Given a video uploaded with its subtitles
    video = NewsMedia.objects.create(
        title="创业中华 路演",
        type="video",
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="pitch.mp4"),
        subtitles=ContentFile("WEBVTT\n\n00:00.000 --> 00:02.000\n你好\n".encode(), "pitch.vtt"),
    )
    # Then readers can play it without a signature
    assert "X-Amz-Signature" not in video.url
    assert requests.get(video.url, timeout=5).content.startswith(b"\x00\x00\x00\x18ftyp")
    assert requests.get(video.subtitles.url, timeout=5).status_code == 200


# --- media_migrate_storage ----------------------------------------------------------------
@pytest.fixture
def local_library(media_root):
    """Two photos with renditions and an audio item, stored on the local disk."""
    photos = [make_photo(title=f"侨连天下 {n}") for n in range(2)]
    for photo in photos:
        render_picture(photo, "card")
    audio = NewsMedia.objects.create(
        title="亲情中华 播客", type="audio", file=ContentFile(b"ID3" + b"\x01" * 500, "pod.mp3")
    )
    local = FileSystemStorage(location=media_root)
    names = [p.file.name for p in photos] + [audio.file.name]
    names += [r.file.name for p in photos for r in p.renditions.all()]
    assert all(local.exists(name) for name in names)
    return local, names


def bucket_keys(s3_media):
    listing = s3_media.client.list_objects_v2(Bucket=s3_media.bucket)
    return {item["Key"]: item["Size"] for item in listing.get("Contents", [])}


def test_migration_copies_every_file_and_verifies_it(local_library, s3_media, capsys):
    local, names = local_library
    # When the operator migrates after setting the bucket
    call_command("media_migrate_storage")
    # Then every file is in the bucket with its size, and the summary says all verified
    keys = bucket_keys(s3_media)
    for name in names:
        assert keys[name] == local.size(name)
    out = capsys.readouterr().out
    assert f"{len(names)} files: {len(names)} copied, 0 already there" in out
    assert "Every file verified (size and SHA-256)." in out
    # And originals stayed private while renditions and audio became public
    photo = NewsImage.objects.first()
    assert not acl_is_public(s3_media.client, s3_media.bucket, photo.file.name)
    rendition = photo.renditions.first()
    assert acl_is_public(s3_media.client, s3_media.bucket, rendition.file.name)


def test_migration_resumes_where_it_stopped(local_library, s3_media, capsys):
    local, names = local_library
    # Given a run that was interrupted after copying one file
    with local.open(names[0], "rb") as handle:
        s3_media.client.put_object(Bucket=s3_media.bucket, Key=names[0], Body=handle.read())
    # When the command runs again
    call_command("media_migrate_storage")
    # Then it copies only the rest
    out = capsys.readouterr().out
    assert f"{len(names) - 1} copied, 1 already there" in out


def test_verification_catches_a_file_that_differs(local_library, s3_media, capsys):
    local, names = local_library
    call_command("media_migrate_storage")
    # Given an object in the bucket whose bytes changed but not its size
    size = local.size(names[0])
    s3_media.client.put_object(Bucket=s3_media.bucket, Key=names[0], Body=b"\x00" * size)
    # When the operator verifies
    with pytest.raises(CommandError, match="1 files failed verification"):
        call_command("media_migrate_storage", "--verify-only")
    # Then the file is named with what is wrong
    assert f"{names[0]}: different SHA-256" in capsys.readouterr().err


def test_migration_refuses_when_no_bucket_is_configured(local_library):
    # When the command runs with the local storage still configured
    with pytest.raises(CommandError, match="Set AWS_STORAGE_BUCKET_NAME"):
        call_command("media_migrate_storage")
