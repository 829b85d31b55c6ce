"""Anonymous readers get cached pages; publishing clears them; editors never see the cache."""

import pytest

from tests.cms.factories import make_article, publish

CACHE_HEADER = "X-Qiaoyin-Cache"

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the on-commit hooks (cache clearing) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_anonymous_readers_get_the_cached_page(client, channel):
    article = make_article(channel, title="侨连天下平台用户近百万")
    first = client.get(article.url)
    second = client.get(article.url)
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"


def test_a_reader_sees_the_new_title_right_after_publishing(client, newsroom, channel, committed):
    # Given an article whose page and the home page are cached
    article = make_article(channel, title="旧标题")
    home = newsroom["zh-hans"]
    client.get(article.url)
    client.get(home.url)
    assert client.get(article.url)[CACHE_HEADER] == "hit"

    # When an editor publishes a new title
    article.title = "新标题"
    with committed():
        publish(article)

    # Then the reader sees it on the article and on the home page
    assert "新标题" in client.get(article.url).content.decode()
    assert "新标题" in client.get(home.url).content.decode()


def test_a_correction_appears_as_soon_as_it_is_published(client, channel, committed):
    article = make_article(channel, title="侨乡新闻")
    client.get(article.url)
    article.corrections.create(note="更正：人数应为三十人。")
    with committed():
        publish(article)
    assert "更正：人数应为三十人。" in client.get(article.url).content.decode()


def test_an_unpublished_article_is_gone_at_once(client, channel, committed):
    article = make_article(channel, title="将撤下的新闻")
    url = article.url
    assert client.get(url).status_code == 200
    with committed():
        article.unpublish()
    assert client.get(url).status_code == 404


def test_logged_in_editors_never_get_cached_pages(client, channel, django_user_model):
    # Given an anonymous reader has filled the cache
    article = make_article(channel, title="侨音报道")
    client.get(article.url)
    assert client.get(article.url)[CACHE_HEADER] == "hit"

    # When an editor logs in and opens the same page
    editor = django_user_model.objects.create_user(username="editor", password="pw")
    client.force_login(editor)
    response = client.get(article.url)

    # Then the page is rendered for them and not stored for anyone else
    assert response[CACHE_HEADER] == "skip"
