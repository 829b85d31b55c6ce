"""The site frame (navigation, language homes, station footer) is cached between pages, so
every change an editor makes to it must show on the next page a reader opens."""

import re

from django.core.cache import cache
from django.core.files.base import ContentFile

from wagtail.models import PageViewRestriction
from wagtailcache.cache import clear_cache

import pytest

from cms.models import ArticleAuthor
from stations.models import LiaisonStation
from tests.cms.factories import (
    AuthorFactory,
    ChannelPageFactory,
    CountryFactory,
    NewsImageFactory,
    SourceFactory,
    make_article,
    publish,
)
from website import fragments

pytestmark = pytest.mark.django_db


def nav_of(html):
    return html.split('class="channel-nav"')[1].split("</nav>")[0]


def footer_of(html):
    return html.split('class="site-footer"')[1]


def test_a_channel_published_after_a_visit_is_in_the_next_pages_navigation(
    client, home, channel, article
):
    # Given a reader who opened the front page (the navigation is now cached)
    client.get(home.url)

    # When an editor publishes a new channel
    new = publish(ChannelPageFactory(parent=home, title="创业中华", slug="chuangye"))

    # Then the next page the reader opens lists it, and its address answers
    assert f'href="{new.url}"' in nav_of(client.get(article.url).content.decode())
    assert client.get(new.url).status_code == 200


def test_an_unpublished_channel_leaves_the_navigation_and_stops_answering(
    client, home, channel, article
):
    # Given a second channel with an article, seen by a reader
    other = publish(ChannelPageFactory(parent=home, title="侨乡发展", slug="qiaoxiang"))
    story = make_article(other, title="侨乡新貌")
    assert "侨乡发展" in nav_of(client.get(story.url).content.decode())

    # When an editor unpublishes that channel
    other.unpublish()

    # Then it is gone from the navigation of other pages, and its address stops answering
    assert "侨乡发展" not in nav_of(client.get(channel.url).content.decode())
    assert client.get("/zh-hans/qiaoxiang/").status_code == 404


def test_a_renamed_channel_answers_at_its_new_address(
    client, home, channel, article, django_capture_on_commit_callbacks
):
    # Given a reader who opened the channel and its article
    client.get(channel.url)
    client.get(article.url)

    # When an editor changes the channel's slug (and the publish commits)
    channel.slug = "qiaojie-dongtai"
    with django_capture_on_commit_callbacks(execute=True):
        publish(channel)

    # Then the old address redirects to the new one, where the channel and article answer
    old = client.get("/zh-hans/qiaojie/")
    assert (old.status_code, old["Location"]) == (301, "/zh-hans/qiaojie-dongtai/")
    assert client.get("/zh-hans/qiaojie-dongtai/").status_code == 200
    assert client.get(f"/zh-hans/qiaojie-dongtai/{article.slug}/").status_code == 200
    # And the navigation of every page links to the new address
    assert 'href="/zh-hans/qiaojie-dongtai/"' in nav_of(client.get(home.url).content.decode())


def test_station_changes_show_in_the_footer_of_the_next_page(client, home, channel, article):
    # Given a reader who opened the front page before the station opened
    client.get(home.url)
    station = LiaisonStation.objects.create(name="马德里联络站", city="马德里", is_active=True)

    # When they open another page, the new station is in the footer
    assert "马德里联络站" in footer_of(client.get(channel.url).content.decode())

    # And once the station closes, the next page no longer lists it
    station.is_active = False
    station.save()
    assert "马德里联络站" not in footer_of(client.get(article.url).content.decode())


def test_a_station_opened_through_another_web_process_shows_on_this_ones_next_page(
    client, home, channel, article
):
    # Given a reader served by this process, which now keeps the footer's stations
    assert "里斯本联络站" not in footer_of(client.get(home.url).content.decode())

    # When another web process opens a station: the row is written and that process's
    # signal handler moves the frame version on in the cache all processes share (here,
    # the row goes in without this process's signals, and the version moves as there)
    LiaisonStation.objects.bulk_create([LiaisonStation(name="里斯本联络站", is_active=True)])
    fragments.bump_version()

    # Then the next page this process serves lists it
    assert "里斯本联络站" in footer_of(client.get(channel.url).content.decode())


def test_restricting_a_channel_after_a_visit_makes_its_articles_ask_for_a_login(
    client, home, channel, article
):
    # Given a reader who opened the front page while everything was public
    client.get(home.url)

    # When an editor restricts the channel to logged-in readers
    PageViewRestriction.objects.create(page=channel, restriction_type=PageViewRestriction.LOGIN)

    # Then its article, opened for the first time, asks for a login, and the channel
    # leaves the navigation of public pages
    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert "侨界动态" not in nav_of(client.get(home.url + "?page=2").content.decode())


def test_related_articles_keep_the_order_the_editors_chose(client, channel, article):
    # Given two related picks, the older article chosen first
    older = make_article(channel, title="侨音融媒体中心成立")
    newer = make_article(channel, title="联络站年度报告发布")
    article.related_articles.create(article=older, sort_order=0)
    article.related_articles.create(article=newer, sort_order=1)
    publish(article)

    # When a reader opens the article
    html = client.get(article.url).content.decode()

    # Then the related list shows them in that order
    related = html.split('class="related"')[1]
    assert related.index("侨音融媒体中心成立") < related.index("联络站年度报告发布")


# Article cards (title, kicker, summary, date, cover) are cached under the frame version
# and shared by every page that shows them: an editor's change must show on the next page.


def related_of(html):
    return html.split('class="related"')[1].split("</section>")[0]


def picking(channel, related, title):
    """A live article whose related list holds `related`."""
    article = make_article(channel, title=title)
    article.related_articles.create(article=related)
    return publish(article)


def test_a_related_article_republished_with_a_new_title_shows_it_on_the_next_page(client, channel):
    # Given a reader who opened an article that picks another (its card is now cached)
    related = make_article(channel, title="旧标题：联络站年度报告")
    first = picking(channel, related, "侨音融媒体中心成立")
    second = picking(channel, related, "侨连天下平台用户近百万")
    assert "旧标题：联络站年度报告" in related_of(client.get(first.url).content.decode())

    # When an editor publishes the picked article with a new title
    related.title = "新标题：联络站年度报告"
    publish(related)

    # Then another article that picks it shows the new title
    html = related_of(client.get(second.url).content.decode())
    assert "新标题：联络站年度报告" in html
    assert "旧标题" not in html


def test_an_unpublished_related_article_leaves_the_related_list(client, channel):
    # Given a reader who opened an article that picks another
    related = make_article(channel, title="将撤下的联络站报道")
    first = picking(channel, related, "侨音融媒体中心成立")
    second = picking(channel, related, "侨连天下平台用户近百万")
    assert "将撤下的联络站报道" in client.get(first.url).content.decode()

    # When an editor unpublishes the picked article
    related.unpublish()

    # Then the next article that picks it no longer shows it
    assert "将撤下的联络站报道" not in client.get(second.url).content.decode()


def test_a_related_article_behind_a_login_is_not_shown_to_the_public(client, home, channel):
    # Given a reader who opened an article that picks one in another channel
    private = publish(ChannelPageFactory(parent=home, title="内部通讯", slug="internal"))
    related = make_article(private, title="仅限工作人员的通知")
    first = picking(channel, related, "侨音融媒体中心成立")
    second = picking(channel, related, "侨连天下平台用户近百万")
    assert "仅限工作人员的通知" in client.get(first.url).content.decode()

    # When an editor restricts that channel to logged-in readers
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    # Then the public no longer sees its article among the related ones
    assert "仅限工作人员的通知" not in client.get(second.url).content.decode()


def test_a_new_alt_text_on_a_cover_photo_shows_on_the_next_cards(client, channel):
    # Given a reader who opened an article that picks one with a cover photo
    photo = NewsImageFactory(alt_text="旧的替代文字")
    related = make_article(channel, title="侨乡新貌", cover_image=photo)
    first = picking(channel, related, "侨音融媒体中心成立")
    second = picking(channel, related, "侨连天下平台用户近百万")
    assert 'alt="旧的替代文字"' in related_of(client.get(first.url).content.decode())

    # When an editor improves the photo's alt text (the photo, not the article, is saved)
    photo.alt_text = "侨乡村口新建的文化礼堂"
    photo.save()

    # Then the card on the next page carries it
    assert 'alt="侨乡村口新建的文化礼堂"' in related_of(client.get(second.url).content.decode())


def rendition_urls(html):
    """Every image URL in the article's cover <picture>."""
    picture = html.split('class="article__cover"')[1].split("</picture>")[0]
    urls = re.findall(r'(?:src|srcset)="([^"]+)"', picture)
    return {part.strip().split(" ")[0] for url in urls for part in url.split(",")}


def test_deleted_renditions_are_made_again_not_linked_from_a_cached_picture(client, channel):
    # Given a reader who opened articles with the same cover photo (the first visit makes
    # its renditions, the second shows the <picture> kept for every page that has it)
    photo = NewsImageFactory()
    articles = [make_article(channel, title=f"侨乡新貌 {n}", cover_image=photo) for n in range(3)]
    client.get(articles[0].url)
    client.get(articles[1].url)

    # When the photo's renditions are deleted (as a storage clean-up does)
    photo.renditions.all().delete()

    # Then the next article with that photo links renditions that exist
    shown = rendition_urls(client.get(articles[2].url).content.decode())
    assert shown
    assert shown <= {rendition.url for rendition in photo.renditions.all()}


def test_a_photo_whose_file_was_missing_shows_once_the_file_is_back(client, channel):
    # Given a cover photo whose file has gone missing from the storage
    photo = NewsImageFactory()
    articles = [make_article(channel, title=f"侨乡新貌 {n}", cover_image=photo) for n in range(2)]
    storage, name = photo.file.storage, photo.file.name
    with storage.open(name, "rb") as original:
        content = original.read()
    storage.delete(name)
    # When a reader opens an article with it (a broken image, not an error)
    broken = client.get(articles[0].url)
    assert broken.status_code == 200
    assert "not-found" in broken.content.decode()

    # And the file is put back (a restored backup: the photo itself is not saved)
    storage.save(name, ContentFile(content))

    # Then the next article with that photo shows its renditions, not the placeholders
    shown = rendition_urls(client.get(articles[1].url).content.decode())
    assert shown
    assert shown <= {rendition.url for rendition in photo.renditions.all()}


def test_a_card_whose_photo_file_was_missing_shows_the_photo_once_the_file_is_back(client, channel):
    # Given an article whose cover photo's file has gone missing from the storage
    photo = NewsImageFactory()
    make_article(channel, title="侨乡新貌", cover_image=photo)
    storage, name = photo.file.storage, photo.file.name
    with storage.open(name, "rb") as original:
        content = original.read()
    storage.delete(name)
    # When a reader opens the channel, whose list shows the article's card with its photo
    broken = client.get(channel.url)
    assert broken.status_code == 200
    assert "not-found" in broken.content.decode()

    # And the file is put back, and the channel page is rendered again
    storage.save(name, ContentFile(content))
    clear_cache()

    # Then the card shows the photo's renditions, not the placeholders it had
    html = client.get(channel.url).content.decode()
    assert "not-found" not in html
    card_images = set(re.findall(r'<img[^>]+src="([^"]+)"', html))
    assert card_images & {rendition.url for rendition in photo.renditions.all()}


# Authors, tags, countries, sources and photos that many articles share are cached by id
# under the same version: an edit to one shows on the next article that has it.


def bylined(channel, author, title, **fields):
    article = make_article(channel, title=title, **fields)
    article.article_authors.create(author=author)
    return publish(article)


def test_a_renamed_author_shows_on_the_next_article_with_their_byline(client, channel):
    # Given a reader who opened one article by an author (the author is now cached)
    author = AuthorFactory(name="林海", slug="lin-hai")
    first = bylined(channel, author, "侨音融媒体中心成立")
    second = bylined(channel, author, "侨连天下平台用户近百万")
    assert "林海" in client.get(first.url).content.decode()

    # When an editor corrects the author's name
    author.name = "林海洋"
    author.save()

    # Then another article by them shows the new name in its byline
    byline = client.get(second.url).content.decode().split('class="byline"')[1]
    assert "林海洋" in byline.split("</p>")[0]


def test_a_renamed_source_shows_on_the_next_article_from_it(client, channel):
    # Given a reader who opened one article from a source
    source = SourceFactory(name="侨连天下")
    first = make_article(channel, title="侨音融媒体中心成立", source=source)
    second = make_article(channel, title="侨连天下平台用户近百万", source=source)
    assert "侨连天下" in client.get(first.url).content.decode()

    # When an editor renames the source
    source.name = "侨连天下平台"
    source.save()

    # Then another article from it names the source anew
    html = client.get(second.url).content.decode()
    assert "侨连天下平台" in html.split('class="source"')[1].split("</p>")[0]


def test_tags_and_countries_of_an_article_show_in_order(client, channel):
    # Given an article with two tags and two countries, added in an order of their own
    article = make_article(channel, title="侨乡青年创业论坛")
    article.tags.add("创业中华")
    article.tags.add("侨乡青年")
    article.countries.add(CountryFactory(name="西班牙", code="ES"), CountryFactory(code="IT"))
    publish(article)

    # When a reader opens it
    html = client.get(article.url).content.decode()

    # Then both tags link to their pages, and the countries come in Country's order (code)
    tags = html.split('class="article__tags"')[1].split("</div>")[0]
    assert tags.index("创业中华") < tags.index("侨乡青年")
    countries = html.split('class="article__countries"')[1].split("</p>")[0]
    assert "西班牙、意大利" in countries


def test_an_editors_preview_shows_the_drafts_byline_and_tags(channel):
    # Given a live article and a draft that adds an author and a tag
    article = bylined(channel, AuthorFactory(name="林海"), "侨音融媒体中心成立")
    article.article_authors.add(ArticleAuthor(author=AuthorFactory(name="陈思远")))
    article.tags.add("侨连天下")
    article.save_revision()

    # When an editor previews the draft
    html = article.get_latest_revision_as_object().make_preview_request().content.decode()

    # Then the draft's byline and tags show
    assert "陈思远" in html.split('class="byline"')[1].split("</p>")[0]
    assert "侨连天下" in html.split('class="article__tags"')[1]


def test_an_article_page_reads_the_frame_version_once(client, channel, monkeypatch):
    # Given an article with a byline, a source, a country and a cover photo: parts of the
    # page that reach the frame from a template filter or a model property, not the view
    article = make_article(
        channel, title="侨音融媒体中心成立", source=SourceFactory(), cover_image=NewsImageFactory()
    )
    article.countries.add(CountryFactory(name="西班牙", code="ES"))
    article.article_authors.create(author=AuthorFactory())
    publish(article)
    client.get(article.url)  # the frame and shared data are cached now
    clear_cache()

    # When a reader opens it (uncached), each read of the version being a round trip to
    # the cache every process shares (Redis in production)
    version_reads = []
    shared_get = cache.get
    monkeypatch.setattr(
        cache,
        "get",
        lambda key, *args, **kwargs: version_reads.append(key) or shared_get(key, *args, **kwargs),
    )
    assert client.get(article.url).status_code == 200

    # Then the version is read once for the whole page
    assert version_reads.count(fragments.VERSION_KEY) == 1
