"""The README path on the embedded default: a fresh SQLite database, set up from nothing,
serves the Chinese home page. Runs each step as its own process, as `make run` does."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.utils.html import escape

BASE_DIR = Path(__file__).resolve().parents[2]
LEAKING_VARIABLES = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL")
FETCH_HOME = """
import django
django.setup()
from django.test import Client
from cms.models import ArticlePage
response = Client(HTTP_HOST="127.0.0.1").get("/zh-hans/")
print(response.status_code)
print(ArticlePage.objects.live().filter(locale__language_code="zh-hans").latest("pk").title)
print(response.content.decode())
"""
FETCH_TRANSLATED_ARTICLE = """
import django
django.setup()
from django.test import Client
from cms.models import ArticlePage
originals = ArticlePage.objects.live().filter(locale__language_code="zh-hans")
article = next(a for a in originals if a.get_translations().live().exists())
response = Client(HTTP_HOST="127.0.0.1").get(article.url)
from django.utils import timezone
print(response.status_code)
print(article.title)
print(timezone.localtime(article.publication_date).isoformat())
print(response.content.decode())
"""
SEARCH_EACH_EDITION = """
import django
django.setup()
from django.test import Client
from cms.models import ArticlePage
articles = ArticlePage.objects.live()
print(articles.filter(locale__language_code="zh-hans").count())
print(articles.filter(locale__language_code="zh-hant").count())
for code in ("zh-hans", "zh-hant", "en"):
    article = articles.filter(locale__language_code=code).latest("pk")
    page = Client(HTTP_HOST="127.0.0.1").get(f"/{code}/search/", {"q": article.title})
    print(code, article.url in page.content.decode())
"""
SIMPLIFIED_ON_TRADITIONAL_PAGES = """
import django
django.setup()
import opencc
from django.test import Client
from cms.models import ArticlePage
from tests.editions import visible_text
# Taiwan's standard forms (群, 峰) are what the editions use: only Simplified text changes.
to_taiwan = opencc.OpenCC("s2tw")
for edition in ArticlePage.objects.live().filter(locale__language_code="zh-hant"):
    html = Client(HTTP_HOST="127.0.0.1").get(edition.url).content.decode()
    for text in visible_text(html, "zh-Hant"):
        if to_taiwan.convert(text) != text:
            print(edition.url, text)
"""

PUBLISH_TO_A_STATION = """
import uuid
import django
django.setup()
from cms.models import ArticlePage
from stations.models import Delivery, Destination, LiaisonStation
station = LiaisonStation.objects.create(name="烟测联络站", locales=["zh-hans"])
Destination.objects.create(station=station, url="https://station.example/hook")
article = ArticlePage.objects.live().filter(locale__language_code="zh-hans").first()
article.save_revision().publish()
for delivery in Delivery.objects.filter(station=station):
    key = delivery.idempotency_key
    created = delivery.created_at.isoformat()
    print(key.version, key.variant == uuid.RFC_4122, delivery.state, created)
"""


def test_fresh_sqlite_install_serves_the_home_page(tmp_path):
    # Given an empty folder for the database, broker, caches and media
    env = {key: value for key, value in os.environ.items() if key not in LEAKING_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        QIAOYIN_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'qiaoyin.sqlite3'}",
    )

    def run(*args):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{args}: {result.stderr[-3000:]}"
        return result.stdout

    # When the set-up commands run
    run("manage.py", "migrate", "--noinput")
    run("manage.py", "setup_newsroom")
    run("manage.py", "load_demo", "--articles", "3")
    # Then the home page is served, with the demo's articles
    status, latest_title, html = run("-c", FETCH_HOME).split("\n", 2)
    assert status == "200"
    assert escape(latest_title) in html
    assert (tmp_path / "qiaoyin.sqlite3").exists()
    # And an article with a translation is served with its hreflang links to both editions
    status, title, published, html = run("-c", FETCH_TRANSLATED_ARTICLE).split("\n", 3)
    assert status == "200"
    assert escape(title) in html
    assert 'hreflang="zh-Hans"' in html and 'hreflang="zh-Hant"' in html
    # And its dateline is in the site's time zone, with the offset (SQLite stores UTC)
    assert published.endswith("+08:00")
    dateline = re.search(r'class="dateline".*?<time datetime="([^"]+)"', html, re.S).group(1)
    assert dateline == published
    # And, with no Celery worker running yet, every article already has its Traditional
    # edition, and search finds the newest article of each edition by its title
    originals, traditional, *found = run("-c", SEARCH_EACH_EDITION).splitlines()
    assert traditional == originals
    assert found == ["zh-hans True", "zh-hant True", "en True"]
    # And the Traditional editions the pipeline made show no Simplified text (their tags,
    # related articles and correction notes included)
    assert run("-c", SIMPLIFIED_ON_TRADITIONAL_PAGES) == ""
    # And publishing writes the station's delivery row (made by the database itself:
    # stations/outbox.insert_deliveries), its idempotency key a version 4 UUID
    (row,) = run("-c", PUBLISH_TO_A_STATION).splitlines()
    version, variant, state, created = row.split(" ", 3)
    assert (version, variant, state) == ("4", "True", "pending")
    assert created.endswith("+00:00")
