#!/usr/bin/env python
"""Traditional Chinese edition benchmark: seconds to produce and publish the zh-hant edition
of 1,000 articles.

    .venv/bin/python bench/translate.py [--articles 1000] [--processes 2] [--keep]

Uses a database of its own (PostgreSQL `qiaoyin_bench_trans` on 127.0.0.1:5432, dropped and
re-created), runs the migrations and `setup_newsroom`, and writes N Simplified articles
(title, summary, five paragraphs) into a channel whose option publishes the zh-hant edition
automatically. Untimed. Then it times what the Celery task `translations.tasks.source_published`
does for each article — extract the segments with wagtail-localize, convert them with OpenCC
(s2twp), save the zh-hant page and publish its revision (signals included) — in
`--processes` worker processes, as Celery workers would. Target: under 60 s for 1,000.
Exit status 1 when the target is missed. Figures are in bench/README.md.
"""

import argparse
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import PG_SERVER_URL, pg_admin  # noqa: E402

DB_NAME = "qiaoyin_bench_trans"
TARGET_SECONDS = 60.0
PARAGRAPHS = (
    "侨音融媒体中心的记者走访了多个海外联络站，了解侨胞在当地创业和生活的情况。",
    "侨连天下平台的用户已经接近一百万，软件和网络服务让海外侨胞随时获取家乡信息。",
    "海外传播官在所在国家的华文媒体上发布视频和文章，介绍侨乡的发展变化。",
    "亲情中华夏令营吸引了来自三十个国家的青少年，他们在活动中学习书法和传统文化。",
    "创业中华项目为回乡投资的侨胞提供信息咨询、数据库查询和政策解读等服务。",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="leave the database")
    args = parser.parse_args()
    if args.articles < 1 or args.processes < 1:
        parser.error("--articles and --processes must be at least 1")
    return args


def start_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"{PG_SERVER_URL}/{DB_NAME}"
    os.environ["WAGTAIL_CACHE"] = "false"
    import django

    django.setup()


def build_site(count):
    """N published Simplified articles in a channel that wants its zh-hant edition."""
    from django.core.management import call_command
    from django.utils import timezone

    from wagtail.rich_text import RichText

    from cms.models import ArticlePage, ChannelPage
    from cms.newsroom import setup_newsroom
    from translations.models import ChannelTranslationSettings

    call_command("migrate", verbosity=0)
    home = setup_newsroom()["zh-hans"]
    channel = home.add_child(instance=ChannelPage(title="侨务新闻", slug="qiaowu"))
    channel.save_revision().publish()
    ChannelTranslationSettings.objects.create(channel=channel, traditional_edition="publish")
    now = timezone.now()
    ids = []
    for number in range(count):
        article = channel.add_child(
            instance=ArticlePage(
                title=f"海外侨胞关注软件与网络信息服务（第{number}篇）",
                slug=f"article-{number}",
                summary="侨音记者报道海外联络站的最新视频和信息。",
                body=[("paragraph", RichText(f"<p>{text}</p>")) for text in PARAGRAPHS],
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
        ids.append(article.pk)
    return ids


def produce(ids):
    """One worker process: what the Celery task does, article by article."""
    start_django()
    from django.db import connection

    from translations.tasks import source_published

    connection.close()
    for page_id in ids:
        source_published.run(page_id)
    return len(ids)


def main():
    args = parse_args()
    pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {DB_NAME}")
    try:
        start_django()
        print(f"Building {args.articles} Simplified articles…", flush=True)
        # One extra article warms up outside the timing (the channel's own zh-hant edition,
        # OpenCC's tables); the N others are timed.
        warm_up, *ids = build_site(args.articles + 1)
        produce([warm_up])
        from django.db import connection

        connection.close()
        chunks = [ids[i :: args.processes] for i in range(args.processes)]
        started = time.perf_counter()
        with Pool(args.processes) as pool:
            done = sum(pool.map(produce, chunks))
        seconds = time.perf_counter() - started
        from wagtail.models import Page

        live = Page.objects.filter(locale__language_code="zh-hant", live=True, depth=4).count()
        print(
            f"zh-hant editions produced and published: {done} articles in {seconds:.1f} s "
            f"({done / seconds:.1f}/s, {args.processes} processes); live zh-hant articles: {live}"
        )
        per_thousand = seconds * 1000 / done
        verdict = "met" if per_thousand < TARGET_SECONDS else "MISSED"
        print(f"Per 1,000: {per_thousand:.1f} s (target under {TARGET_SECONDS:.0f} s: {verdict})")
        return 0 if seconds * 1000 / done < TARGET_SECONDS and live == args.articles + 1 else 1
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
