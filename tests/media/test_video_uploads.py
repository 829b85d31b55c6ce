"""Every file a reader can fetch is checked like photos: a video's thumbnail, the video or
audio file itself, and its subtitles, uploaded through the admin."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Collection

import pytest
from PIL import Image

from media.models import NewsMedia
from tests.cms.admin_forms import chief_editor

from .conftest import photo_bytes
from .test_roles import MP4
from .test_uploads import GPS_IFD, camera_photo

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n侨胞回乡 & 创业\n"


@pytest.fixture
def chief(client, newsroom):
    client.force_login(chief_editor())
    return client


def add_video(client, media_type="video", **files):
    defaults = {"file": SimpleUploadedFile("visit.mp4", MP4, content_type="video/mp4")}
    response = client.post(
        reverse("wagtailmedia:add", args=(media_type,)),
        {
            "title": "侨乡视频",
            "collection": Collection.get_first_root_node().pk,
            "subtitles_language": "zh-hans",
            **defaults,
            **files,
        },
    )
    return response, NewsMedia.objects.filter(title="侨乡视频").first()


def errors(response):
    return " ".join(
        str(error) for field in response.context["form"].errors.values() for error in field
    )


def test_a_gps_tagged_thumbnail_is_stripped_like_a_photo(chief):
    # Given a phone photo with GPS coordinates, uploaded as a video's thumbnail
    response, item = add_video(
        chief, thumbnail=SimpleUploadedFile("poster.jpg", camera_photo(), content_type="image/jpeg")
    )
    # Then the video is stored and its thumbnail (the public poster) has no GPS left
    assert response.status_code == 302, errors(response)
    with item.thumbnail.open() as handle:
        assert not Image.open(handle).getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("poster.jpg", b"<html><script>alert(1)</script></html>", "图片"),
        ("poster.jpg", photo_bytes(size=(800, 600))[:1500], "不完整"),
    ],
    ids=["html-as-jpeg", "truncated"],
)
def test_a_bad_thumbnail_is_refused_and_nothing_stored(chief, name, content, message):
    response, item = add_video(
        chief, thumbnail=SimpleUploadedFile(name, content, content_type="image/jpeg")
    )
    assert response.status_code == 200 and item is None
    assert "thumbnail" in response.context["form"].errors


def test_a_thumbnail_over_the_pixel_limit_is_refused(chief, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
    bomb = photo_bytes(size=(4000, 4000), fmt="PNG", color=(0, 0, 0))
    response, item = add_video(
        chief, thumbnail=SimpleUploadedFile("poster.png", bomb, content_type="image/png")
    )
    assert item is None
    assert "1,000,000" in errors(response)


@pytest.mark.parametrize(
    ("media_type", "name", "content"),
    [
        ("video", "clip.mp4", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("video", "clip.mp4", photo_bytes()),
        ("audio", "talk.mp3", b"<html>not a sound</html>"),
    ],
    ids=["html-named-mp4", "photo-named-mp4", "html-named-mp3"],
)
def test_video_and_audio_are_checked_by_content_not_name(chief, media_type, name, content):
    response, item = add_video(
        chief, media_type, file=SimpleUploadedFile(name, content, content_type="video/mp4")
    )
    # Then it is refused in Chinese, saying its content was checked, and nothing is stored
    assert response.status_code == 200 and item is None
    assert "内容" in errors(response)


def test_video_over_the_size_limit_is_refused(chief, settings):
    settings.MEDIA_MAX_VIDEO_UPLOAD_MB = 1
    big = MP4 + b"\x00" * (1024 * 1024)
    response, item = add_video(
        chief, file=SimpleUploadedFile("big.mp4", big, content_type="video/mp4")
    )
    assert item is None
    assert "1.0 MB" in errors(response) or "1.0 MB" in errors(response).replace("\xa0", " ")


def test_subtitles_are_parsed_and_only_plain_cues_are_kept(chief):
    # Given subtitles with markup and a script in a cue
    dirty = VTT + "\n00:00:04.000 --> 00:00:05.000\n<script>alert(1)</script><b>欢迎</b>\n"
    response, item = add_video(
        chief, subtitles=SimpleUploadedFile("zh.vtt", dirty.encode(), content_type="text/vtt")
    )
    # Then they are stored as plain WebVTT cues: the words stay, the markup does not
    assert response.status_code == 302, errors(response)
    with item.subtitles.open() as handle:
        stored = handle.read().decode()
    assert stored.startswith("WEBVTT")
    assert "侨胞回乡 &amp; 创业" in stored and "欢迎" in stored
    assert "<" not in stored


def test_an_html_page_named_vtt_is_refused(chief):
    page = b"<html><body><script>alert(1)</script></body></html>"
    response, item = add_video(
        chief, subtitles=SimpleUploadedFile("zh.vtt", page, content_type="text/vtt")
    )
    assert item is None
    assert "WebVTT" in errors(response)
