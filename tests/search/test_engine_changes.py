"""Engine-agnostic tests that change the index: each builds its own articles."""

import pytest

from search.models import Synonym
from search.tasks import index_page
from tests.cms.factories import ChannelPageFactory, CountryFactory, make_article
from tests.search.conftest import at, index
from tests.search.test_engines import search, titles

pytestmark = pytest.mark.django_db


def test_recency_breaks_ties_between_equally_relevant_articles(engine, newsroom):

    channel = ChannelPageFactory(parent=newsroom["zh-hans"])
    old = make_article(channel, title="侨助工坊开班", summary="", date_published=at(2019, 1, 1))
    new = make_article(channel, title="侨助工坊开班", summary="", date_published=at(2025, 1, 1))
    index(old, new)
    assert [hit.page_id for hit in search("侨助工坊").hits] == [new.pk, old.pk]


def test_a_country_filter_finds_an_article_about_several_countries(engine, newsroom):
    # Given an article about Italy and Spain and one about Portugal, all on 侨助工坊
    channel = ChannelPageFactory(parent=newsroom["zh-hans"])
    locale = newsroom["zh-hans"].locale
    italy, spain, portugal = (
        CountryFactory(name=name, code=code, locale=locale)
        for name, code in (("意大利", "IT"), ("西班牙", "ES"), ("葡萄牙", "PT"))
    )
    both = make_article(channel, title="侨助工坊走进南欧", date_published=at(2025, 1, 1))
    both.countries.add(italy, spain)
    other = make_article(channel, title="侨助工坊在里斯本", date_published=at(2025, 2, 1))
    other.countries.add(portugal)
    index(both, other)
    # When a reader narrows the search to one country, Then each of its countries finds it
    for code in ("IT", "ES"):
        assert [hit.page_id for hit in search("侨助工坊", filters={"country": code}).hits] == [
            both.pk
        ]
    assert [hit.page_id for hit in search("侨助工坊", filters={"country": "PT"}).hits] == [other.pk]
    # And a code that is only part of another's ("T" of "IT" and "PT") finds nothing
    assert search("侨助工坊", filters={"country": "T"}).total == 0


def test_a_word_only_older_articles_hold_gives_its_newest_matches(engine, newsroom, settings):
    # Given a cap of two, and ten articles of which only the three oldest say 侨助工坊: the
    # newest eight (the first window on PostgreSQL) hold one of them
    settings.SEARCH_TOTAL_CAP = 2
    channel = ChannelPageFactory(parent=newsroom["zh-hans"])
    articles = [
        make_article(
            channel,
            title="侨助工坊开班" if n < 3 else f"乡村侨舍第{n}期",
            summary="",
            date_published=at(2020 + n, 1, 1),
        )
        for n in range(10)
    ]
    index(*articles)
    # When a reader searches the word
    results = search("侨助工坊")
    # Then the two newest of its three articles are counted and shown, newest first
    assert results.total == 2 and results.total_capped
    assert [hit.page_id for hit in results.hits] == [articles[2].pk, articles[1].pk]


def test_unpublished_articles_are_never_returned(corpus):
    # Given a published, indexed article that the newsroom withdraws
    corpus["homes"].unpublish()
    index_page.apply(args=[corpus["homes"].pk])
    # Then searching its words no longer finds it
    assert corpus["homes"].title not in titles(search("乡村侨舍"))
    assert search("海外侨胞").total == 3


def test_synonyms_find_articles_written_with_the_other_word(corpus, run_on_commit, eager_celery):
    # Given no article says 华教
    assert search("华教").total == 0
    # When an editor adds the synonym group in the admin (which also triggers a rebuild)
    run_on_commit(lambda: Synonym.objects.create(terms="华文教育, 华教"))
    # Then readers typing 华教 find the 华文教育 article, marked as they read it
    results = search("华教")
    assert titles(results)[0] == corpus["education"].title
    assert "<mark>华文教育</mark>" in results.hits[0].title_html
