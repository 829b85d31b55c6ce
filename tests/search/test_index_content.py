"""Only what readers see is indexed: no "None", no URLs, ids or choice values (issue 15)."""

import json

import pytest

from cms.blocks import ArticleBodyBlock
from search.documents import body_text, build_document
from tests.cms.factories import ChannelPageFactory, NewsImageFactory, make_article
from tests.search.conftest import index
from tests.search.test_engines import search

pytestmark = pytest.mark.django_db

VISIBLE = {
    "paragraph": "侨乡正文段落",
    "image caption": "图片说明侨舍",
    "image credit": "摄影记者署名",
    "gallery title": "图集标题唐人街",
    "gallery caption": "图集说明早市",
    "quote": "引语乡音不断",
    "quote attribution": "侨团负责人",
    "embed caption": "视频说明舞狮",
    "media caption": "音频说明越剧",
    "related link title": "延伸阅读侨助工坊",
    "fact box title": "数字侨联",
    "fact box body": "调解组织五十八个",
}


def every_block(image_id):
    """One block of each type of the article body, written as importers and the demo write
    them: optional fields left out, a media item that is gone, an alt text for the screen
    reader only."""
    body = [
        {"type": "paragraph", "value": f"<p>{VISIBLE['paragraph']}</p>"},
        {"type": "image", "value": {"image": image_id, "caption": VISIBLE["image caption"],
                                    "credit": VISIBLE["image credit"]}},
        {"type": "image", "value": {"image": image_id}},
        {"type": "gallery", "value": {"title": VISIBLE["gallery title"], "layout": "grid",
                                      "images": [{"image": image_id,
                                                  "caption": VISIBLE["gallery caption"]}]}},
        {"type": "quote", "value": {"text": VISIBLE["quote"],
                                    "attribution": VISIBLE["quote attribution"]}},
        {"type": "quote", "value": {"text": "只有引语"}},
        {"type": "embed", "value": {"embed": "https://www.youtube.com/watch?v=qiaoyin01",
                                    "caption": VISIBLE["embed caption"]}},
        {"type": "media", "value": {"media": 987654, "caption": VISIBLE["media caption"]}},
        {"type": "media", "value": {"media": 987655}},
        {"type": "related_link", "value": {"title": VISIBLE["related link title"],
                                           "url": "https://example.org/qiaoyin-link"}},
        {"type": "fact_box", "value": {"title": VISIBLE["fact box title"],
                                       "body": f"<ul><li>{VISIBLE['fact box body']}</li></ul>"}},
    ]  # fmt: skip
    return json.dumps(body, ensure_ascii=False)


def test_the_sample_body_has_one_block_of_every_type():
    used = {block["type"] for block in json.loads(every_block(1))}
    assert used == set(ArticleBodyBlock().child_blocks)


@pytest.fixture
def article(newsroom):
    channel = ChannelPageFactory(parent=newsroom["zh-hans"], title="侨界", slug="community")
    image = NewsImageFactory(title="封面", caption="图片库里的说明", alt_text="屏幕阅读器描述")
    return make_article(channel, title="侨乡新闻", body=every_block(image.pk))


def test_every_block_type_gives_its_visible_text_and_nothing_else(article):
    text = body_text(article)
    for label, words in VISIBLE.items():
        assert words in text, label
    assert "只有引语" in text
    junk = ("None", "none", "http", "youtube", "example.org", "grid", "Grid", "网格", "987654")
    for word in junk:
        assert word not in text


def test_none_is_neither_indexed_nor_found(engine, article):
    index(article)
    document = build_document(article)
    assert "none" not in document.terms()["body_terms"].split()
    assert search("None").total == 0
    assert search("侨舍").total == 1  # the caption readers see is found
