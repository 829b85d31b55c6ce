"""Anonymous readers get cached pages; publishing clears them; editors never see the cache.
Only complete pages are kept, compressed for readers who accept it."""

import gzip
from pathlib import Path

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


@pytest.fixture
def photo_file(settings):
    """A photo in the local media folder, as a rendition is stored."""
    folder = Path(settings.MEDIA_ROOT) / "images"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cache-test-photo.fill-480x270.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    yield f"{settings.MEDIA_URL}images/{path.name}", path.read_bytes()
    path.unlink()


def test_a_revalidated_photo_is_whole_for_the_next_reader(client, photo_file):
    # Given a photo a browser has loaded once
    url, data = photo_file
    first = client.get(url)
    assert first.status_code == 200
    # When the browser revalidates it, and then another reader loads it plainly
    revalidated = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    again = client.get(url)
    # Then the browser gets 304, and the reader the whole photo, never the empty 304
    assert revalidated.status_code == 304
    assert again.status_code == 200
    assert b"".join(again.streaming_content) == data
    assert again.get(CACHE_HEADER) != "hit"
    # And a byte range is answered with those bytes only
    part = client.get(url, HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206 and b"".join(part.streaming_content) == data[:10]


def test_a_missing_page_is_not_kept_in_the_page_cache(client, channel, committed):
    # Given a reader who asked for an address before anything was published there
    assert client.get(f"{channel.url}soon/").status_code == 404
    assert client.get(f"{channel.url}soon/")[CACHE_HEADER] != "hit"
    # When an article is published there, the next reader sees it
    with committed():
        make_article(channel, title="稍后发布的新闻", slug="soon")
    assert client.get(f"{channel.url}soon/").status_code == 200


def test_pages_are_compressed_for_readers_who_accept_it(client, channel):
    article = make_article(channel, title="侨连天下平台用户近百万")
    # When a browser that accepts gzip reads the article twice, and one that does not
    first = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    cached = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get(article.url)
    # Then the first two get it compressed (also from the cache), the third as it is
    assert first["Content-Encoding"] == "gzip" and cached["Content-Encoding"] == "gzip"
    assert cached[CACHE_HEADER] == "hit"
    assert "侨连天下平台用户近百万" in gzip.decompress(cached.content).decode()
    assert not plain.has_header("Content-Encoding")
    assert "侨连天下平台用户近百万" in plain.content.decode()
    assert "Accept-Encoding" in first["Vary"]


def test_the_admin_is_never_compressed(client, django_user_model):
    # Its pages hold the editor's CSRF token beside text they typed (BREACH)
    editor = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(editor)
    response = client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
