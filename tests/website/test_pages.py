"""Every public page type renders for a reader, with the content a newsroom page carries."""

import re

import pytest

from cms.models import ArticleReads, StandardPage, TopicIndexPage, TopicPage
from stations.models import LiaisonStation
from tests.cms.factories import (
    ChannelPageFactory,
    CountryFactory,
    SourceFactory,
    make_article,
    publish,
)

from .conftest import translate

pytestmark = pytest.mark.django_db


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_page_shows_lead_story_headlines_sections_and_lists(client, home, channel, article):
    # Given a lead story, another article and an active and a closed liaison station
    other = make_article(channel, title="创业中华活动在罗马举行")
    LiaisonStation.objects.create(name="米兰联络站", city="米兰", is_active=True)
    LiaisonStation.objects.create(name="已关闭联络站", is_active=False)
    publish(article)  # re-published: the lead story candidate below needs is_headline
    article.is_headline = True
    publish(article)

    # When a reader opens the front page
    html = html_of(client, home.url)

    # Then the lead story, the other headline, the channel section and the footer appear
    lead = html.split('class="front__lead"')[1].split("</section>")[0]
    assert "海外传播官讲述侨乡新变化" in lead
    headlines = html.split('class="headline-list"')[1].split("</ul>")[0]
    assert "创业中华活动在罗马举行" in headlines
    assert f'href="{channel.url}"' in html.split('class="channel-nav"')[1].split("</nav>")[0]
    assert 'class="channel-section"' in html and other.url in html
    assert 'class="photo-strip"' in html and "srcset=" in html
    assert "米兰联络站" in html and "已关闭联络站" not in html


def test_most_read_list_counts_reads_from_the_beacon(client, home, channel, article):
    # Given an article that readers opened through the beacon, and one nobody read
    make_article(channel, title="无人阅读的新闻")
    for _ in range(3):
        ArticleReads.record(article.pk)

    # When the front page is shown
    html = html_of(client, home.url)

    # Then the most-read list names the read article only
    most_read = html.split('class="rank rank--most-read"')[1].split("</section>")[0]
    assert "海外传播官讲述侨乡新变化" in most_read
    assert "无人阅读的新闻" not in most_read


def test_article_page_carries_every_part_of_a_news_article(client, channel, article, home):
    # Given a source, a country, a correction and a related article
    related = make_article(channel, title="亲情中华夏令营开营")
    article.source = SourceFactory(name="侨音融媒体中心", url="https://example.org/")
    article.countries.add(CountryFactory(name="意大利", code="IT"))
    article.corrections.create(note="更正：文中活动日期应为十月五日。")
    article.related_articles.create(article=related)
    publish(article)

    # When a reader opens the article
    html = html_of(client, article.url)

    # Then kicker, title, subtitle, note, summary, byline, source, dateline and more show
    for text in [
        "侨连天下",
        "海外传播官讲述侨乡新变化",
        "三十个海外联络站同步转载",
        "本文由侨音融媒体中心与海外联络站合作采写。",
        "来自意大利的海外传播官走进侨乡",
        "侨音融媒体中心",
        "杭州",
        "侨乡村口的文化礼堂",
        "意大利",
        "更正：文中活动日期应为十月五日。",
        "亲情中华夏令营开营",
        "侨乡的清晨格外热闹。",
        "家乡的变化让我们骄傲。",
    ]:
        assert text in html, text
    assert f'href="{home.url}authors/lin-hai/"' in html
    assert f'href="{home.url}authors/chen-siyuan/"' in html
    assert "Overseas correspondent" in html or "海外传播官" in html.split('class="byline"')[1]
    assert f'href="{home.url}tags/%E4%BE%A8%E4%B9%A1/"' in html or f"{home.url}tags/侨乡/" in html
    cover = html.split('class="article__cover"')[1].split("</figure>")[0]
    assert re.search(r'srcset="[^"]+ 480w, [^"]+ 800w', cover)
    assert 'alt="侨乡村口的新建文化礼堂"' in cover
    assert 'data-read-beacon="/reads/"' in html


def test_channel_page_lists_its_articles_paginated(client, channel):
    # Given 21 articles in one channel (one more than a page holds)
    for number in range(21):
        make_article(channel, title=f"侨乡通讯第{number}号")

    # When a reader opens the first and the second page
    first = html_of(client, channel.url)
    second = html_of(client, channel.url + "?page=2")

    # Then the first shows twenty with a link onwards and the second the remaining one
    assert first.count('class="card__title"') == 20
    assert 'rel="next" href="?page=2"' in first
    assert second.count('class="card__title"') == 1


def test_tag_page_lists_tagged_articles(client, home, channel, article):
    make_article(channel, title="未加标签的新闻")
    html = html_of(client, f"{home.url}tags/侨乡/")
    assert "海外传播官讲述侨乡新变化" in html and "未加标签的新闻" not in html


def test_unknown_tag_is_a_404(client, home):
    assert client.get(f"{home.url}tags/no-such-tag/").status_code == 404


def test_author_page_lists_the_authors_articles(client, home, channel, article):
    make_article(channel, title="别人写的新闻")
    html = html_of(client, f"{home.url}authors/chen-siyuan/")
    assert "陈思远" in html and "海外传播官讲述侨乡新变化" in html
    assert "别人写的新闻" not in html


def test_search_page_is_a_query_box_that_keeps_the_query(client, home):
    html = html_of(client, f"{home.url}search/?q=侨乡")
    assert 'name="q"' in html and 'value="侨乡"' in html


def test_topic_index_and_topic_pages_list_their_articles(client, home, article):
    index = TopicIndexPage(title="专题", slug="topics")
    home.add_child(instance=index)
    publish(index)
    topic = TopicPage(title="亲情中华专题", slug="qinqing", intro="<p>海外华裔青少年寻根之旅</p>")
    index.add_child(instance=topic)
    topic.topic_articles.create(article=article)
    publish(topic)

    assert "亲情中华专题" in html_of(client, index.url)
    topic_html = html_of(client, topic.url)
    assert "海外华裔青少年寻根之旅" in topic_html and "海外传播官讲述侨乡新变化" in topic_html


def test_standard_page_renders_its_body(client, home):
    about = StandardPage(
        title="关于我们",
        slug="about",
        intro="侨音融媒体中心简介",
        body=[("paragraph", "<p>我们服务约一百万海外侨胞用户。</p>")],
    )
    home.add_child(instance=about)
    publish(about)
    html = html_of(client, about.url)
    assert "关于我们" in html and "我们服务约一百万海外侨胞用户。" in html


def test_a_channel_of_another_language_edition_is_not_in_this_navigation(client, newsroom, channel):
    english_channel = publish(ChannelPageFactory(parent=newsroom["en"], title="Community"))
    html = html_of(client, newsroom["zh-hans"].url)
    navigation = html.split('class="channel-nav"')[1].split("</nav>")[0]
    assert channel.title in navigation and english_channel.title not in navigation


def test_byline_of_a_translation_links_to_an_author_page_that_exists(client, article):
    # Given an English translation whose authors have no English version yet
    english = translate(article, "en", title="Hometown news")

    # When a reader follows the byline links of the English article
    html = html_of(client, english.url)
    links = re.findall(r'rel="author" href="([^"]+)"', html)

    # Then each leads to a live author page
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_editors_preview_of_a_draft_renders_the_draft(article):
    # Given an unpublished change to a live article
    article.title = "尚未发布的新标题"
    article.save_revision()

    # When an editor previews it
    response = article.make_preview_request()

    # Then the draft title shows, and readers still get the published one
    assert response.status_code == 200
    assert "尚未发布的新标题" in response.content.decode()
    assert article.__class__.objects.get(pk=article.pk).title == "海外传播官讲述侨乡新变化"


def test_every_body_block_renders(client, channel, article):
    # Given an article using every body block; the video's embed is already stored, as
    # Wagtail keeps fetched embeds, so no network is needed
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    from tests.cms.factories import NewsImageFactory

    video_url = "https://video.example.org/watch/42"
    Embed.objects.create(
        hash=get_embed_hash(video_url),
        url=video_url,
        max_width=None,
        type="video",
        html='<iframe title="侨乡视频" src="https://video.example.org/embed/42"></iframe>',
        title="侨乡视频",
    )
    photo = NewsImageFactory(caption="联络站揭牌", credit="米兰联络站")
    page = make_article(
        channel,
        title="全部正文模块",
        body=[
            ("image", {"image": photo, "caption": "", "credit": ""}),
            ("gallery", {"title": "活动组图", "images": [{"image": photo, "caption": "合影"}]}),
            ("embed", {"embed": video_url, "caption": "现场视频"}),
            ("related_link", {"title": "相关报道", "page": article, "url": ""}),
            ("related_link", {"title": "外部链接", "page": None, "url": "https://example.org/"}),
        ],
    )

    # When a reader opens it
    html = html_of(client, page.url)

    # Then images fall back to the image's own caption and credit, and every block shows
    assert "联络站揭牌" in html and "米兰联络站" in html
    assert "活动组图" in html and "合影" in html
    assert 'src="https://video.example.org/embed/42"' in html and "现场视频" in html
    assert f'href="{article.url}">相关报道</a>' in html
    assert 'href="https://example.org/" rel="noopener">外部链接</a>' in html


def test_an_article_still_shows_with_its_picks_while_search_is_down(
    client, channel, article, settings
):
    # Given an article with one editors' pick, and a search cluster nobody answers at
    pick = make_article(channel, title="亲情中华夏令营开营")
    article.related_articles.create(article=pick)
    publish(article)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_ELASTICSEARCH_OPTIONS = {"max_retries": 0, "request_timeout": 2}

    # When a reader opens the article (more-like-this cannot be asked)
    response = client.get(article.url)

    # Then the page shows, with the editors' pick among the related articles
    assert response.status_code == 200
    assert "亲情中华夏令营开营" in response.content.decode().split('class="related"')[1]


def test_an_editions_related_articles_are_in_its_own_language(client, channel, article):
    # Given an article whose editors' picks are one article with an English edition and
    # one without, and the article's own English edition (its picks copied, as translators'
    # are: they still point at the Chinese originals)
    translated_pick = make_article(channel, title="亲情中华夏令营开营")
    english_pick = translate(translated_pick, "en", title="Roots summer camp opens")
    chinese_only_pick = make_article(channel, title="侨乡民宿开张")
    article.related_articles.create(article=translated_pick)
    article.related_articles.create(article=chinese_only_pick)
    publish(article)
    english = translate(article, "en", title="Home-town news")

    # When an English reader opens the English edition
    related = html_of(client, english.url).split('class="related"')[1]

    # Then the pick is shown in English, linking to the English edition, and the pick
    # with no English edition is left out
    assert f'href="{english_pick.url}"' in related and "Roots summer camp opens" in related
    assert "亲情中华夏令营开营" not in related and "侨乡民宿开张" not in related
    # And the Chinese page still shows both picks in Chinese
    chinese = html_of(client, article.url).split('class="related"')[1]
    assert "亲情中华夏令营开营" in chinese and "侨乡民宿开张" in chinese


def test_an_english_edition_shows_no_chinese_tags_or_correction_notes(client, channel, article):
    # Given an article with Chinese tags and a Chinese correction note, and its English
    # edition (a translation copies both as they are: they have no translatable segments)
    article.tags.add("侨乡", "Milano")
    article.corrections.create(note="更正：文中活动日期应为十月五日。")
    publish(article)
    english = translate(article, "en", title="Home-town news")

    # When an English reader opens it
    html = html_of(client, english.url)

    # Then only the tags in a script English readers read are shown, in the chips and meta
    assert ">Milano</a>" in html and '<meta property="article:tag" content="Milano">' in html
    assert ">侨乡</a>" not in html and 'content="侨乡"' not in html
    # And the correction is announced in English instead of in Chinese
    corrections = html.split('class="corrections"')[1].split("</section>")[0]
    assert "The Chinese original of this article was corrected." in corrections
    assert "十月五日" not in corrections
    # And the Chinese page still shows both tags and its note
    chinese = html_of(client, article.url)
    assert ">侨乡</a>" in chinese and "更正：文中活动日期应为十月五日。" in chinese
