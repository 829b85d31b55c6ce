"""The 传播效果 report in the admin, the reach panel, its download and reach_report."""

import csv
import io
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

import pytest
from openpyxl import load_workbook

from cms.models import ArticleAuthor
from reach.models import StationReport
from stations.models import (
    ArticleVersion,
    Delivery,
    Destination,
    DistributedArticle,
    LiaisonStation,
    StationToken,
)
from tests.cms.factories import AuthorFactory, CountryFactory
from tests.reach.conftest import PHONE
from tests.website.conftest import translate

pytestmark = pytest.mark.django_db
URL = "/admin/reach/"


@pytest.fixture
def chief(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def station():
    return LiaisonStation.objects.create(name="米兰联络站", locales=["zh-hans"])


def deliver(station, article):
    destination = Destination.objects.create(station=station, url="https://example.org/hook")
    ledger, _ = DistributedArticle.objects.get_or_create(
        uri=article.uri, defaults={"language": "zh-hans", "title": article.title, "live": True}
    )
    version, _ = ArticleVersion.objects.get_or_create(
        article=ledger, version=1, defaults={"event": ArticleVersion.Event.PUBLISHED}
    )
    return Delivery.objects.create(
        destination=destination,
        station=station,
        article=ledger,
        article_version=version,
        version=1,
        event=version.event,
        state=Delivery.State.DELIVERED,
        ended_at=timezone.now(),
    )


@pytest.fixture
def story(read, fold, article, station):
    """An article read from Italy and China, delivered to a station that reported reach."""
    author = AuthorFactory(name="林海", slug="lin-hai")
    ArticleAuthor.objects.create(page=article, author=author)
    CountryFactory(name="意大利", code="IT")
    read(article, address="151.1.1.1", referrer="https://www.google.it/")
    read(article, address="151.1.1.1")
    read(article, address="114.114.114.114", agent=PHONE, utm_source="weixin")
    fold()
    deliver(station, article)
    StationReport.objects.create(
        station=station,
        uri=article.uri,
        page=article,
        day=timezone.localdate(),
        channel="wechat",
        views=1200,
        shares=35,
        as_of=timezone.now(),
    )
    return article


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def section(html, testid):
    return html.split(f'data-testid="{testid}"')[1].split("</table>")[0]


def test_the_report_shows_totals_charts_and_breakdowns(client, chief, story):
    html = text_of(client.get(URL, headers={"Accept-Language": "zh-hans"}))
    assert "传播效果" in html
    totals = section(html, "reach-totals")
    assert 'data-total="views">3<' in totals and 'data-total="visitors">2<' in totals
    assert 'data-total="reported_views">1200<' in totals and 'data-total="delivered">1<' in totals
    assert "<svg" in html.split('data-testid="daily-chart"')[0][-200:] + html
    assert story.title in section(html, "top-articles")
    assert "意大利" in section(html, "by-country") and "<rect" in html
    assert "微信" in section(html, "by-referrer")
    assert "林海" in section(html, "by-author")
    stations = section(html, "by-station")
    assert "米兰联络站" in stations and "1200" in stations
    assert "<script" not in html.split('data-testid="daily-chart"')[1].split("</svg>")[0]


def test_a_bad_period_is_explained_not_a_server_error(client, chief, story):
    html = text_of(client.get(URL, {"from": "2026-02-30", "to": "x"}))
    assert "YYYY-MM-DD" in html
    html = text_of(client.get(URL, {"from": "2026-03-01", "to": "2026-02-01"}))
    assert 'role="alert"' in html


def test_the_report_is_for_those_allowed_to_see_it(client, story):
    editor = get_user_model().objects.create_user("reporter", "r@example.org", "pw")
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(("group", "allowed"), [("总编辑", True), ("编辑", False)])
def test_chief_editors_read_the_report_and_editors_do_not(client, story, group, allowed):
    # Given a newsroom member who is no superuser, in the group setup_newsroom made
    member = get_user_model().objects.create_user(f"member-{allowed}", "m@example.org", "pw")
    member.groups.add(Group.objects.get(name=group))
    client.force_login(member)
    # When they open the 传播效果 report
    response = client.get(URL)
    # Then only the chief editors see it
    assert (response.status_code == 200) is allowed


def test_the_download_is_the_report_as_csv_and_excel(client, chief, story):
    today = timezone.localdate().isoformat()
    response = client.get(URL, {"from": today, "to": today, "download": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == story.uri and rows[1][4] == "3" and rows[1][5] == "2"
    workbook = load_workbook(
        io.BytesIO(client.get(URL, {"from": today, "to": today, "download": "xlsx"}).content)
    )
    sheet = workbook.active
    assert sheet.cell(row=2, column=1).value == story.uri


def test_the_article_edit_view_has_a_reach_panel(client, chief, story):
    html = text_of(client.get(f"/admin/pages/{story.pk}/edit/"))
    panel = html.split('data-testid="reach-panel"')[1].split("</div>")[0]
    assert "意大利" in panel and "米兰联络站" in panel and "1200" in panel


class TestReachReportCommand:
    def run(self, *args, language="en"):
        out, err = io.StringIO(), io.StringIO()
        with translation.override(language):
            call_command("reach_report", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_the_columns_are_chinese_for_the_newsroom(self, story):
        today = timezone.localdate().isoformat()
        out, _err = self.run("--from", today, "--to", today, language="zh-hans")
        assert out.startswith("URI,") and "浏览量" in out.splitlines()[0]

    def test_one_row_per_article(self, story):
        today = timezone.localdate().isoformat()
        out, err = self.run("--from", today, "--to", today)
        header, row = list(csv.reader(io.StringIO(out)))[:2]
        assert header[:6] == ["uri", "title", "channel", "published", "views", "visitors"]
        record = dict(zip(header, row, strict=True))
        assert record["uri"] == story.uri and record["title"] == story.title
        assert record["views (zh-hans)"] == "3" and record["views (en)"] == "0"
        assert record["top countries"].startswith("IT 2")
        assert record["stations delivered"] == "1" and record["reported views"] == "1200"
        assert "+08:00" in record["published"]
        assert "1 articles" in err

    def test_xlsx_to_a_file(self, story, tmp_path):
        today = timezone.localdate().isoformat()
        target = tmp_path / "reach.xlsx"
        self.run("--from", today, "--to", today, "--format", "xlsx", "--output", str(target))
        assert load_workbook(target).active.cell(row=2, column=1).value == story.uri

    @pytest.mark.parametrize(
        "args, message",
        [
            (["--from", "2026-02-30", "--to", "2026-03-01"], "YYYY-MM-DD"),
            (["--from", "2026-03-02", "--to", "2026-03-01"], "after"),
            (["--from", "2024-01-01", "--to", "2026-03-01"], "at most"),
            (["--from", "2026-03-01", "--to", "2026-03-02", "--format", "xlsx"], "--output"),
        ],
    )
    def test_bad_dates_exit_with_a_message(self, args, message):
        with pytest.raises(CommandError, match=message):
            self.run(*args)


def test_feed_and_api_pulls_are_counted_per_token_and_feed(client, fold, article, station):
    token = StationToken.issue(station, name="main")[1]
    client.get("/api/stations/v1/articles/", headers={"Authorization": f"Bearer {token}"})
    client.get("/api/stations/v1/", headers={"Authorization": f"Bearer {token}"})
    client.get("/zh-hans/feeds/rss.xml")
    fold()
    from reach.models import PullDay

    pulls = dict(PullDay.objects.values_list("source", "requests"))
    token_id = StationToken.objects.get(station=station).pk
    assert pulls == {f"token:{token_id}": 2, "feed:/zh-hans/feeds/rss.xml": 1}


def test_rollups_older_than_the_retention_are_pruned(settings, read, fold, article):
    from reach.models import ArticleDay
    from reach.tasks import prune_reach

    read(article)
    fold()
    ArticleDay.objects.update(day=timezone.localdate() - timedelta(days=100))
    settings.REACH_ROLLUP_RETENTION_DAYS = 0
    assert prune_reach() == 0 and ArticleDay.objects.exists()
    settings.REACH_ROLLUP_RETENTION_DAYS = 90
    prune_reach()
    assert not ArticleDay.objects.exists()


def test_a_channel_counts_its_editions_under_its_chinese_name(client, chief, read, fold, article):
    # Given the article is read in Chinese and, in the English channel, in English
    english = translate(article, "en", title="Annual meeting of liaison stations in Milan")
    read(article)
    read(english, address="198.51.100.9")
    fold()
    # Then the report's channel table has one row for the channel, named 侨界动态, with both
    # reads (not one row per edition)
    html = text_of(client.get(URL, headers={"Accept-Language": "zh-hans"}))
    channels = section(html, "by-channel")
    assert channels.count("<tr><td>") == 1
    assert re.search(r"侨界动态</td><td[^>]*>2<", channels)
