"""What readers and editors see: pictures in modern formats with srcset, focal points,
galleries, video/audio, click-to-load embeds, and the alt-text rule on publishing."""

import io
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.template import Context, Template
from django.utils import timezone

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from media.models import NewsMedia
from tests.cms.admin_forms import chief_editor, edit_url, editor_form
from tests.cms.factories import (
    ArticlePageFactory,
    ChannelPageFactory,
    NewsImageFactory,
    make_article,
)

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://www.youtube.com/watch?v=qiaoyin42"


def render(template_code, **context):
    return Template("{% load media_tags %}" + template_code).render(Context(context))


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态")


@pytest.fixture
def oembed_cache():
    """YouTube's oEmbed answer, as Wagtail stores it after asking (no network in tests)."""
    return Embed.objects.create(
        hash=get_embed_hash(VIDEO_URL, None, None),
        url=VIDEO_URL,
        type="video",
        html='<iframe src="https://www.youtube.com/embed/qiaoyin42?feature=oembed" '
        'width="560" height="315" title="侨音专访"></iframe>',
        title="侨音专访：海外传播官的一天",
        provider_name="YouTube",
        thumbnail_url="https://i.ytimg.com/vi/qiaoyin42/hqdefault.jpg",
        width=560,
        height=315,
        last_updated=timezone.now(),
        cache_until=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def video():
    poster = NewsImageFactory(file__width=1280, file__height=720)
    return NewsMedia.objects.create(
        title="亲情中华夏令营",
        type="video",
        duration=125,
        width=1280,
        height=720,
        file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2000, name="camp.mp4"),
        poster=poster,
        caption="营员在杭州学习书法",
        credit="侨音融媒体中心",
        transcript="营员：我们第一次来到杭州。\n老师：欢迎回家。",
        subtitles=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\nhello\n", name="camp.vtt"),
        subtitles_language="zh-hans",
    )


# --- pictures -------------------------------------------------------------------------------
def test_picture_offers_avif_and_webp_with_a_jpeg_fallback_and_srcset():
    # Given a photo with alt text
    image = NewsImageFactory(alt_text="侨胞在米兰参加中秋活动", file__width=2000, file__height=1300)
    # When the site shows it in an article body
    soup = BeautifulSoup(render('{% news_picture image "article" %}', image=image), "html.parser")
    # Then modern formats come first, each with the widths and sizes the column needs
    types = [source["type"] for source in soup.picture.find_all("source")]
    assert types == ["image/avif", "image/webp"]
    for source in soup.picture.find_all("source"):
        assert [c.split()[1] for c in source["srcset"].split(", ")] == [
            "480w",
            "800w",
            "1200w",
            "1600w",
        ]
        assert source["sizes"] == "(max-width: 860px) 100vw, 800px"
    # And the <img> is a JPEG every browser shows, lazy, with the alt text and dimensions
    img = soup.picture.img
    assert img["src"].endswith(".jpg")
    assert img["loading"] == "lazy"
    assert img["alt"] == "侨胞在米兰参加中秋活动"
    assert img["width"] == "480" and img["height"]


def test_picture_above_the_fold_is_not_lazy():
    image = NewsImageFactory()
    html = render('{% news_picture image "article" lazy=False %}', image=image)
    assert 'fetchpriority="high"' in html
    assert 'loading="lazy"' not in html


def right_edges_of_gallery_crops(image):
    render('{% news_picture image "gallery" %}', image=image)
    edges = []
    for rendition in image.renditions.filter(filter_spec__contains="format-jpeg"):
        with rendition.file.open("rb") as handle, Image.open(handle) as cropped:
            edges.append(cropped.getpixel((cropped.width - 2, cropped.height // 2)))
    assert len(edges) == 3
    return edges


def is_blue(pixel):
    return pixel[2] > 180 and pixel[0] < 60


def test_crops_keep_the_focal_point_in_the_picture():
    # Given a wide photo: the subject (blue) at the far right, a red wall elsewhere
    picture = Image.new("RGB", (800, 400), (220, 0, 0))
    picture.paste((0, 0, 220), (680, 0, 800, 400))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    unmarked = NewsImageFactory(
        file__from_file=io.BytesIO(buffer.getvalue()), file__filename="subject.png"
    )
    marked = NewsImageFactory(
        file__from_file=io.BytesIO(buffer.getvalue()), file__filename="subject.png"
    )
    # When the editor marks the subject as the focal point of one copy
    marked.focal_point_x, marked.focal_point_y = 740, 200
    marked.focal_point_width, marked.focal_point_height = 100, 100
    marked.save()
    # Then the 4:3 gallery crops of that copy are taken around the subject...
    assert all(is_blue(edge) for edge in right_edges_of_gallery_crops(marked))
    # ...while a centred crop (no focal point) would have cut it off
    assert not any(is_blue(edge) for edge in right_edges_of_gallery_crops(unmarked))


# --- galleries, video, embeds on the article page ------------------------------------------
@pytest.fixture
def media_article(channel, video, oembed_cache):
    photos = [NewsImageFactory(caption=f"联络站活动 {n}") for n in range(3)]
    gallery = [{"image": photo, "caption": "", "credit": "", "alt_text": ""} for photo in photos]
    return make_article(
        channel,
        title="海外联络站的一天",
        body=[
            ("gallery", {"title": "图片新闻", "layout": "carousel", "images": gallery}),
            ("gallery", {"title": "", "layout": "grid", "images": gallery[:2]}),
            ("media", {"media": video, "caption": ""}),
            ("embed", {"embed": VIDEO_URL, "caption": "专访"}),
        ],
    )


def test_carousel_is_an_accessible_region_with_every_photo_in_the_markup(client, media_article):
    soup = BeautifulSoup(client.get(media_article.url).content, "html.parser")
    carousel = soup.select_one("[data-media-carousel]")
    # Then it is announced as a carousel, its buttons control the slides, and without
    # JavaScript every photo is there (the buttons stay hidden until the script runs)
    assert carousel["aria-roledescription"]
    assert carousel["aria-label"] == "图片新闻"
    slides = carousel.select("[role=group]")
    assert [slide["aria-label"] for slide in slides] == ["1 / 3", "2 / 3", "3 / 3"]
    assert all(slide.picture for slide in slides)
    assert carousel.select_one(".media-gallery__controls").has_attr("hidden")
    assert carousel.select_one("[data-carousel-next]")["aria-controls"] == slides[0].parent["id"]
    assert "联络站活动 1" in slides[1].figcaption.text
    # And the grid is a plain list of figures
    grid = soup.select_one(".media-gallery--grid")
    assert len(grid.select("ul > li > figure picture")) == 2


def test_video_plays_with_poster_subtitles_and_transcript(client, media_article, video):
    soup = BeautifulSoup(client.get(media_article.url).content, "html.parser")
    player = soup.select_one(".media-player--video")
    tag = player.video
    assert tag["preload"] == "none"
    assert tag["poster"].endswith(".jpg")
    assert tag.source["src"] == video.url
    assert tag.source["type"] == "video/mp4"
    assert tag.track["kind"] == "subtitles" and tag.track["srclang"] == "zh-Hans"
    assert "(2:05)" in player.figcaption.text
    assert "欢迎回家" in player.select_one("details").text


def test_embed_loads_nothing_from_the_provider_before_a_click(client, media_article):
    # When a reader opens the article
    html = client.get(media_article.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    embed = soup.select_one("[data-media-embed]")
    # Then the player is inert inside a <template>, in YouTube's no-cookie variant
    template = embed.find("template")
    assert "youtube-nocookie.com/embed/qiaoyin42" in str(template)
    # And outside the template nothing points the browser at a third party (no iframe,
    # no provider thumbnail, no script): only a button and a plain link
    template.decompose()
    for tag in soup.find_all(["iframe", "img", "script", "link", "source", "video"]):
        for attribute in ("src", "href", "poster", "srcset"):
            value = tag.get(attribute) or ""
            assert "youtube" not in value and "ytimg" not in value, tag
    assert embed.select_one("button[data-media-embed-load]")
    assert embed.find("a", href=VIDEO_URL)


# --- alt text before publishing -------------------------------------------------------------
def english_speaking(user):
    """The admin in English, so the assertion reads the message's source text."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return user


def test_publishing_is_refused_while_a_photo_lacks_alt_text(client, channel):
    # Given an article whose cover photo has no alt text
    photo = NewsImageFactory(title="米兰侨胞中秋", alt_text="")
    article = ArticlePageFactory(parent=channel, title="中秋联欢")
    client.force_login(english_speaking(chief_editor()))
    # When the chief editor presses Publish
    data = editor_form(client, edit_url(article), action="action-publish", cover_image=photo.pk)
    response = client.post(edit_url(article), data)
    # Then the editor stays open with the reason, naming the photo, and nothing is live
    assert response.status_code == 200
    message = re.search(r"Add alt text to these images before publishing[^<]*", response.text)
    assert message and "米兰侨胞中秋" in message.group(0)
    article.refresh_from_db()
    assert not article.live
    # And saving a draft is still allowed
    draft = editor_form(client, edit_url(article), cover_image=photo.pk)
    assert client.post(edit_url(article), draft).status_code == 302
    # When the photo gets alt text, publishing goes through
    photo.alt_text = "侨胞在米兰广场赏月"
    photo.save()
    client.post(edit_url(article), data)
    article.refresh_from_db()
    assert article.live


def test_alt_text_written_in_the_article_is_enough_to_publish(client, channel):
    # Given a body photo without alt text in the library, described in the article itself
    photo = NewsImageFactory(alt_text="")
    article = ArticlePageFactory(parent=channel)
    client.force_login(chief_editor())
    block = {"image": photo.pk, "caption": "", "credit": "", "alt_text": "侨青在西湖边合影"}
    body = nested_form_data({"body": streamfield([("image", block)])})
    data = editor_form(client, edit_url(article), action="action-publish", **body)
    # When it is published
    response = client.post(edit_url(article), data)
    # Then it goes live, and readers get the article's alt text
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    html = client.get(article.url).content.decode()
    assert re.search(r'<img[^>]+alt="侨青在西湖边合影"', html)
