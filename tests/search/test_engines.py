"""The engine-agnostic suite: every test runs on each engine (see conftest.py)."""

from datetime import date

import pytest

from search import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(shared_corpus, db):
    """Read-only tests share one corpus per engine (see conftest.shared_corpus)."""
    return shared_corpus[1]


def search(text, locale="zh-hans", **arguments):
    return service.search(service.build_query(text, locale, **arguments))


def titles(results):
    return [hit.title for hit in results.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("侨舍", "homes"),  # two characters inside a sentence
        ("防疫", "epidemic"),
        ("乡村侨舍", "homes"),  # four characters, two words
        ("华文教育", "education"),
        ("创业中华", "startup"),
    ],
)
def test_chinese_words_inside_sentences_find_the_right_article_first(corpus, query, expected):
    # Given the corpus, when a reader searches a word that sits inside a Chinese sentence
    results = search(query)
    # Then the article about it comes first
    assert results.total >= 1
    assert results.hits[0].title == corpus[expected].title


def test_an_article_with_both_words_apart_ranks_below_the_one_about_them(corpus):
    # Given "华文" and "教育" appear apart in the startup article's body
    results = search("华文教育")
    # Then the education article, with the phrase in its title, still leads
    assert titles(results)[0] == corpus["education"].title


def test_articles_with_every_word_rank_above_those_with_part_of_them(corpus):
    # When a reader types two words separated by a space, and one article has both
    results = search("意大利 防疫")
    # Then it comes first; the Milan school article (意大利, not 防疫) follows it, and the
    # page knows it shows partial matches
    assert titles(results)[0] == corpus["epidemic"].title
    assert corpus["education"].title in titles(results)[1:]
    assert results.relaxed


def test_enough_articles_with_every_word_are_not_diluted_with_partial_ones(corpus):
    results = search("海外侨胞 侨")
    assert not results.relaxed
    assert results.total >= 3


def test_traditional_query_finds_simplified_article(corpus):
    results = search("華文教育")
    assert titles(results)[0] == corpus["education"].title


def test_simplified_query_finds_traditional_article(corpus):
    results = search("乡村侨舍", locale="zh-hant")
    assert titles(results) == [corpus["traditional"].title]


def test_locales_are_isolated(corpus):
    # The English article mentions 乡村侨舍 too, but a zh-hans search stays in zh-hans
    assert corpus["english"].title not in titles(search("乡村侨舍"))
    english = search("乡村侨舍", locale="en")
    assert titles(english) == [corpus["english"].title]


def test_european_locale_finds_its_words(corpus):
    assert titles(search("guesthouses", locale="en")) == [corpus["english"].title]


def test_filters_narrow_the_results(corpus):
    everything = search("海外侨胞")
    assert everything.total == 4
    assert titles(search("海外侨胞", filters={"channel": "news"})) == sorted(
        [corpus["epidemic"].title, corpus["startup"].title],
        key=titles(everything).index,
    )
    assert titles(search("海外侨胞", filters={"country": "ES"})) == [corpus["startup"].title]
    assert titles(search("海外侨胞", filters={"year": "2023"})) == [corpus["education"].title]
    assert titles(search("海外侨胞", filters={"tag": "侨舍"})) == [corpus["homes"].title]
    topic = search("海外侨胞", filters={"topic": "fight-epidemic"})
    assert titles(topic) == [corpus["epidemic"].title]
    in_2024 = search("海外侨胞", date_from=date(2024, 1, 1), date_to=date(2024, 6, 30))
    assert titles(in_2024) == [corpus["homes"].title]


def test_filters_alone_list_articles_without_a_query(corpus):
    results = search("", filters={"country": "IT"}, sort="newest")
    assert titles(results) == [
        corpus["homes"].title,
        corpus["education"].title,
        corpus["epidemic"].title,
    ]


def test_facet_counts_describe_the_matches(corpus):
    # osmem-server answers terms aggregations, so this runs on every engine here.
    facets = search("海外侨胞").facets

    def counts(name):
        return {item["value"]: item["count"] for item in facets[name]}

    assert counts("channel") == {"community": 2, "news": 2}
    assert counts("country") == {"IT": 3, "ES": 1}
    assert counts("year") == {"2024": 2, "2023": 1, "2022": 1}
    assert counts("topic") == {"fight-epidemic": 1}
    labels = {item["value"]: item["label"] for item in facets["channel"]}
    assert labels == {"community": "侨界动态", "news": "要闻"}
    assert [item["value"] for item in facets["year"]] == ["2024", "2023", "2022"]


def test_facet_counts_and_total_cover_every_page_not_just_the_one_shown(corpus):
    results = search("海外侨胞", page=2, page_size=1)
    assert len(results.hits) == 1
    assert results.total == 4
    assert {item["value"]: item["count"] for item in results.facets["country"]} == {
        "IT": 3,
        "ES": 1,
    }


def test_selected_facet_is_marked(corpus):
    facets = search("海外侨胞", filters={"country": "ES"}).facets
    assert [(f["value"], f["selected"]) for f in facets["country"]] == [("ES", True)]


def test_highlights_mark_the_query_in_title_and_snippet(corpus):
    hit = search("乡村侨舍").hits[0]
    assert "<mark>乡村侨舍</mark>" in hit.title_html
    assert "<mark>" in hit.snippet_html


def test_traditional_query_highlights_simplified_text(corpus):
    hit = search("華文教育").hits[0]
    assert "<mark>华文教育</mark>" in hit.title_html


def test_pagination_walks_through_every_hit_once(corpus):
    first = search("海外侨胞", page=1, page_size=3)
    second = search("海外侨胞", page=2, page_size=3)
    assert first.total == second.total == 4
    assert len(first.hits) == 3 and len(second.hits) == 1
    assert set(titles(first)).isdisjoint(titles(second))
    assert first.num_pages == 2


def test_newest_sort_orders_by_date(corpus):
    results = search("海外侨胞", sort="newest")
    dates = [corpus_date(corpus, hit.title) for hit in results.hits]
    assert dates == sorted(dates, reverse=True)


def corpus_date(corpus, title):
    return next(page.date_published for page in corpus.values() if page.title == title)


def test_suggestions_complete_what_the_reader_types(corpus):
    assert service.suggest("乡村", "zh-hans") == [corpus["homes"].title]
    assert corpus["education"].title in service.suggest("华文", "zh-hans")
    assert service.suggest("乡村", "de") == []


def test_did_you_mean_offers_a_spelling_that_finds_something(corpus):
    # 侨社 appears in no article; 侨舍 does
    results = search("乡村侨社")
    # The articles about 乡村 are still shown, as a partial match, beside the suggestion
    assert results.relaxed and results.total >= 1
    assert results.did_you_mean == "乡村侨舍"
    assert search(results.did_you_mean).total == 1
    assert not search(results.did_you_mean).relaxed


def test_did_you_mean_alone_when_nothing_matches_even_in_part(corpus):
    results = search("侨社")
    assert results.total == 0 and results.hits == []
    assert not results.relaxed


def test_related_articles_come_from_the_engine(corpus):
    related = service.related_articles(corpus["homes"])
    assert related, "an article about 海外侨胞 has neighbours"
    assert corpus["homes"] not in related
    assert all(article.locale_id == corpus["homes"].locale_id for article in related)


def test_punctuation_only_query_finds_nothing_and_does_not_fail(corpus):
    results = search("！？。，")
    assert results.total == 0
    assert results.hits == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("意大利侨团怎么防疫", "epidemic"),  # every meaningful word is there
        ("西班牙侨商创业的成果有哪些", "startup"),  # 成果 is not: most words suffice
        ("海外侨胞回乡住在哪里的侨舍", "homes"),
        ("米兰的中文学校如何开展华文教育", "education"),
    ],
)
def test_a_question_finds_its_answer_first_on_every_engine(corpus, question, expected):
    results = search(question)
    assert titles(results)[0] == corpus[expected].title


def test_question_words_are_never_required(corpus):
    # 怎么 is in no article: without the stop words the query would find nothing
    results = search("意大利侨团怎么防疫")
    assert not results.relaxed and results.total == 1


def test_a_query_of_stop_words_only_is_searched_as_typed(corpus):
    results = search("的")
    assert results.total >= 1  # every zh-hans article has 的; nothing fails


def test_english_stop_words_are_not_required(corpus):
    results = search("the guesthouses of the Zhejiang villages", locale="en")
    assert titles(results) == [corpus["english"].title]
    assert not results.relaxed


def test_a_single_character_finds_the_words_that_contain_it(corpus):
    # 侨 stands alone in no zh-hans article: it is inside 侨胞, 侨舍, 侨团, 侨商…
    assert search("侨").total == 4
    assert search("僑", locale="zh-hant").total == 1


def test_counts_stop_at_the_cap_and_the_newest_matches_are_ranked(corpus, settings):
    # Given every engine counts no further than its cap (1,000 on a site; 2 here)
    everything = search("侨")
    settings.SEARCH_TOTAL_CAP = 2
    # When a word matches the four zh-hans articles
    results = search("侨")
    # Then the page says "2+", and what it ranks and counts are the two newest matches,
    # best first as without the cap
    assert results.total == 2 and results.total_capped
    newest = {corpus["startup"].title, corpus["homes"].title}
    assert titles(results) == [title for title in titles(everything) if title in newest]
    channels = {facet["value"]: facet["count"] for facet in results.facets["channel"]}
    assert channels == {"community": 1, "news": 1}
    countries = {facet["value"]: facet["count"] for facet in results.facets["country"]}
    assert countries == {"IT": 1, "ES": 1}
    # And a query under the cap is counted exactly
    assert not search("侨团").total_capped


def test_a_capped_relaxed_search_still_puts_the_strict_match_first(corpus, settings):
    # Given a cap of one: the newest partial match alone would be the candidates
    settings.SEARCH_TOTAL_CAP = 1
    # When only the oldest of the matches has both words
    results = search("意大利 防疫")
    # Then it still comes first, above the newer partial match
    assert results.relaxed and results.total_capped
    assert titles(results)[:2] == [corpus["epidemic"].title, corpus["education"].title]
