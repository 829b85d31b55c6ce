"""The reader's search page in every locale, and related articles on article pages."""

from django.conf import settings

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(shared_corpus, db):
    return shared_corpus[1]


def page_html(client, query, locale="zh-hans", **params):
    response = client.get(f"/{locale}/search/", {"q": query, **params})
    return response, response.content.decode()


@pytest.mark.parametrize("locale", [code for code, _name in settings.LANGUAGES])
def test_search_page_works_in_every_locale(client, newsroom, locale):
    response, html = page_html(client, "侨", locale=locale)
    assert response.status_code == 200
    assert 'name="q"' in html
    assert f'data-locale="{locale}"' in html
    assert "search/search.js" in html


def test_results_show_highlights_and_facets_as_filters(client, corpus):
    response, html = page_html(client, "海外侨胞")
    assert response.status_code == 200
    assert f'href="{corpus["homes"].url}"' in html
    assert f'href="{corpus["startup"].url}"' in html
    assert "<mark>海外侨胞</mark>" in html
    # Facets link to the same search narrowed by that value
    assert "?q=%E6%B5%B7%E5%A4%96%E4%BE%A8%E8%83%9E&amp;country=ES" in html
    assert "西班牙" in html and "抗疫专题" in html


def test_choosing_a_facet_narrows_and_can_be_undone(client, corpus):
    _, html = page_html(client, "海外侨胞", country="ES")
    assert f'href="{corpus["startup"].url}"' in html
    assert f'href="{corpus["homes"].url}"' not in html
    assert 'aria-current="true"' in html  # the chosen filter is shown as selected


def test_sort_toggle_and_pagination_links(client, corpus):
    _, html = page_html(client, "海外侨胞", page_size=2)
    assert "sort=newest" in html
    assert 'rel="next"' in html
    _, second = page_html(client, "海外侨胞", page_size=2, page=2, sort="newest")
    assert 'rel="prev"' in second


def test_a_misspelt_query_shows_partial_results_and_did_you_mean(client, corpus):
    _, html = page_html(client, "乡村侨社")
    # The zh-hans edition speaks Chinese: results for part of the query, and the spelling
    # that finds everything; never "nothing found" beside results
    assert "以下是与部分搜索词相符的结果" in html
    assert "您是不是要找" in html and "乡村侨舍" in html
    assert f'href="{corpus["homes"].url}"' in html
    assert "没有找到相关文章" not in html


def test_no_results_page_helps_the_reader(client, corpus):
    _, html = page_html(client, "侨社")
    assert "没有找到相关文章" in html
    assert "以下是与部分搜索词相符的结果" not in html


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client, corpus):
    response, html = page_html(client, "海外侨胞", page_size=2, page=99)
    assert response.status_code == 200
    assert "没有第 99 页：显示最后一页。" in html
    assert "没有找到相关文章" not in html
    assert html.count('class="search-hit"') >= 1
    assert 'rel="next"' not in html and 'rel="prev"' in html


def test_the_search_page_is_never_cached(client, corpus):
    response, _ = page_html(client, "海外侨胞")
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "max-age=0" in cache_control
    assert response.get("X-Qiaoyin-Cache") != "hit"
    again, _ = page_html(client, "海外侨胞")
    assert again.get("X-Qiaoyin-Cache") != "hit"


def test_bad_parameters_answer_400_with_the_reason(client, newsroom):
    response, html = page_html(client, "侨", page="-3")
    assert response.status_code == 400
    assert 'role="alert"' in html


def test_article_page_shows_related_articles_from_the_engine(client, corpus):
    response = client.get(corpus["homes"].url)
    assert response.status_code == 200
    html = response.content.decode()
    related_titles = [corpus[key].title for key in ("education", "epidemic", "startup")]
    assert any(title in html for title in related_titles)


def test_the_400_page_never_echoes_control_characters(client, newsroom):
    # Given a query and a sort order holding NUL bytes
    response, html = page_html(client, "侨\x00乡", sort="new\x00est")
    # Then the page explains the refusal without writing the NUL back into the HTML
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "\x00" not in html
    assert 'value="侨乡"' in html


def test_the_search_page_is_rate_limited_per_reader(client, newsroom, settings):
    # Given a limit of 3 searches a minute
    settings.SEARCH_API_RATE = "3/m"
    # When one reader runs a fourth distinct search (each one runs the engine)
    statuses = [page_html(client, f"侨乡{n}")[0].status_code for n in range(4)]
    # Then it is refused with a message in the edition's language, and others still search
    assert statuses == [200, 200, 200, 429]
    _, html = page_html(client, "侨乡9")
    assert "搜索过于频繁" in html
    other = client.get("/zh-hans/search/", {"q": "侨乡"}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 200


def test_published_corrected_and_unpublished_articles_show_and_leave_at_once(
    client, engine, newsroom, run_on_commit, eager_celery
):
    from tests.cms.factories import ChannelPageFactory, make_article

    channel = ChannelPageFactory(parent=newsroom["zh-hans"], title="侨乡", slug="hometowns")
    # A reader searches before the article exists (and the answer could be cached)
    _, before = page_html(client, "冬至")
    assert "没有找到相关文章" in before
    # When the newsroom publishes it, the same search finds it on the next request
    article = run_on_commit(lambda: make_article(channel, title="冬至里的侨乡汤圆"))
    _, published = page_html(client, "冬至")
    assert f'href="{article.url}"' in published and "没有找到相关文章" not in published
    # A correction changes the title: the search shows the corrected one
    article.title = "冬至里的侨乡汤圆（更正）"
    run_on_commit(lambda: article.save_revision().publish())
    _, corrected = page_html(client, "冬至")
    assert "（更正）" in corrected
    # Unpublished: gone from the results at once
    run_on_commit(article.unpublish)
    _, gone = page_html(client, "冬至")
    assert f'href="{article.url}"' not in gone and "没有找到相关文章" in gone


def test_a_search_over_the_cap_says_so_in_the_page_and_the_api(client, corpus, settings):
    # Given counts stop at 2 (1,000 on a site), when a word matches four articles
    settings.SEARCH_TOTAL_CAP = 2
    response, html = page_html(client, "侨")
    # Then the page says "2+" found, in the reader's language, and the API says the same
    assert response.status_code == 200
    assert "找到 2+ 篇文章" in html
    payload = client.get("/api/search/", {"q": "侨", "locale": "zh-hans"}).json()
    assert payload["total"] == 2 and payload["total_capped"] is True
    assert payload["num_pages"] == 1
    # And below the cap nothing changes
    payload = client.get("/api/search/", {"q": "侨团", "locale": "zh-hans"}).json()
    assert payload["total_capped"] is False
