"""Engine-agnostic tests that change the index: each builds its own articles."""

import pytest

from search.models import Synonym
from search.tasks import index_page
from tests.cms.factories import ChannelPageFactory, make_article
from tests.search.conftest import at, index
from tests.search.test_engines import search, titles

pytestmark = pytest.mark.django_db


def test_recency_breaks_ties_between_equally_relevant_articles(engine, newsroom):

    channel = ChannelPageFactory(parent=newsroom["zh-hans"])
    old = make_article(channel, title="侨助工坊开班", summary="", date_published=at(2019, 1, 1))
    new = make_article(channel, title="侨助工坊开班", summary="", date_published=at(2025, 1, 1))
    index(old, new)
    assert [hit.page_id for hit in search("侨助工坊").hits] == [new.pk, old.pk]


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
