#!/usr/bin/env python
"""Traditional Chinese edition benchmark: seconds to produce and publish the zh-hant edition
of 1,000 articles.

    .venv/bin/python bench/translate.py [--articles 1000] [--processes 2] [--keep]
                                        [--db-name qiaoyin_bench_trans]

Uses a database of its own (PostgreSQL `--db-name` on 127.0.0.1:5432, dropped and
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
import re
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
    parser.add_argument("--db-name", default=DB_NAME, help=f"database to (re)create ({DB_NAME})")
    args = parser.parse_args()
    if args.articles < 1 or args.processes < 1:
        parser.error("--articles and --processes must be at least 1")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db_name):
        parser.error("--db-name must be a plain PostgreSQL name (a-z, 0-9, _)")
    return args


def start_django(db_name):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"{PG_SERVER_URL}/{db_name}"
    os.environ["WAGTAIL_CACHE"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"  # not a line per article on the console
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
    """One worker process (forked after Django's set-up): what the Celery task does, article
    by article. Returns how many, and the Celery messages the articles' commits sent: the calls
    of Wagtail's background tasks (search and reference index updates), run later by `drain`
    as a worker would, and how many messages of other tasks (search, stations) were sent."""
    from django.db import connection

    from celery.signals import before_task_publish

    from translations.tasks import run_background_task, source_published

    wagtail_calls, others = [], 0

    def record(sender=None, body=None, **kwargs):
        nonlocal others
        if sender == run_background_task.name:
            wagtail_calls.append(body[0])
        else:
            others += 1

    before_task_publish.connect(record, weak=False)
    connection.close()
    cpu = time.process_time()
    for page_id in ids:
        source_published.run(page_id)
    before_task_publish.disconnect(record)
    return len(ids), wagtail_calls, others, time.process_time() - cpu, backend_cpu()


def drain(calls):
    """One worker process: the queued Wagtail background tasks, as run_background_task runs them."""
    from django.db import connection

    from config.background_tasks import run_background_task

    connection.close()
    cpu = time.process_time()
    for path, task_args, task_kwargs in calls:
        run_background_task(path, task_args, task_kwargs)
    return len(calls), time.process_time() - cpu, backend_cpu()


def backend_cpu():
    """CPU seconds of this process's PostgreSQL backend so far (the server runs on this
    machine; 0 where its /proc entry cannot be read)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_processes(func, chunks):
    """func over the chunks in len(chunks) processes; (results, seconds)."""
    started = time.perf_counter()
    with Pool(len(chunks)) as pool:
        results = pool.map(func, chunks)
    return results, time.perf_counter() - started


def check_editions(count):
    """(live zh-hant articles, zh-hant articles in Wagtail's search index)."""
    from wagtail.search.models import IndexEntry

    from cms.models import ArticlePage

    editions = ArticlePage.objects.filter(locale__language_code="zh-hant", live=True)
    ids = [str(pk) for pk in editions.values_list("pk", flat=True)]
    indexed = IndexEntry.objects.filter(object_id__in=ids).values("object_id").distinct().count()
    return len(ids), indexed


def main():
    args = parse_args()
    pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {args.db_name}")
    try:
        start_django(args.db_name)
        print(f"Building {args.articles} Simplified articles…", flush=True)
        # One extra article warms up outside the timing (the channel's own zh-hant edition,
        # OpenCC's tables); the N others are timed.
        warm_up, *ids = build_site(args.articles + 1)
        _count, warm_up_calls, _others, _cpu, _db_cpu = produce([warm_up])
        drain(warm_up_calls)
        from django.db import connection

        connection.close()
        n = args.processes
        results, publish_seconds = in_processes(produce, [ids[i::n] for i in range(n)])
        done = sum(result[0] for result in results)
        calls = [call for result in results for call in result[1]]
        others = sum(result[2] for result in results)
        drained, drain_seconds = in_processes(drain, [calls[i::n] for i in range(n)])
        seconds = publish_seconds + drain_seconds
        # CPU time of the worker processes (PostgreSQL's not included): not inflated by other
        # jobs on a shared machine, unlike the wall-clock figures.
        publish_cpu = sum(result[3] for result in results)
        drain_cpu = sum(cpu for _count, cpu, _db_cpu in drained)
        db_cpu = sum(result[4] for result in results) + sum(db for _c, _cpu, db in drained)
        live, indexed = check_editions(args.articles + 1)
        print(
            f"zh-hant editions produced and published: {done} articles in "
            f"{publish_seconds:.1f} s ({n} processes); then Wagtail's queued index updates "
            f"({len(calls)} tasks) in {drain_seconds:.1f} s; total {seconds:.1f} s "
            f"({done / seconds:.1f} articles/s). Other tasks queued, not run: {others}."
        )
        print(
            f"Worker CPU per article: {publish_cpu / done * 1000:.0f} ms publishing + "
            f"{drain_cpu / done * 1000:.0f} ms index updates; "
            f"PostgreSQL CPU per article, both phases: {db_cpu / done * 1000:.0f} ms"
        )
        print(f"Live zh-hant articles: {live}, in Wagtail's search index: {indexed}")
        per_thousand = seconds * 1000 / done
        verdict = "met" if per_thousand < TARGET_SECONDS else "MISSED"
        print(f"Per 1,000: {per_thousand:.1f} s (target under {TARGET_SECONDS:.0f} s: {verdict})")
        complete = live == indexed == args.articles + 1
        return 0 if per_thousand < TARGET_SECONDS and complete else 1
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
