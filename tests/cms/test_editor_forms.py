"""The editor's first article: a Chinese title gives a pinyin slug, errors say on which tab,
in Chinese, and the Chinese admin shows no English where Wagtail's catalogue has a gap."""

from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest
from bs4 import BeautifulSoup

from cms.models import ArticlePage
from cms.slugs import pinyin_slug
from translations.models import ChannelTranslationSettings

from .admin_forms import add_article_url, chief_editor, editor_form, post_editor
from .factories import ChannelPageFactory

pytestmark = pytest.mark.django_db

TITLE = "侨连天下平台用户突破百万"


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")


@pytest.fixture
def chief(client):
    user = chief_editor()
    client.force_login(user)
    return user


def messages_shown(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [item.get_text(" ", strip=True) for item in soup.select(".messages li")]


def test_a_chinese_title_gives_a_pinyin_slug(client, chief, channel):
    # When the chief editor publishes an article with a Chinese title and no slug
    response = post_editor(
        client, add_article_url(channel), action="action-publish", title=TITLE, slug=""
    )
    # Then it is published at a pinyin address
    assert response.status_code == 302, messages_shown(response)
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live
    assert article.slug == "qiaolian-tianxia-pingtai-yonghu-tupo-baiwan"
    # And a second article with the same title gets an address of its own
    post_editor(client, add_article_url(channel), action="action-publish", title=TITLE, slug="")
    slugs = set(ArticlePage.objects.filter(title=TITLE).values_list("slug", flat=True))
    assert slugs == {article.slug, f"{article.slug}-2"}


def test_the_slug_the_editor_types_is_kept(client, chief, channel):
    post_editor(
        client, add_article_url(channel), action="action-publish", title=TITLE, slug="baiwan"
    )
    assert ArticlePage.objects.get(title=TITLE).slug == "baiwan"


def test_the_editor_fills_the_slug_as_the_title_is_typed(client, chief):
    response = client.get(reverse("cms_pinyin_slug"), {"title": "重庆侨联2026年工作会议召开"})
    assert response.json() == {"slug": "chongqing-qiaolian-2026-nian-gongzuo-huiyi-zhaokai"}


def test_long_titles_are_cut_at_a_word():
    slug = pinyin_slug("浙江省侨联召开第十届委员会第三次全体会议暨海外联络站工作推进会全面部署工作")
    assert len(slug) <= 80 and not slug.endswith("-")


def test_errors_name_the_field_and_its_tab_in_chinese(client, chief, channel):
    # When the chief editor saves an article without a title
    response = post_editor(client, add_article_url(channel), action="action-publish", title="")
    # Then the banner says, in Chinese, which field on which tab needs a correction
    assert response.status_code == 200
    shown = " ".join(messages_shown(response))
    assert "页面未能创建" in shown
    assert "“内容”标签页：“标题”" in shown
    assert "validation errors" not in shown


def test_errors_in_blocks_and_inline_panels_name_the_block_row_and_field(client, chief, channel):
    # When the chief editor saves an article whose second body block is a photo without
    # its image, and whose correction has no note
    body = streamfield(
        [
            ("paragraph", rich_text("<p>侨音记者报道。</p>")),
            ("image", {"image": "", "caption": "说明", "credit": "", "alt_text": ""}),
        ]
    )
    correction = {
        "corrections-TOTAL_FORMS": "1",
        "corrections-INITIAL_FORMS": "0",
        "corrections-0-date": "2026-12-03 10:00",
        "corrections-0-note": "",
        "corrections-0-ORDER": "1",
        "corrections-0-DELETE": "",
        "corrections-0-id": "",
    }
    data = editor_form(client, add_article_url(channel), action="action-publish", title=TITLE)
    for name, value in {**nested_form_data({"body": body}), **correction}.items():
        data[name] = value
    response = client.post(add_article_url(channel), data)

    # Then the banner says, in Chinese, on which tab, in which block and which row
    assert response.status_code == 200
    shown = " ".join(messages_shown(response))
    assert "“内容”标签页：“正文”（第2块“图片”：“图片”）" in shown
    assert "“内容”标签页：“更正”第1行：“说明”" in shown
    assert "Validation error" not in shown and "Go to the first error" not in shown
    assert not ArticlePage.objects.filter(title=TITLE).exists()


def test_the_chinese_admin_has_no_english_where_wagtail_has_gaps(client, chief, channel):
    # The dashboard's page count, the search field
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Pages" not in BeautifulSoup(dashboard, "html.parser").get_text()
    assert "搜索全部页面" in dashboard and "Search all pages" not in dashboard
    # The editor's side panels: locking status and content metrics
    post_editor(
        client, add_article_url(channel), action="action-publish", title=TITLE, slug="baiwan"
    )
    article = ArticlePage.objects.get(slug="baiwan")
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "Anyone can edit" not in editor and "任何人都可以编辑此页面" in editor
    assert "内容统计" in editor and "Content metrics" not in editor
    # The dashboard's list of the editor's recent edits, and the page explorer's title
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "隐私与访问" in dashboard and "Privacy and access" not in dashboard
    explorer = client.get(reverse("wagtailadmin_explore", args=[channel.pk])).content.decode()
    assert "<title>浏览: 侨界动态" in explorer and "Exploring" not in explorer


def test_channel_options_list_shows_labels_not_raw_values(client, chief, channel):
    options = ChannelTranslationSettings.objects.get(channel=channel)
    url = reverse("wagtailsnippets_translations_channeltranslationsettings:list")
    text = BeautifulSoup(client.get(url).content.decode(), "html.parser").get_text(" ")
    assert options.get_traditional_edition_display() in text
    assert "False" not in text and "True" not in text


def test_the_editor_offers_each_country_once_in_chinese(client, chief, channel):
    # Given a country with its zh-hant and English versions, as the demo and OpenCC make
    from wagtail.models import Locale

    from .factories import CountryFactory

    italy = CountryFactory(name="意大利", code="IT")
    for code, name in (("zh-hant", "義大利"), ("en", "Italy")):
        translation = italy.copy_for_translation(Locale.objects.get(language_code=code))
        translation.name = name
        translation.save()
    english_spain = CountryFactory(
        name="Spain", code="ES", locale=Locale.objects.get(language_code="en")
    )
    # And an article that was given the English Spain (before the list was narrowed)
    post_editor(
        client, add_article_url(channel), action="action-publish", title=TITLE, slug="baiwan"
    )
    article = ArticlePage.objects.get(slug="baiwan")
    article.countries.set([english_spain])
    article.save_revision().publish()

    # When the editor opens the article
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    select = BeautifulSoup(html, "html.parser").find(attrs={"name": "countries"})
    offered = [option.get_text(strip=True) for option in select.find_all("option")]

    # Then Italy is offered once, by its Chinese name, and the article's own choice stays
    assert offered.count("意大利") == 1 and "義大利" not in offered and "Italy" not in offered
    assert "Spain" in offered
    # And publishing the form with Italy ticked too keeps both
    edit = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = editor_form(client, edit, action="action-publish")
    data.setlist("countries", [str(english_spain.pk), str(italy.pk)])
    assert client.post(edit, dict(data.lists())).status_code == 302
    assert set(ArticlePage.objects.get(pk=article.pk).countries.all()) == {english_spain, italy}
