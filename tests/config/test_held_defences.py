"""What the abuse probes found holding, kept by tests that would catch a regression: HTML
escaping on pages, in JSON-LD and API bodies; tokens only from the Authorization header;
documents served as downloads; photo uploads refused in Chinese with nothing stored, and
XMP stripped from what is kept. (Role and station scoping, token expiry and revocation and
the SSRF forms are covered in tests/cms/test_permissions.py, tests/media/test_roles.py,
tests/stations/test_api.py, test_push_pipeline.py and test_webhook_guard.py.)"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents.models import Document

import pytest
from PIL import Image

from media.models import NewsImage
from search.documents import build_document
from search.engines import get_engine
from stations.models import LiaisonStation, StationToken
from tests.cms.admin_forms import chief_editor
from tests.cms.factories import ChannelPageFactory, make_article
from tests.media.conftest import photo_bytes

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_article(home):
    channel = ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")
    return make_article(channel, title=f"标题{PAYLOAD}", summary=f"摘要{PAYLOAD}", slug="hostile")


@pytest.mark.parametrize(
    "path",
    ["/zh-hans/", "/zh-hans/qiaojie/", "/zh-hans/qiaojie/hostile/", "/zh-hans/search/?q=标题"],
)
def test_stored_markup_is_escaped_on_every_page(client, hostile_article, path):
    html = client.get(path).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_reflected_markup_is_escaped_on_the_search_page(client, newsroom):
    html = client.get("/zh-hans/search/", {"q": PAYLOAD, "channel": PAYLOAD}).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_api_bodies_are_json_and_html_fields_escaped(client, hostile_article):
    # The search API's title_html is HTML: escaped, with only the match marks as markup
    get_engine().index([build_document(hostile_article)])
    search = client.get("/api/search/", {"q": "标题", "locale": "zh-hans"})
    assert search["Content-Type"] == "application/json"
    assert search["X-Content-Type-Options"] == "nosniff"
    [hit] = search.json()["hits"]
    assert "<script" not in hit["title_html"] and "&lt;script&gt;" in hit["title_html"]
    # The station API carries the text as data, never as a page a browser would render
    station = LiaisonStation.objects.create(name="米兰联络站", locales=["zh-hans"])
    token = StationToken.issue(station, name="main")[1]
    api = client.get("/api/stations/v1/articles/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api["Content-Type"] == "application/json"
    assert api["X-Content-Type-Options"] == "nosniff"
    assert api.json()["items"][0]["headlines"][0]["value"] == f"标题{PAYLOAD}"


@pytest.mark.parametrize("name", ["token", "access_token", "bearer"])
def test_a_token_in_the_query_string_is_refused(client, newsroom, name):
    station = LiaisonStation.objects.create(name="米兰联络站", locales=["zh-hans"])
    token = StationToken.issue(station, name="main")[1]
    response = client.get("/api/stations/v1/articles/", {name: token})
    assert response.status_code in (400, 401)
    assert "items" not in response.json()


def test_documents_are_served_as_downloads(client, newsroom):
    # Given an HTML file uploaded as a document
    document = Document.objects.create(
        title="通知", file=SimpleUploadedFile("notice.html", b"<script>alert(1)</script>")
    )
    # When a reader opens its link
    response = client.get(document.url)
    # Then the browser saves it instead of rendering it on our origin
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def chinese_admin(client, newsroom):
    client.force_login(chief_editor())
    return client


def upload_photo(client, name, content, content_type="image/jpeg"):
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content, content_type=content_type)},
    )
    return response.json()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", SVG, "不支持的图片格式"),
        ("photo.jpg", SVG, "扩展名与文件格式不匹配"),
        ("photo.jpg", photo_bytes(fmt="PNG"), "扩展名"),
        ("cut.jpg", photo_bytes(size=(800, 600))[:1500], "图片文件不完整或已损坏"),
    ],
    ids=["svg", "svg-as-jpeg", "disguised-png", "truncated"],
)
def test_bad_photos_are_refused_in_chinese_and_nothing_stored(
    chinese_admin, name, content, message
):
    result = upload_photo(chinese_admin, name, content)
    assert result["success"] is False
    assert message in result["error_message"], result["error_message"]
    assert not NewsImage.objects.exists()


def test_a_bomb_and_an_oversize_photo_are_refused_in_chinese(chinese_admin, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
    bomb = upload_photo(
        chinese_admin, "bomb.png", photo_bytes(size=(4000, 4000), fmt="PNG", color=(0, 0, 0))
    )
    assert bomb["success"] is False and "像素" in bomb["error_message"]
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2_000
    big = upload_photo(chinese_admin, "big.jpg", photo_bytes(size=(400, 400)))
    assert big["success"] is False and "文件过大" in big["error_message"]
    assert not NewsImage.objects.exists()


def test_xmp_metadata_is_stripped(chinese_admin):
    # Given a photo carrying XMP (where editing tools keep locations and people's names)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'exif:GPSLatitude="39,54.0N"/></rdf:RDF></x:xmpmeta>'
    )
    result = upload_photo(chinese_admin, "xmp.jpg", photo_bytes(xmp=xmp))
    assert result["success"] is True
    image = NewsImage.objects.get(pk=result["image_id"])
    with image.open_file() as handle:
        stored = handle.read()
    assert b"xmpmeta" not in stored and b"GPSLatitude" not in stored
    assert Image.open(io.BytesIO(stored)).size == (640, 480)
