#!/usr/bin/env python
"""Reach benchmark: beacon hits through the real path, the rollup, the report's queries.

    .venv/bin/python bench/reach.py [--hits 1000000] [--articles 10000] [--days 30]
        [--workers 2] [--profile 2000]

Makes a PostgreSQL database of its own (`qiaoyin_bench_reach`), N live articles in eight
language editions, and sends the hits to the read beacon (POST /reads/) through Django's
full request stack with the production cache layout: the beacon's counts and the rate
limits in Redis (--redis, a database nobody else uses; only this script's keys are
removed). The hits are spread over --days simulated days (time_machine moves the clock):
after each day the beat task's fold runs once and is timed. Then it times the 传播效果
report's queries and the whole admin page for the month, and the reach_report CSV.
Prints beacon p50/p95/p99 (target p95 < 2 ms), fold time per day of data, query times
(target < 500 ms for a month). See bench/README.md.

--workers N sends each day's hits from N processes (forked after the site is built, each
with its own test Client, all through the same real path); their timings are merged.
--profile N first sends N hits in this process under cProfile, counting the Redis round
trips and SQL queries each beacon makes (steady state: one and none), prints the costliest
functions, then empties Redis again so those hits count nowhere.
"""

import argparse
import ipaddress
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import PG_SERVER_URL, pg_admin  # noqa: E402
from bench.pages import build_article, insert_articles, make_snippets, timed  # noqa: E402

LANGUAGES = {"zh-hans": 50, "zh-hant": 15, "en": 15, "it": 6, "es": 5, "fr": 4, "pt": 3, "de": 2}
COUNTRIES = {
    "CN": 22, "US": 14, "IT": 12, "ES": 7, "FR": 6, "DE": 5, "BR": 5, "GB": 4, "CA": 4,
    "AU": 4, "JP": 3, "PT": 3, "NL": 2, "AR": 2, "KR": 2, "ZA": 1, "TH": 1, "MY": 1, "SG": 1,
    "RU": 1,
}  # fmt: skip
REFERRERS = [
    (30, "", "wechat"),
    (25, "", ""),
    (12, "https://www.google.com/search?q=qiaoyin", ""),
    (8, "https://www.baidu.com/s?wd=侨音", ""),
    (8, "https://t.co/x1y2z3", ""),
    (6, "https://www.milano-qiao.it/news/1", ""),
    (5, "http://testserver/zh-hans/", ""),
    (3, "https://weibo.com/u/1", ""),
    (3, "https://news.example.org/a", ""),
]
AGENTS = [
    (40, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
         "like Gecko) Mobile/15E148 MicroMessenger/8.0.47"),
    (22, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0 Mobile Safari/537.36"),
    (26, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0 Safari/537.36"),
    (6, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Safari/605.1.15"),
    (4, "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"),
    (2, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
]  # fmt: skip
FORM = "application/x-www-form-urlencoded;charset=UTF-8"
BEACON_TARGET_MS = 2.0
QUERY_TARGET_MS = 500.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hits", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--http-share",
        type=float,
        default=1.0,
        help="share of the hits sent through the beacon view (1: all); the rest become the "
        "same records through reach.beacon.read_record, pushed to Redis in bulk (the fold and "
        "the report then see the full volume on a machine too busy for it all over HTTP)",
    )
    parser.add_argument("--workers", type=int, default=2, help="processes sending hits")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile N hits first (cProfile)"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--db-name", default="qiaoyin_bench_reach")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="time the report on the rollups a --keep run left (no hits; implies --reuse)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the site a --keep run left (its rollups are emptied; implies --keep)",
    )
    args = parser.parse_args()
    if args.hits < args.days or args.articles < 10 or args.days < 1:
        parser.error("give at least --days hits, 10 articles and 1 day")
    if args.workers < 1 or args.profile < 0:
        parser.error("give at least one worker and a profile of 0 or more hits")
    args.reuse = args.reuse or args.report_only
    args.keep = args.keep or args.reuse
    return args


def start_django(args, workdir):
    if not args.reuse:
        pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {args.db_name}")
    os.environ["DATABASE_URL"] = f"{PG_SERVER_URL}/{args.db_name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["QIAOYIN_VAR_DIR"] = str(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    import django

    django.setup()
    from django.conf import settings

    # Production's layout: the default cache (rate limits) and the reach counts in Redis.
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": args.redis,
        "KEY_PREFIX": redis_prefix(args),
    }
    settings.CACHES = {**settings.CACHES, "default": redis_cache, "reach": redis_cache}
    settings.REACH_CACHE = "reach"


def redis_prefix(args):
    """This run's keys (two runs on one Redis database, named apart, leave each other's)."""
    return f"bench:{args.db_name}"


def clear_redis(args):
    import redis

    server = redis.Redis.from_url(args.redis)
    for key in server.scan_iter(f"{redis_prefix(args)}:*", count=10_000):
        server.delete(key)


def build_site(article_count):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cms.models import ArticlePage, ChannelPage
    from cms.newsroom import setup_newsroom
    from stations.models import LiaisonStation

    random.seed(2026)
    with timed("migrate"):
        call_command("migrate", verbosity=0)
    newsroom = setup_newsroom()
    _countries, sources, _authors = make_snippets(newsroom["zh-hans"].locale)
    LiaisonStation.objects.create(name="米兰联络站", website="https://www.milano-qiao.it/")
    channels = {}
    for code, home in newsroom.items():
        channel = ChannelPage(title=f"侨界动态 {code}", slug=f"bench-{code}")
        home.add_child(instance=channel)
        channel.save_revision().publish()
        channels[code] = channel
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    codes = random.choices(list(LANGUAGES), weights=list(LANGUAGES.values()), k=article_count)
    steps = dict.fromkeys(channels, 0)
    articles = []
    for n, code in enumerate(codes):
        steps[code] += 1
        article = build_article(n, channels[code], steps[code], now, content_type, [None], sources)
        article.uri = article.uri.replace(":zh-hans", f":{code}")
        articles.append(article)
    with timed(f"{article_count} articles in {len(LANGUAGES)} languages (bulk)"):
        with transaction.atomic():
            insert_articles(articles)
            for code, channel in channels.items():
                ChannelPage.objects.filter(pk=channel.pk).update(numchild=steps[code])
    return [article.pk for article in articles]


def settle_tables():
    """What autovacuum does after a burst of writes: statistics for the planner, and the
    visibility map that lets the report's covering indexes answer without the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def report_only():
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a kept database from an older commit
    settle_tables()
    settings.DEBUG = True  # counts the report's queries
    time_report()


def kept_site():
    """The articles of a --keep run, its rollups and reports emptied."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a kept database from an older commit

    from cms.models import ArticlePage, ArticleReads
    from reach.models import ArticleDay, ArticleDayBreakdown

    for model in (ArticleDay, ArticleDayBreakdown, ArticleReads):
        model.objects.all().delete()
    page_ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    print(f"  reusing {len(page_ids)} articles")
    return page_ids


def address_pool(per_country=400):
    """Random public IPv4 addresses, bucketed by the country iptocc gives them."""
    import iptocc

    rng = random.Random(7)
    pool = {code: [] for code in COUNTRIES}
    for _ in range(60):
        batch = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(20_000)]
        for address, code in zip(batch, iptocc.country_code(batch), strict=True):
            if code in pool and len(pool[code]) < per_country:
                pool[code].append(address)
        if all(len(addresses) >= per_country for addresses in pool.values()):
            break
    return {code: addresses for code, addresses in pool.items() if addresses}


def hits_of_a_day(count, page_ids, addresses, rng):
    """(page, address, agent, referrer, utm_source): popular articles read most (Zipf-like),
    readers from the weighted countries, some reading several articles or twice."""
    countries = list(addresses)
    country_weights = [COUNTRIES[code] for code in countries]
    referrer_weights = [weight for weight, *_ in REFERRERS]
    agent_weights = [weight for weight, _agent in AGENTS]
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(len(page_ids))]
    pages = rng.choices(page_ids, weights=popularity, k=count)
    for page in pages:
        country = rng.choices(countries, weights=country_weights)[0]
        _weight, referrer, utm = rng.choices(REFERRERS, weights=referrer_weights)[0]
        agent = rng.choices(AGENTS, weights=agent_weights)[0][1]
        yield page, rng.choice(addresses[country]), agent, referrer, utm


def send_hits(client, hits):
    """Wall-clock seconds per hit (the target), and this process's CPU seconds per hit (what
    a busy machine's other processes do not inflate), and the answers by status."""
    timings, cpu = [], []
    statuses = {}
    for page, address, agent, referrer, utm in hits:
        data = {"page": page, "referrer": referrer}
        if utm:
            data["utm_source"] = utm
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post(
            "/reads/",
            urlencode(data),  # what reads.js sends (URLSearchParams)
            content_type=FORM,
            REMOTE_ADDR=address,
            HTTP_USER_AGENT=agent,
        )
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return timings, cpu, statuses


# Each worker process's own test Client (made in the worker, after the fork).
_worker = {}


def send_day_share(moment, hits):
    """One worker's share of a day: its hits sent at the day's simulated hour."""
    from django.test import Client

    import time_machine

    client = _worker.setdefault("client", Client())
    with time_machine.travel(moment, tick=True):
        return send_hits(client, hits)


class Senders:
    """The day's hits sent from --workers processes (or this one), timings merged."""

    def __init__(self, workers):
        self.pool = None
        if workers > 1:
            import multiprocessing

            from django.db import connections

            connections.close_all()  # a forked child must open its own connection
            self.pool = multiprocessing.get_context("fork").Pool(workers)
        self.workers = workers

    def send(self, moment, hits):
        if self.pool is None:
            return send_day_share(moment, hits)
        shares = [hits[n :: self.workers] for n in range(self.workers)]
        timings, cpu, statuses = [], [], {}
        for share_timings, share_cpu, share_statuses in self.pool.starmap(
            send_day_share, [(moment, share) for share in shares]
        ):
            timings.extend(share_timings)
            cpu.extend(share_cpu)
            for status, count in share_statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        return timings, cpu, statuses

    def close(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


def profile_beacon(args, page_ids):
    """cProfile over --profile hits in this process, with the Redis round trips (each
    send_packed_command is one: a command or a whole pipeline) and SQL queries per hit."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    import redis.connection

    rng = random.Random(99)
    hits = list(hits_of_a_day(args.profile, page_ids, address_pool(50), rng))
    client = Client()
    # One hit on each profiled page first (imports, connections, the bot patterns' cache)
    pages = sorted({hit[0] for hit in hits})
    warm_up = [(page, *hit[1:]) for page, hit in zip(pages, itertools.cycle(hits))]
    send_hits(client, warm_up)
    trips, queries = [0], [0]
    sent = redis.connection.Connection.send_packed_command

    def counting_send(self, *arguments, **kwargs):
        trips[0] += 1
        return sent(self, *arguments, **kwargs)

    def counting_query(execute, *arguments):
        queries[0] += 1
        return execute(*arguments)

    redis.connection.Connection.send_packed_command = counting_send
    profiler = cProfile.Profile()
    try:
        with connection.execute_wrapper(counting_query):
            profiler.enable()
            timings, _cpu, _statuses = send_hits(client, hits)
            profiler.disable()
    finally:
        redis.connection.Connection.send_packed_command = sent
    print(
        f"Profile of {len(hits)} beacon hits (this process, after one hit on each page): "
        f"p50 {percentile(timings, 0.5) * 1000:.2f} ms, p95 {percentile(timings, 0.95) * 1000:.2f}"
        f" ms; {trips[0] / len(hits):.2f} Redis round trips and {queries[0] / len(hits):.3f} SQL"
        " queries a hit"
    )
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


def page_languages():
    from cms.models import ArticlePage

    return dict(ArticlePage.objects.values_list("pk", "locale__language_code"))


def push_directly(hits, languages):
    """The records the beacon would have pushed for these hits (same function, same checks
    of bots and referrers), sent to Redis in pipelined batches."""
    from django.test import RequestFactory

    from reach import counters, readers, referrers
    from reach.beacon import read_record

    factory = RequestFactory()
    store = counters.store()
    minute = counters.current_minute()
    key = store._key(minute)
    batch = []
    for page, address, agent, referrer, utm in hits:
        if readers.is_bot(agent):
            continue
        request = factory.post("/reads/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
        kind, domain = referrers.classify(referrer, utm, request.get_host())
        batch.append(read_record(request, page, languages[page], kind, domain, agent))
        if len(batch) == 5000:
            store.client.rpush(key, *batch)
            batch = []
    if batch:
        store.client.rpush(key, *batch)
    store.client.expire(key, counters.RAW_TTL)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def time_query(label, function, repeat=3):
    from django.db import connection, reset_queries

    best = None
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        function()
        elapsed = (time.perf_counter() - start) * 1000
        best = elapsed if best is None else min(best, elapsed)
    print(f"    {label:<34} {best:8.1f} ms  ({len(connection.queries)} queries)")
    return best


def run_month(args, page_ids, senders):
    from django.utils import timezone

    import time_machine

    from reach import counters, rollup

    rng = random.Random(17)
    addresses = address_pool()
    today = timezone.localdate()
    per_day = args.hits // args.days
    languages = page_languages()
    beacon, cpu, folds, statuses, folded = [], [], [], {}, 0
    print(f"Sending {per_day * args.days} hits over {args.days} days ({per_day} a day)…")
    for offset in range(args.days - 1, -1, -1):
        day = today - timedelta(days=offset)
        moment = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
            hours=9
        )
        with time_machine.travel(moment, tick=True):
            hits = list(hits_of_a_day(per_day, page_ids, addresses, rng))
            over_http = max(1, int(len(hits) * args.http_share))
            timings, day_cpu, day_statuses = senders.send(moment, hits[:over_http])
            push_directly(hits[over_http:], languages)
            beacon.extend(timings)
            cpu.extend(day_cpu)
            for status, count in day_statuses.items():
                statuses[status] = statuses.get(status, 0) + count
            start = time.perf_counter()
            folded += rollup.fold(now_minute=counters.current_minute() + 1)
            folds.append(time.perf_counter() - start)
        print(
            f"  {day}: beacon p95 {percentile(timings, 0.95) * 1000:.2f} ms, "
            f"fold {folds[-1]:.2f} s",
            flush=True,
        )
    return beacon, cpu, folds, statuses, folded


def time_report():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from reach import queries, report
    from reach.models import Dimension

    period = queries.Period.last_days(30)
    print("Report for the month (best of 3):")
    results = {
        "totals": time_query("totals", lambda: queries.totals(period)),
        "daily": time_query("daily chart", lambda: queries.daily(period)),
        "top articles": time_query("top articles", lambda: queries.top_articles(period)),
        "languages": time_query("by language", lambda: queries.by_language(period)),
    }
    for dimension in Dimension:
        results[dimension.value] = time_query(
            f"by {dimension.value}", lambda d=dimension: queries.by_dimension(period, d, 30)
        )
    results["channels"] = time_query("by channel", lambda: queries.by_channel(period))
    results["authors"] = time_query("by author", lambda: queries.by_author(period))
    results["stations"] = time_query("by station", lambda: queries.by_station(period))
    get_user_model().objects.filter(username="bench").delete()  # a --reuse run's
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "pw")
    client = Client()
    client.force_login(user)
    results["admin page"] = time_query(
        "whole admin report page", lambda: client.get("/admin/reach/").content
    )
    results["report csv"] = time_query(
        "reach_report CSV (every article)", lambda: report.write_csv(StringIO(), period), 1
    )
    return results


# Timed above but made of many queries each: the page's 30, the CSV's one pass per article.
WHOLE_PAGES = ("admin page", "report csv")


def print_summary(args, beacon, cpu, folds, statuses, folded, queries_ms):
    from django.db import connection

    from reach.models import ArticleDay, ArticleDayBreakdown

    p50, p95, p99 = (percentile(beacon, share) * 1000 for share in (0.5, 0.95, 0.99))
    print("\nSummary")
    print(f"  hits: {args.hits // args.days * args.days}, of which {len(beacon)} through the "
          f"beacon view; answers: {dict(sorted(statuses.items()))}")  # fmt: skip
    print(f"  records folded: {folded}; rollup rows: {ArticleDay.objects.count()} article-days,")
    print(f"    {ArticleDayBreakdown.objects.count()} breakdown rows ({connection.vendor})")
    print(
        f"  beacon: p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms, "
        f"mean {statistics.mean(beacon) * 1000:.2f} ms (target p95 < {BEACON_TARGET_MS} ms)"
    )
    print(
        f"  beacon CPU time in the sending process: p50 {percentile(cpu, 0.5) * 1000:.2f} ms, "
        f"p95 {percentile(cpu, 0.95) * 1000:.2f} ms (the share of the above no other load adds)"
    )
    print(
        f"  fold per day of data ({args.hits // args.days} hits): "
        f"mean {statistics.mean(folds):.2f} s, max {max(folds):.2f} s"
    )
    queries_only = {k: v for k, v in queries_ms.items() if k not in WHOLE_PAGES}
    slowest = max(queries_only, key=queries_only.get)
    print(
        f"  slowest report query: {slowest} {queries_only[slowest]:.0f} ms "
        f"(target < {QUERY_TARGET_MS:.0f} ms for a month); the whole admin page "
        f"{queries_ms['admin page']:.0f} ms, the CSV of every article "
        f"{queries_ms['report csv']:.0f} ms (no target)"
    )
    print(f"  workers: {args.workers}; cores: {os.cpu_count()}")
    print(f"  load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return p95 < BEACON_TARGET_MS and queries_only[slowest] < QUERY_TARGET_MS


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="qiaoyin-bench-reach-") as scratch:
        start_django(args, Path(scratch))
        clear_redis(args)
        met = False
        try:
            print(f"Database: {args.db_name}; Redis: {args.redis}\nBuilding the site:")
            if args.report_only:
                report_only()
                return
            page_ids = kept_site() if args.reuse else build_site(args.articles)
            import reach.beacon

            # Real readers come from many addresses; the pool here is smaller, so the
            # per-address rate limit is lifted (its Redis round trips still happen).
            reach.beacon.READS_RATE = "1000000/m"
            if args.profile:
                profile_beacon(args, page_ids)
                clear_redis(args)
            # Publishing tells the beacon's cache each edition's language (reach's
            # signal_handlers); the bulk-built site was never published, so do it here.
            with timed(f"the beacon's cache told {len(page_ids)} pages' languages"):
                reach.beacon.refresh_page_languages(page_ids)
            senders = Senders(args.workers)
            try:
                beacon, cpu, folds, statuses, folded = run_month(args, page_ids, senders)
            finally:
                senders.close()

            settle_tables()
            from django.conf import settings

            settings.DEBUG = True  # counts the report's queries
            queries_ms = time_report()
            settings.DEBUG = False
            met = print_summary(args, beacon, cpu, folds, statuses, folded, queries_ms)
        finally:
            clear_redis(args)
            from django.db import connections

            connections.close_all()
            if not args.keep:
                pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
