"""Elasticsearch index definitions and request bodies, checked as data.

osmem-server answers terms aggregations, so facets are also exercised end to end in
test_engines.py; these tests pin the request we send to any cluster.
"""

from datetime import date

import pytest

from search.engines import es_mapping
from search.engines.base import Query


def test_chinese_uses_the_plugin_free_chain_by_default():
    body = es_mapping.index_body("zh-hans")
    title = body["mappings"]["properties"]["title_terms"]
    assert title["analyzer"] == title["search_analyzer"] == "qy_terms"
    analyzer = body["settings"]["analysis"]["analyzer"]["qy_terms"]
    assert analyzer["tokenizer"] == "whitespace"
    assert body["mappings"]["properties"]["cjk_text"]["analyzer"] == "cjk"


@pytest.mark.parametrize(
    ("setting", "index_analyzer", "search_analyzer"),
    [("ik", "ik_max_word", "ik_smart"), ("smartcn", "smartcn", "smartcn")],
)
def test_chinese_analyzer_is_configurable(setting, index_analyzer, search_analyzer):
    field = es_mapping.index_body("zh-hant", setting)["mappings"]["properties"]["body_terms"]
    assert (field["analyzer"], field["search_analyzer"]) == (index_analyzer, search_analyzer)


def test_unknown_chinese_analyzer_is_refused():
    with pytest.raises(ValueError, match="Unknown Chinese analyzer"):
        es_mapping.index_body("zh-hans", "nonsense")


@pytest.mark.parametrize(
    ("locale", "analyzer"),
    [
        ("en", "english"),
        ("it", "italian"),
        ("es", "spanish"),
        ("fr", "french"),
        ("pt", "portuguese"),
        ("de", "german"),
    ],
)
def test_european_locales_use_their_language_analyzer(locale, analyzer):
    field = es_mapping.index_body(locale)["mappings"]["properties"]["summary_terms"]
    assert field["analyzer"] == analyzer


def test_facet_fields_are_keywords_and_suggest_is_completion():
    properties = es_mapping.index_body("zh-hans")["mappings"]["properties"]
    for name in ("channel", "topics", "countries", "tags"):
        assert properties[name]["type"] == "keyword"
    assert properties["year"]["type"] == "integer"
    assert properties["suggest"]["type"] == "completion"


def test_search_body_asks_for_every_facet_and_weights_title_highest():
    query = Query(
        text="华文教育", locale="zh-hans", groups=(("华文",), ("教育",)), cjk_runs=("华文教育",)
    )
    body = es_mapping.search_body(query)
    assert body["aggs"] == {
        "channel": {"terms": {"field": "channel", "size": 20}},
        "topic": {"terms": {"field": "topics", "size": 20}},
        "country": {"terms": {"field": "countries", "size": 20}},
        "year": {"terms": {"field": "year", "size": 20}},
    }
    score = body["query"]["function_score"]
    assert score["boost_mode"] == "multiply"
    match = score["query"]["bool"]["must"][0]["bool"]["should"]
    words = match[0]["bool"]["must"]
    assert len(words) == 2
    fields = words[0]["bool"]["should"][0]["multi_match"]["fields"]
    assert fields[0] == "title_terms^6"
    assert match[1] == {"bool": {"must": [{"match_phrase": {"cjk_text": "华文教育"}}]}}


def test_filters_and_newest_sort_in_the_body():
    query = Query(
        text="",
        locale="en",
        filters={"country": "IT", "tag": "侨舍"},
        date_from=date(2024, 1, 1),
        sort="newest",
        page=3,
        page_size=5,
    )
    body = es_mapping.search_body(query)
    assert body["query"]["bool"]["filter"] == [
        {"term": {"countries": "IT"}},
        {"term": {"tags": "侨舍"}},
        {"range": {"published_at": {"gte": "2024-01-01"}}},
    ]
    assert body["sort"][0] == {"published_at": {"order": "desc"}}
    assert (body["from"], body["size"]) == (10, 5)
