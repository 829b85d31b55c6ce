"""`manage.py import_articles`: an archive of ninjs 2.2 items migrates in as published articles."""

import json

from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from wagtail.models import Locale, Page, PageLogEntry, Site

import pytest

from cms.models import ArticlePage, ChannelPage, HomePage
from stations.models import DistributedArticle
from stations.pull.models import ImportedArticle

URI = "urn:archive:zjql:2023-0042"


@pytest.fixture(autouse=True)
def _english_operator():
    """The command speaks the active language (Chinese by default); these tests read English."""
    with translation.override("en"):
        yield


def ninjs(uri=URI, version="1", title="侨音融媒体中心年度回顾", language="zh-Hans", **extra):
    item = {
        "uri": uri,
        "standard": {"name": "ninjs", "version": "2.2"},
        "type": "text",
        "version": version,
        "versioncreated": f"2023-12-0{min(int(version), 9)}T08:00:00Z",
        "firstcreated": "2023-12-01T08:00:00Z",
        "pubstatus": "usable",
        "language": language,
        "headlines": [
            {"role": "main", "value": title},
            {"role": "subtitle", "value": "海外联络站遍布三十国"},
        ],
        "descriptions": [{"role": "summary", "value": "一年来，侨连天下平台用户近百万。"}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "<p>海外传播官发回的报道<script>alert(1)</script>越来越多。</p>",
            }
        ],
        "by": "王记者, 李编辑",
        "located": "杭州",
        "subjects": [{"name": "亲情中华", "rel": "tag"}],
        "places": [{"name": "意大利", "uri": "http://cvx.iptc.org/iso3166-1a2/it"}],
    }
    item.update(extra)
    return item


def run_import(tmp_path, content, *args, name="archive.json", language="en"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out, err = _Stream(), _Stream()
    # A page request in between leaves the reader's language active; the operator's is set here.
    with translation.override(language):
        call_command("import_articles", str(path), *args, "--no-progress", stdout=out, stderr=err)
    return out.text, err.text


class _Stream:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def imported(uri=URI):
    return ArticlePage.objects.get(uri=uri)


@pytest.mark.django_db
def test_an_array_is_imported_as_published_articles_keeping_their_uris(tmp_path, newsroom):
    # Given an archive with a Chinese and an English article
    items = [ninjs(), ninjs(uri="urn:archive:en:1", title="A year of outreach", language="en")]

    # When it is imported into a channel
    out, _ = run_import(tmp_path, json.dumps(items, ensure_ascii=False), "--channel", "huigu")

    # Then both are live articles under that channel, in their languages, with their uris
    assert "2 created" in out
    article = imported()
    assert article.live
    assert article.title == "侨音融媒体中心年度回顾"
    assert article.subtitle == "海外联络站遍布三十国"
    assert article.summary == "一年来，侨连天下平台用户近百万。"
    assert article.dateline == "杭州"
    assert article.get_parent().slug == "huigu"
    assert article.get_parent().get_parent().specific == newsroom["zh-hans"]
    assert [author.name for author in article.byline] == ["王记者", "李编辑"]
    assert [tag.name for tag in article.tags.all()] == ["亲情中华"]
    assert [country.code for country in article.countries.all()] == ["IT"]
    english = imported("urn:archive:en:1")
    assert english.locale.language_code == "en"
    assert english.get_parent().get_parent().specific == newsroom["en"]

    # And the body kept the text but not the script
    body = str(article.body)
    assert "海外传播官发回的报道" in body
    assert "<script" not in body


@pytest.mark.django_db
def test_imported_articles_go_through_the_publish_pipeline(tmp_path, newsroom, client):
    # When an article is imported
    run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False))

    # Then it was published from a revision, as the admin does, and readers can see it
    article = imported()
    assert article.live_revision is not None
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish").exists()
    # And the station push recorded it in its ledger, as for an editor's publish
    assert DistributedArticle.objects.get(uri=URI).current_version == 1
    assert client.get(article.url).status_code == 200
    feed = client.get("/zh-hans/feeds/feed.json").json()
    assert [item["id"] for item in feed["items"]] == [URI]


@pytest.mark.django_db
def test_json_lines_report_invalid_items_with_their_line_and_import_the_rest(tmp_path, newsroom):
    # Given a JSON Lines file with broken JSON on line 2 and an item without headline on line 4
    lines = [
        json.dumps(ninjs(uri="urn:a:1"), ensure_ascii=False),
        '{"uri": "urn:a:2", "headlines": [',
        "",
        json.dumps(ninjs(uri="urn:a:3", headlines=[]), ensure_ascii=False),
        json.dumps(ninjs(uri="urn:a:4", language="ja"), ensure_ascii=False),
        json.dumps(ninjs(uri="urn:a:5", pubstatus="published"), ensure_ascii=False),
        json.dumps(ninjs(uri="urn:a:6"), ensure_ascii=False),
    ]
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    err = _Stream()

    # When it is imported
    with pytest.raises(CommandError, match="4 invalid items were skipped"):
        call_command("import_articles", str(path), "--no-progress", stdout=_Stream(), stderr=err)

    # Then each bad item is reported with its line and why, and the good ones are in
    assert "line 2: skipped, invalid JSON" in err.text
    assert "line 4: skipped, a main headline is required" in err.text
    assert "line 5: skipped, language 'ja'" in err.text
    assert "line 6: skipped, not valid ninjs 2.2" in err.text
    assert set(ArticlePage.objects.values_list("uri", flat=True)) == {"urn:a:1", "urn:a:6"}


@pytest.mark.django_db
def test_a_single_object_file_is_imported(tmp_path, newsroom):
    out, _ = run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False, indent=2))
    assert "1 created" in out
    assert imported().live


@pytest.mark.django_db
def test_array_items_report_their_own_line(tmp_path, newsroom):
    # Given a pretty-printed array whose second item (starting on line 4) lacks a uri
    first = json.dumps(ninjs(uri="urn:b:1"), ensure_ascii=False)
    second = json.dumps({"type": "text", "headlines": [{"role": "main", "value": "无题"}]})
    content = f"[\n{first},\n\n{second}\n]"

    # When it is imported, the report points at line 4
    with pytest.raises(CommandError):
        path = tmp_path / "archive.json"
        path.write_text(content, encoding="utf-8")
        err = _Stream()
        call_command("import_articles", str(path), "--no-progress", stdout=_Stream(), stderr=err)
    assert "line 4: skipped" in err.text
    assert "uri" in err.text
    assert ArticlePage.objects.filter(uri="urn:b:1").exists()


@pytest.mark.django_db
def test_reimporting_the_same_version_changes_nothing(tmp_path, newsroom):
    # Given an imported article
    content = json.dumps([ninjs()], ensure_ascii=False)
    run_import(tmp_path, content)
    revisions = imported().revisions.count()

    # When the same file is imported again
    out, _ = run_import(tmp_path, content)

    # Then there is still one article, not republished
    assert "0 created" in out and "1 unchanged" in out
    assert ArticlePage.objects.filter(uri=URI).count() == 1
    assert imported().revisions.count() == revisions


@pytest.mark.django_db
def test_a_newer_version_corrects_the_article_and_an_older_one_does_not(tmp_path, newsroom):
    # Given version 1 was imported
    run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False))
    first_id = imported().pk

    # When version 2 arrives with a corrected title and a correction note
    corrected = ninjs(version="2", title="侨音融媒体中心年度回顾（更正）", ednote="更正了用户数")
    out, _ = run_import(tmp_path, json.dumps(corrected, ensure_ascii=False))

    # Then the same article now shows the new title and a visible correction
    assert "1 corrected" in out
    article = imported()
    assert article.pk == first_id
    assert article.live
    assert article.title == "侨音融媒体中心年度回顾（更正）"
    assert [c.note for c in article.corrections.all()] == ["更正了用户数"]
    assert ImportedArticle.objects.get(uri=URI).version == "2"

    # When the old version 1 is imported again, it does not undo the correction
    out, _ = run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False))
    assert "1 unchanged" in out
    assert imported().title == "侨音融媒体中心年度回顾（更正）"

    # And re-running the correction is not a second correction
    out, _ = run_import(tmp_path, json.dumps(corrected, ensure_ascii=False))
    assert "1 unchanged" in out
    assert imported().corrections.count() == 1


@pytest.mark.django_db
def test_canceled_takes_the_article_down(tmp_path, newsroom, client):
    # Given a live imported article
    run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False))
    url = imported().url

    # When the archive says it was canceled
    out, _ = run_import(tmp_path, json.dumps(ninjs(version="2", pubstatus="canceled")))

    # Then it is no longer published, and readers no longer find it
    assert "1 taken down" in out
    assert not imported().live
    assert client.get(url).status_code == 404

    # When the archive is re-run from its start, the old version does not bring it back
    out, _ = run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False))
    assert "1 unchanged" in out
    assert not imported().live

    # But a newer version publishes it again, as a correction
    out, _ = run_import(tmp_path, json.dumps(ninjs(version="3"), ensure_ascii=False))
    assert "1 corrected" in out
    assert imported().live


@pytest.mark.django_db
def test_an_empty_database_gets_the_structure_it_needs(tmp_path):
    # Given a freshly migrated database: Wagtail's root and welcome page, one locale, no homes
    for page in Page.get_first_root_node().get_children():
        page.delete()
    Site.objects.all().delete()
    Locale.objects.exclude(pk=Page.get_first_root_node().locale_id).delete()
    assert not HomePage.objects.exists()

    # When an archive is imported
    run_import(tmp_path, json.dumps(ninjs(), ensure_ascii=False), "--channel", "archive")

    # Then the editions, the site and the channel exist and the article lives in them
    home = HomePage.objects.get(locale__language_code="zh-hans")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ChannelPage.objects.child_of(home).get(slug="archive").live
    assert imported().get_parent().get_parent().pk == home.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda tmp: tmp / "missing.json", "File not found"),
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: _write_bytes(tmp / "latin1.json", "Città".encode("latin-1")), "not UTF-8"),
        (lambda tmp: _write_bytes(tmp / "empty.json", b"  \n"), "is empty"),
        (lambda tmp: _write_bytes(tmp / "bad.json", b'[\n{"uri": "x"}\n{"uri": "y"}]'), "line 3"),
    ],
)
def test_unreadable_files_fail_with_a_clear_message(tmp_path, setup, message):
    path = setup(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("import_articles", str(path), "--no-progress", stdout=_Stream())
    assert not ArticlePage.objects.exists()


def _write_bytes(path, data):
    path.write_bytes(data)
    return path


def test_the_summary_speaks_chinese_by_default(tmp_path, newsroom):
    # Given the newsroom's default language, when an operator imports an archive
    out, _err = run_import(tmp_path, json.dumps(ninjs()), language=settings.LANGUAGE_CODE)
    # Then the summary is in Chinese
    assert "已导入 1 项" in out
