"""Search fixtures: the engine under test, a small Chinese corpus, and osmem-server.

Every engine-agnostic test takes `engine`, parametrised over:
- "database": the database engine on this run's database — PostgreSQL by default; the same
  tests run on SQLite in a subprocess (test_sqlite.py), because one Django process has one
  default database and Wagtail's page tree cannot live on a second alias;
- "elasticsearch": the Elasticsearch engine on osmem-server, started here on a free port
  (or on the real cluster named by ELASTICSEARCH_URL).
"""

import os
import uuid
from datetime import UTC, datetime

from django.db import transaction
from django.test import override_settings

import pytest
from elastic_transport import Urllib3HttpNode

from cms.models import Country
from cms.newsroom import setup_newsroom
from search.documents import build_document
from search.engines import get_engine
from tests.cms.factories import ChannelPageFactory, TopicPageFactory, make_article, publish

REAL_CLUSTER_URL = os.environ.get("ELASTICSEARCH_URL", "")
ENGINES = ["database", "elasticsearch"]
if os.environ.get("SEARCH_TEST_ENGINES"):
    ENGINES = os.environ["SEARCH_TEST_ENGINES"].split(",")


class PlainJsonNode(Urllib3HttpNode):
    """TEST ONLY: osmem-server rejects the 9.x client's vendor media types
    (application/vnd.elasticsearch+json; compatible-with=9); send plain JSON instead."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers is not None:
            headers = headers.copy()
            for name in list(headers.keys()):
                if name.lower() in ("accept", "content-type"):
                    value = headers[name].replace("vnd.elasticsearch+", "")
                    headers[name] = value.replace("; compatible-with=9", "")
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


@pytest.fixture(scope="session")
def elasticsearch_url():
    if REAL_CLUSTER_URL:
        yield REAL_CLUSTER_URL, {}
        return
    from osmem_server import OsmemServer

    with OsmemServer.start(japanese=False) as server:
        yield server.url, {"node_class": PlainJsonNode}


def engine_settings(request, name):
    """Settings that select the engine; ES gets a fresh alias prefix (an index of its own)."""
    if name == "elasticsearch":
        url, options = request.getfixturevalue("elasticsearch_url")
        return {
            "ELASTICSEARCH_URL": url,
            "SEARCH_ELASTICSEARCH_OPTIONS": options,
            "SEARCH_INDEX_PREFIX": f"test-{uuid.uuid4().hex[:10]}",
        }
    return {"ELASTICSEARCH_URL": ""}


@pytest.fixture(params=ENGINES)
def engine(request):
    """The engine under test, for tests that build (and may change) their own articles."""
    with override_settings(**engine_settings(request, request.param)):
        yield get_engine()


@pytest.fixture(scope="module", params=ENGINES)
def shared_corpus(request, django_db_setup, django_db_blocker):
    """The corpus built once per module and engine, for tests that only read.

    It lives in a transaction rolled back at the end of the module; each test's own
    transaction nests inside it, so a test's changes still vanish after the test.
    """
    with django_db_blocker.unblock(), override_settings(**engine_settings(request, request.param)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield get_engine(), build_corpus(setup_newsroom())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def index(*pages):
    get_engine().index([build_document(page) for page in pages])


def at(year, month, day=1):
    return datetime(year, month, day, 8, 0, tzinfo=UTC)


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def corpus(engine, newsroom):
    """The corpus for one test that changes it, indexed in the engine under test."""
    return build_corpus(newsroom)


def build_corpus(newsroom):
    """Articles written for these tests, indexed in the current engine."""
    home = newsroom["zh-hans"]
    italy = Country.objects.create(name="意大利", code="IT", locale=home.locale)
    spain = Country.objects.create(name="西班牙", code="ES", locale=home.locale)
    community = ChannelPageFactory(parent=home, title="侨界动态", slug="community")
    news = ChannelPageFactory(parent=home, title="要闻", slug="news")
    articles = {
        "homes": make_article(
            community,
            title="浙江乡村侨舍成为海外侨胞回乡的温暖驿站",
            summary="丽水等地把闲置老屋改造成侨舍，接待回乡探亲的海外侨胞。",
            body=paragraph("一位旅居欧洲的侨领说，住进乡村侨舍就像回到了家。"),
            date_published=at(2024, 5, 10),
        ),
        "education": make_article(
            community,
            title="华文教育走进米兰中文学校",
            summary="海外侨胞子女在周末课堂学习汉字和书法。",
            body=paragraph("华文教育让新一代记住乡音，意大利多所中文学校报名人数增加。"),
            date_published=at(2023, 9, 1),
        ),
        "epidemic": make_article(
            news,
            title="意大利侨团协力防疫，捐赠口罩送往社区",
            summary="海外侨胞与当地居民守望相助。",
            body=paragraph("侨团志愿者连续多日分发防疫物资。"),
            date_published=at(2022, 3, 15),
        ),
        "startup": make_article(
            news,
            title="西班牙侨商参加创业中华论坛",
            summary="海外侨胞创业者交流跨境电商经验。",
            body=paragraph("论坛上，华文报刊的编辑谈到了社区的教育需求。"),
            date_published=at(2024, 11, 20),
        ),
    }
    articles["homes"].countries.add(italy)
    articles["education"].countries.add(italy)
    articles["epidemic"].countries.add(italy)
    articles["startup"].countries.add(spain)
    articles["homes"].tags.add("侨舍")
    for page in articles.values():
        publish(page)
    topic_index = home.add_child(instance=_topic_index())
    topic = TopicPageFactory(parent=topic_index, title="抗疫专题", slug="fight-epidemic")
    topic.topic_articles.create(article=articles["epidemic"])
    publish(topic)

    en_channel = ChannelPageFactory(parent=newsroom["en"], title="Community", slug="community-en")
    articles["english"] = make_article(
        en_channel,
        title="Rural guesthouses welcome overseas Chinese home",
        summary="Old houses in Zhejiang villages (乡村侨舍) become hostels for visitors.",
        date_published=at(2024, 5, 11),
    )
    hant_channel = ChannelPageFactory(parent=newsroom["zh-hant"], title="僑界動態", slug="hant")
    articles["traditional"] = make_article(
        hant_channel,
        title="浙江鄉村僑舍迎來海外僑胞",
        summary="華僑回鄉探親有了落腳處。",
        date_published=at(2024, 5, 12),
    )
    for page in articles.values():
        page.refresh_from_db()
    index(*articles.values())
    return articles


def _topic_index():
    from cms.models import TopicIndexPage

    return TopicIndexPage(title="专题", slug="topics")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Publishing hooks run on commit; run them as a committed transaction would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                return action()

    return run


@pytest.fixture
def eager_celery():
    """Tasks run in-process here: these tests are about what gets indexed, not delivery."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_dictionary():
    """A test that edited the dictionary or synonyms must not leak them into the next one
    (its rows are rolled back, but a process keeps its loaded tokenizer for a while)."""
    yield
    from search import analysis

    if analysis._state["version"] not in (None, 0):
        analysis._state.update(tokenizer=None, version=None, checked=0.0)
