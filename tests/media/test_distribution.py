"""Video, audio and galleries reach feed readers and liaison stations."""

import json
from pathlib import Path

from django.core.files.base import ContentFile

import feedparser
import jsonschema
import pytest

from media.models import NewsMedia
from stations.formatters.ninjs import format_article
from tests.cms.factories import ChannelPageFactory, NewsImageFactory, make_article

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "stations" / "schemas"
PODCAST_BYTES = b"ID3" + b"\x01" * 4093


def ninjs_validator(fmt):
    schema = json.loads((SCHEMA_DIR / f"ninjs-schema_{fmt.split('-')[1]}.json").read_text())
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def podcast():
    return NewsMedia.objects.create(
        title="亲情中华 播客 第12期",
        type="audio",
        duration=1830,
        file=ContentFile(PODCAST_BYTES, name="qinqing-12.mp3"),
        poster=NewsImageFactory(),
        credit="侨音融媒体中心",
        licence="版权所有 © 侨音",
        transcript="主持人：欢迎收听亲情中华。",
    )


@pytest.fixture
def article(home, podcast):
    channel = ChannelPageFactory(parent=home, title="亲情中华", slug="qinqing")
    photos = [NewsImageFactory(caption=f"夏令营 {n}") for n in range(2)]
    gallery = [{"image": p, "caption": "", "credit": "", "alt_text": ""} for p in photos]
    return make_article(
        channel,
        title="夏令营结营",
        cover_image=NewsImageFactory(),
        body=[
            ("media", {"media": podcast, "caption": "营员讲述"}),
            ("gallery", {"title": "结营仪式", "layout": "grid", "images": gallery}),
        ],
    )


def test_rss_item_encloses_the_audio_and_atom_also_the_cover(client, article, podcast):
    # When a podcast app reads the RSS feed
    rss = feedparser.parse(client.get("/zh-hans/feeds/rss.xml").content)
    [item] = rss.entries
    # Then the item's one enclosure is the audio, with its real size and type
    [enclosure] = item.enclosures
    assert enclosure.href == f"http://testserver{podcast.url}"
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == len(PODCAST_BYTES)
    # And Atom, which allows several, carries the audio and the cover picture
    atom = feedparser.parse(client.get("/zh-hans/feeds/atom.xml").content)
    types = [link.type for link in atom.entries[0].links if link.rel == "enclosure"]
    assert types[0] == "audio/mpeg" and types[1].startswith("image/")


def test_json_feed_attaches_the_audio(client, article, podcast):
    [item] = client.get("/zh-hans/feeds/feed.json").json()["items"]
    audio = [a for a in item["attachments"] if a["mime_type"] == "audio/mpeg"]
    assert audio == [
        {
            "url": f"http://testserver{podcast.url}",
            "mime_type": "audio/mpeg",
            "size_in_bytes": len(PODCAST_BYTES),
        }
    ]


@pytest.mark.parametrize("fmt", ["ninjs-2.2", "ninjs-3.1"])
def test_station_payload_carries_audio_and_gallery_associations(article, podcast, fmt):
    # When a station's payload is built
    item = format_article(article, fmt=fmt)
    # Then it is valid ninjs
    ninjs_validator(fmt).validate(item)
    associations = {a["name"]: a for a in item["associations"]}
    # And the audio is an association with its file, duration, poster and transcript
    audio = associations["media-1"]
    assert audio["type"] == "audio"
    assert audio["uri"] == f"urn:qiaoyin:media:{podcast.pk}"
    assert audio["headlines"] == [{"value": "营员讲述"}]
    original = next(r for r in audio["renditions"] if r["name"] == "original")
    assert original["href"] == f"http://testserver{podcast.url}"
    assert original["duration"] == 1830
    assert any(r["name"] == "poster" for r in audio["renditions"])
    assert "欢迎收听" in audio["descriptions"][0]["value"]
    # And the gallery is a composite holding its pictures in order
    gallery = next(a for a in item["associations"] if a["type"] == "composite")
    assert gallery["headlines"] == [{"value": "结营仪式"}]
    assert [p["headlines"][0]["value"] for p in gallery["associations"]] == ["夏令营 0", "夏令营 1"]
    # And the body HTML shows the audio where it stands, with an absolute address
    body = item["bodies"][0]["value"]
    assert f'<audio controls src="http://testserver{podcast.url}"' in body
    assert 'data-association="media-1"' in body
