"""The read beacon: what a read records, and what it never does."""

from wagtail.models import PageViewRestriction

import pytest

from cms.models import ArticleReads
from reach.models import ArticleDay, ArticleDayBreakdown, BotPattern, Dimension
from tests.cms.factories import make_article
from tests.reach.conftest import GOOGLEBOT, PHONE

pytestmark = pytest.mark.django_db


def breakdown(page, dimension):
    return dict(
        ArticleDayBreakdown.objects.filter(page=page, dimension=dimension).values_list(
            "value", "views"
        )
    )


def test_reads_become_daily_views_and_unique_visitors(read, fold, article):
    # Given two readers, one of whom opens the article three times
    for _ in range(3):
        assert read(article, address="203.0.113.7").status_code == 204
    read(article, address="198.51.100.20")

    # When the beat task folds the minute's counts
    fold()

    # Then the article has four views by two visitors today, and "most read" counts two
    day = ArticleDay.objects.get(page=article)
    assert (day.views, day.visitors, day.language) == (4, 2, "zh-hans")
    assert ArticleReads.objects.get(page=article).count == 2


def test_an_articles_first_read_after_publishing_asks_no_database(
    read, channel, django_capture_on_commit_callbacks, django_assert_num_queries
):
    read(channel)  # the admin-extendable bot list is now cached (a channel is refused)
    with django_capture_on_commit_callbacks(execute=True):  # the publish commits
        article = make_article(channel, title="冬至包饺子", slug="dongzhi")
    with django_assert_num_queries(0):
        assert read(article).status_code == 204


def test_the_request_path_writes_nothing_to_the_database(
    read, article, django_assert_max_num_queries
):
    read(article)  # the page's language is now cached
    with django_assert_max_num_queries(1):  # the admin-extendable bot list, cached after
        read(article, address="198.51.100.1")
    with django_assert_max_num_queries(0):
        read(article, address="198.51.100.2")
    assert not ArticleDay.objects.exists()


def test_country_device_and_referrer_are_recorded(read, fold, article):
    read(article, address="8.8.8.8", referrer="https://www.google.com/search?q=侨乡")
    read(article, address="114.114.114.114", agent=PHONE, utm_source="wechat")
    read(article, address="1.1.1.1", referrer="https://t.co/abc")
    read(article, address="203.0.113.9", referrer="http://testserver/zh-hans/")
    read(article, address="203.0.113.10")
    fold()

    assert breakdown(article, Dimension.COUNTRY) == {"US": 1, "CN": 1, "AU": 1, "": 2}
    assert breakdown(article, Dimension.DEVICE) == {"desktop": 4, "mobile": 1}
    assert breakdown(article, Dimension.REFERRER) == {
        "search": 1,
        "wechat": 1,
        "social": 1,
        "internal": 1,
        "direct": 1,
    }
    # Only the domain is kept, never the referring address or its query
    assert breakdown(article, Dimension.DOMAIN) == {"search/google.com": 1, "social/t.co": 1}


def test_a_station_site_is_recognised_as_a_referrer(read, fold, article):
    from stations.models import LiaisonStation

    LiaisonStation.objects.create(name="米兰联络站", website="https://www.milano-qiao.it/")
    read(article, referrer="https://milano-qiao.it/news/42")
    fold()
    assert breakdown(article, Dimension.DOMAIN) == {"station/milano-qiao.it": 1}


@pytest.mark.parametrize(
    "headers", [{"DNT": "1"}, {"Sec-GPC": "1"}], ids=["do-not-track", "global-privacy-control"]
)
def test_readers_who_ask_not_to_be_tracked_are_not_counted(read, fold, article, headers):
    assert read(article, headers=headers).status_code == 204
    fold()
    assert not ArticleDay.objects.exists()


def test_bots_are_not_counted_nor_are_agents_the_admin_lists(read, fold, article):
    BotPattern.objects.create(pattern="NewsroomMonitor")
    read(article, agent=GOOGLEBOT)
    read(article, agent="Mozilla/5.0 (X11; Linux) newsroommonitor/2.0")
    read(article, agent="")
    fold()
    assert not ArticleDay.objects.exists()


def test_no_cookie_is_set_and_nothing_names_the_reader(read, fold, article):
    response = read(article, address="203.0.113.77")
    assert not response.cookies
    fold()
    stored = " ".join(
        str(row) for row in ArticleDayBreakdown.objects.values_list("value", flat=True)
    )
    assert "203.0.113" not in stored and "Chrome" not in stored


def test_a_visitor_is_counted_again_under_the_next_days_salt(read, fold, article):
    from django.utils import timezone

    import time_machine

    read(article)
    fold()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1), tick=False):
        read(article)
        fold()
    assert sorted(ArticleDay.objects.values_list("visitors", flat=True)) == [1, 1]


def test_counts_wait_in_the_cache_until_the_fold(read, fold, article):
    read(article)
    assert not ArticleDay.objects.exists()
    assert fold() == 1
    assert fold() == 0  # folded once, never twice
    assert ArticleDay.objects.get(page=article).views == 1


class TestBadBeacons:
    @pytest.mark.parametrize("value", ["abc", "", "1e9", "12; DROP TABLE", "-1", "0", "1.5"])
    def test_a_malformed_id_is_a_400(self, read, fold, article, value):
        response = read(value)
        assert response.status_code == 400
        fold()
        assert not ArticleDay.objects.exists()

    def test_an_id_that_is_not_a_live_article_is_refused(self, read, fold, home, channel):
        article = make_article(channel)
        assert read(home).status_code == 400
        assert read(10**11).status_code == 400
        article.unpublish()
        response = read(article)
        assert response.status_code == 400
        assert "No published article" in response.content.decode()
        fold()
        assert not ArticleDay.objects.exists()

    def test_an_article_unpublished_after_a_read_is_refused_at_once(
        self, read, fold, article, django_capture_on_commit_callbacks
    ):
        assert read(article).status_code == 204  # its language is now cached
        with django_capture_on_commit_callbacks(execute=True):  # the unpublish commits
            article.unpublish()
        assert read(article, address="198.51.100.3").status_code == 400
        fold()
        assert ArticleDay.objects.get(page=article).views == 1

    def test_an_article_put_behind_a_login_is_refused_at_once(
        self, read, fold, channel, article, django_capture_on_commit_callbacks
    ):
        assert read(article).status_code == 204  # its language is now cached
        with django_capture_on_commit_callbacks(execute=True):
            restriction = PageViewRestriction.objects.create(
                page=channel, restriction_type=PageViewRestriction.LOGIN
            )
        assert read(article, address="198.51.100.3").status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            restriction.delete()
        assert read(article, address="198.51.100.4").status_code == 204
        fold()
        assert ArticleDay.objects.get(page=article).views == 2
        # And deleting a restricted channel with its articles is no trouble for the cache
        PageViewRestriction.objects.create(page=channel, restriction_type="login")
        with django_capture_on_commit_callbacks(execute=True):
            channel.delete()
        assert read(article, address="198.51.100.5").status_code == 400

    @pytest.mark.parametrize(
        "referrer",
        ["javascript:alert(1)", "not a url", "ftp://example.org/", "http://" + "a" * 3000, "h\x01"],
    )
    def test_a_forged_referrer_is_refused(self, read, fold, article, referrer):
        response = read(article, referrer=referrer)
        assert response.status_code == 400
        assert "referrer" in response.content.decode()
        fold()
        assert not ArticleDay.objects.exists()

    def test_a_beacon_sent_from_another_sites_page_is_refused(self, read, fold, article):
        forged = read(article, headers={"Referer": "https://evil.example/page"})
        cross = read(article, headers={"Sec-Fetch-Site": "cross-site"})
        assert forged.status_code == cross.status_code == 403
        fold()
        assert not ArticleDay.objects.exists()

    def test_a_bad_utm_source_is_refused(self, read, article):
        assert read(article, utm_source="<script>").status_code == 400

    def test_get_is_not_allowed(self, client, article):
        assert client.get("/reads/", {"page": article.pk}).status_code == 405
