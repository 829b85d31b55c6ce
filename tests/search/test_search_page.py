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


def test_no_results_page_helps_the_reader(client, corpus):
    _, html = page_html(client, "乡村侨社")
    # The zh-hans edition speaks Chinese
    assert "您是不是要找" in html and "乡村侨舍" in html
    assert "没有找到相关文章" in html


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
