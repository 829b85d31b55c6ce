import pytest

from tests.cms.factories import (
    AuthorFactory,
    ChannelPageFactory,
    NewsImageFactory,
    make_article,
    publish,
)


@pytest.fixture
def channel(home):
    return publish(ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie"))


@pytest.fixture
def article(channel):
    """A full article: byline with a correspondent, cover image, tags, body blocks."""
    reporter = AuthorFactory(name="林海", slug="lin-hai")
    correspondent = AuthorFactory(name="陈思远", slug="chen-siyuan", role="correspondent")
    page = make_article(
        channel,
        title="海外传播官讲述侨乡新变化",
        slug="haiwai-chuanboguan",
        kicker="侨连天下",
        subtitle="三十个海外联络站同步转载",
        editors_note="本文由侨音融媒体中心与海外联络站合作采写。",
        summary="来自意大利的海外传播官走进侨乡，记录乡村振兴故事。",
        dateline="杭州",
        cover_image=NewsImageFactory(
            title="侨乡新貌",
            alt_text="侨乡村口的新建文化礼堂",
            file__width=1600,
            file__height=900,
        ),
        cover_caption="侨乡村口的文化礼堂",
        body=[
            ("paragraph", "<p>侨乡的清晨格外热闹。</p>"),
            ("quote", {"text": "家乡的变化让我们骄傲。", "attribution": "一位返乡侨胞"}),
            ("fact_box", {"title": "数字", "body": "<p>约一百万用户</p>"}),
        ],
    )
    # In the byline's order, as the editor's inline panel numbers them (rows without a
    # sort_order come back in whatever order the database keeps them).
    page.article_authors.create(author=reporter, sort_order=0)
    page.article_authors.create(author=correspondent, sort_order=1)
    page.tags.add("侨乡")
    return publish(page)


def translate(page, language_code, **changes):
    """A live translation of `page` (its parents copied too), as translators publish it."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language_code)
    translation = page.copy_for_translation(locale, copy_parents=True)
    parent = translation.get_parent().specific
    if not parent.live:
        publish(parent)
    for field, value in changes.items():
        setattr(translation, field, value)
    return publish(translation)
