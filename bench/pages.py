#!/usr/bin/env python
"""Page latency benchmark: home, channel and article pages with thousands of articles.

    .venv/bin/python bench/pages.py [--articles 5000] [--requests 50] [--sqlite] [--keep]

The script makes a database of its own (PostgreSQL `qiaoyin_bench` on 127.0.0.1:5432, or a
SQLite file with --sqlite), migrates it, fills it with articles in bulk and times each page
through Django's full request stack (middleware, Wagtail routing, templates, wagtail-cache):
uncached (the page cache is emptied before every request, so each one is a miss that renders
and stores the page) and cached (every request is a hit). The baseline is a plain
`wagtailcore.Page` rendered by Wagtail's own minimal template: the cheapest page Wagtail can
serve through the same stack. An empty StandardPage shows what the site's frame (masthead,
navigation, language switcher, footer) costs on its own. See bench/README.md.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import PG_SERVER_URL, pg_admin  # noqa: E402

CHANNELS = [
    "要闻",
    "侨界动态",
    "侨乡发展",
    "创业中华",
    "法治护侨",
    "亲情中华",
    "侨爱公益",
    "联络站传真",
]
PLACES = "杭州 米兰 马德里 巴黎 里斯本 法兰克福 圣保罗 温州 青田 丽水".split()
COUNTRIES = [("IT", "意大利"), ("ES", "西班牙"), ("FR", "法国"), ("PT", "葡萄牙"), ("DE", "德国")]
SUBJECTS = [
    "海外联络站",
    "侨连天下平台",
    "海外传播官",
    "亲情中华夏令营",
    "创业中华论坛",
    "侨乡青年",
]
ACTIONS = ["共话乡情", "助力侨乡发展", "举办文化交流活动", "开展法律咨询", "发布年度报告"]
BATCH = 500
TARGET_ARTICLE_RATIO = 2.0
TARGET_CACHED_MS = 5.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles to create")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file, not PostgreSQL")
    parser.add_argument("--db-name", default="qiaoyin_bench", help="PostgreSQL database name")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--redis-page-cache",
        metavar="URL",
        help="serve cached pages from Redis, as production does (e.g. redis://127.0.0.1:6379/13;"
        " the benchmark empties that Redis database over and over: give it one of its own)",
    )
    parser.add_argument(
        "--date-index",
        action="store_true",
        help="what-if: add an index on cms_articlepage.date_published before timing",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="list the home and article queries"
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="cProfile N uncached article requests: calls per request, top functions",
    )
    args = parser.parse_args()
    if args.articles < 10 or args.requests < 5:
        parser.error("--articles must be at least 10 and --requests at least 5")
    return args


# --- Database --------------------------------------------------------------------------


def create_database(args, workdir):
    """Point Django at a fresh database of the benchmark's own, before Django starts."""
    if args.sqlite:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db_name):
            sys.exit(f"--db-name must be a plain lower-case identifier, not {args.db_name!r}")
        pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {args.db_name}")
        url = f"{PG_SERVER_URL}/{args.db_name}"
    os.environ["DATABASE_URL"] = url
    return url


def drop_database(args):
    from django.db import connections

    connections.close_all()
    if not args.sqlite and not args.keep:
        pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")


def start_django(workdir):
    # The test settings are the production settings minus what needs outside services:
    # DEBUG off, cached template loader, plain static storage (no collectstatic manifest),
    # an in-process page cache. Files and the task broker's folder go to a scratch folder.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["QIAOYIN_VAR_DIR"] = str(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    (workdir / "static").mkdir()
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    import django

    django.setup()


def use_redis_page_cache(url):
    from django.conf import settings
    from django.test.utils import override_settings

    caches = {
        **settings.CACHES,
        "pagecache": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "bench-pages",
        },
    }
    override_settings(CACHES=caches).enable()


def add_date_index():
    """The index that lets PostgreSQL read the newest articles without sorting them all."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX bench_articlepage_date_published ON cms_articlepage (date_published)"
        )


# --- Content -----------------------------------------------------------------------------


def timed(label):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"  {label}…", end="", flush=True)
            return self

        def __exit__(self, *exc):
            self.seconds = time.perf_counter() - self.start
            print(f" {self.seconds:.1f} s", flush=True)

    return Timer()


def make_images(count):
    from django.core.files.images import ImageFile

    from PIL import Image as PILImage

    from media.models import NewsImage

    images = []
    for n in range(count):
        buffer = BytesIO()
        colour = (40 + n * 17 % 200, 90 + n * 29 % 150, 120 + n * 41 % 130)
        PILImage.new("RGB", (1200, 800), colour).save(buffer, "JPEG", quality=80)
        image = NewsImage(
            title=f"新闻图片 {n}",
            caption=f"{random.choice(PLACES)}侨胞参加交流活动",
            credit="侨音融媒体中心",
            alt_text=f"侨胞在{random.choice(PLACES)}合影",
        )
        image.file = ImageFile(buffer, name=f"bench-{n}.jpg")
        image.save()
        images.append(image)
    return images


def make_snippets(locale):
    from cms.models import Author, Country, Source

    countries = [Country.objects.create(name=n, code=c, locale=locale) for c, n in COUNTRIES]
    sources = [
        Source.objects.create(name=name, locale=locale)
        for name in ["侨音融媒体中心", "侨连天下", "海外联络站供稿"]
    ]
    authors = [
        Author.objects.create(
            name=f"记者{n:02d}",
            slug=f"bench-author-{n}",
            role=Author.Role.CORRESPONDENT if n % 3 == 0 else Author.Role.REPORTER,
            country=countries[n % len(countries)],
            locale=locale,
        )
        for n in range(20)
    ]
    return countries, sources, authors


def make_channels(home):
    from cms.models import ChannelPage

    channels = []
    for n, title in enumerate(CHANNELS):
        channel = ChannelPage(title=title, slug=f"channel-{n}", intro=f"{title}栏目")
        home.add_child(instance=channel)
        channel.save_revision().publish()
        channels.append(channel)
    return channels


def article_body(n):
    paragraphs = [
        f"<p>{random.choice(SUBJECTS)}{random.choice(ACTIONS)}，"
        f"来自{random.choice(PLACES)}的侨胞代表第{n}次相聚，交流近况与心得。</p>"
        for _ in range(6)
    ]
    return [
        {"type": "paragraph", "value": "".join(paragraphs[:3])},
        {"type": "quote", "value": {"text": "侨心连着乡情。", "attribution": "一位侨领"}},
        {"type": "paragraph", "value": "".join(paragraphs[3:])},
    ]


def build_article(n, channel, step, now, content_type, images, sources):
    """An unsaved ArticlePage placed in the tree by hand (treebeard path, url_path)."""
    from cms.models import ArticlePage

    slug = f"article-{n}"
    title = f"{random.choice(SUBJECTS)}{random.choice(ACTIONS)}（{n}）"
    published = now - timedelta(minutes=37 * n)
    key = uuid.uuid4()
    return ArticlePage(
        title=title,
        draft_title=title,
        slug=slug,
        path=ArticlePage._get_path(channel.path, channel.depth + 1, step),
        depth=channel.depth + 1,
        numchild=0,
        url_path=f"{channel.url_path}{slug}/",
        content_type=content_type,
        locale_id=channel.locale_id,
        translation_key=key,
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        uri=f"urn:qiaoyin:article:{key}:zh-hans",
        kicker=f"{random.choice(PLACES)}连线",
        subtitle=f"{random.choice(PLACES)}侨界{random.choice(ACTIONS)}",
        summary=f"{random.choice(SUBJECTS)}{random.choice(ACTIONS)}，侨胞反响热烈。",
        source=sources[n % len(sources)],
        dateline=random.choice(PLACES),
        date_published=published,
        cover_image=images[n % len(images)] if n % 3 == 0 else None,
        body=article_body(n),
        is_headline=n % 50 == 0,
    )


def insert_articles(articles):
    """Bulk-insert the pages: Page rows in batches, then each ArticlePage row on its own.

    Django cannot bulk_create a multi-table model, so the wagtailcore_page rows go in with
    bulk_create and the cms_articlepage rows with save_base(raw=True), as loaddata does (raw
    saves also skip search and reference indexing, which this benchmark does not measure).
    """
    from wagtail.models import Page

    page_fields = [f.attname for f in Page._meta.concrete_fields if f.attname != "id"]
    for start in range(0, len(articles), BATCH):
        batch = articles[start : start + BATCH]
        rows = Page.objects.bulk_create(
            [Page(**{name: getattr(a, name) for name in page_fields}) for a in batch]
        )
        for article, row in zip(batch, rows, strict=True):
            article.id = article.page_ptr_id = row.id
            article.save_base(raw=True, force_insert=True)


def link_articles(articles, authors, countries):
    """Bylines, tags, countries, related articles and reads, in bulk."""
    from taggit.models import Tag

    from cms.models import ArticleAuthor, ArticlePage, ArticlePageTag, ArticleReads, RelatedArticle

    tags = Tag.objects.bulk_create([Tag(name=f"侨务{n}", slug=f"qiaowu-{n}") for n in range(40)])
    country_link = ArticlePage.countries.through
    bylines, tagged, located, related, reads = [], [], [], [], []
    for n, article in enumerate(articles):
        for order, author in enumerate(random.sample(authors, 2)):
            bylines.append(ArticleAuthor(page=article, author=author, sort_order=order))
        for tag in random.sample(tags, 3):
            tagged.append(ArticlePageTag(content_object=article, tag=tag))
        located.append(country_link(articlepage=article, country=countries[n % len(countries)]))
        for order, other in enumerate(random.sample(articles[:200], 3)):
            if other.pk != article.pk:
                related.append(RelatedArticle(page=article, article_id=other.pk, sort_order=order))
        if n < 300:
            reads.append(ArticleReads(page=article, count=random.randint(1, 500)))
    for model, rows in [
        (ArticleAuthor, bylines),
        (ArticlePageTag, tagged),
        (country_link, located),
        (RelatedArticle, related),
        (ArticleReads, reads),
    ]:
        model.objects.bulk_create(rows, batch_size=2000)


def make_articles(count, channels, images, sources, authors, countries):
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from cms.models import ArticlePage, ChannelPage

    now = timezone.now()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    per_channel = Counter()
    articles = []
    for n in range(count):
        channel = channels[n % len(channels)]
        per_channel[channel.pk] += 1
        articles.append(
            build_article(n, channel, per_channel[channel.pk], now, content_type, images, sources)
        )
    with transaction.atomic():
        insert_articles(articles)
        for channel in channels:
            ChannelPage.objects.filter(pk=channel.pk).update(numchild=per_channel[channel.pk])
        link_articles(articles, authors, countries)
    analyze_tables()
    return articles


def analyze_tables():
    """Refresh the planner's statistics, as autovacuum would after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def feature_article(article, newsroom):
    """The article that is timed: corrections, and live zh-hant and en translations."""
    from cms.models import ArticleCorrection, ArticlePage

    article = ArticlePage.objects.get(pk=article.pk)
    ArticleCorrection.objects.create(page=article, note="更正：活动日期应为十月十二日。")
    article.save_revision().publish()
    for code in ["zh-hant", "en"]:
        # Publishing made the OpenCC zh-hant edition already (a channel's default).
        if article.get_translation_or_none(newsroom[code].locale) is None:
            translation = article.copy_for_translation(newsroom[code].locale, copy_parents=True)
            translation.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def make_baselines(home):
    """A plain wagtailcore Page (Wagtail's own one-line template) and an empty StandardPage."""
    from wagtail.models import Page

    from cms.models import StandardPage

    bare = home.add_child(instance=Page(title="Bare Wagtail page", slug="bench-bare"))
    bare.save_revision().publish()
    standard = home.add_child(instance=StandardPage(title="关于我们", slug="bench-about"))
    standard.save_revision().publish()
    return bare, standard


def build_site(article_count):
    from django.core.management import call_command

    from cms.newsroom import setup_newsroom

    random.seed(2026)
    with timed("migrate"):
        call_command("migrate", verbosity=0)
    with timed("newsroom (locales, homes, groups, workflow)"):
        newsroom = setup_newsroom()
    home = newsroom["zh-hans"]
    with timed("images, authors, channels"):
        images = make_images(12)
        countries, sources, authors = make_snippets(home.locale)
        channels = make_channels(home)
    with timed(f"{article_count} articles (bulk)") as timer:
        articles = make_articles(article_count, channels, images, sources, authors, countries)
    print(f"    → {article_count / timer.seconds:.0f} articles/s")
    with timed("featured article translations, baseline pages"):
        article = feature_article(articles[0], newsroom)
        bare, standard = make_baselines(home)
    # Every live article in the public search index, as on a real site: the article page's
    # related articles (more-like-this) rank against all of them.
    with timed("search index of every article (search_reindex)"):
        call_command("search_reindex", no_progress=True, stdout=StringIO())
    home.refresh_from_db()
    return {
        "bare Wagtail page": bare.url,
        "empty StandardPage": standard.url,
        "home": home.url,
        "channel": channels[0].url,
        "article": article.url,
    }


# --- Measuring -----------------------------------------------------------------------------


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def fetch(client, url, expect_cache=None):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}; the benchmark needs 200")
    cache_state = response.headers.get("X-Qiaoyin-Cache", "")
    if expect_cache and expect_cache not in cache_state:
        sys.exit(f"GET {url}: expected a cache {expect_cache}, got {cache_state!r}")
    return response


def timed_get(client, url, expect_cache):
    start = time.perf_counter()
    fetch(client, url, expect_cache=expect_cache)
    return (time.perf_counter() - start) * 1000


def measure(client, urls, requests):
    """Time every page in rounds (one request per page per round), so that a busy machine
    slows all pages alike and the ratios stay fair."""
    from django.core.cache import caches

    page_cache = caches["pagecache"]
    results = {name: {"uncached": [], "cached": []} for name in urls}
    for _ in range(3):  # warm templates, renditions and Wagtail's site-root cache
        for url in urls.values():
            page_cache.clear()
            fetch(client, url)
    for _ in range(requests):
        for name, url in urls.items():
            page_cache.clear()
            results[name]["uncached"].append(timed_get(client, url, "miss"))
    for name, url in urls.items():
        page_cache.clear()
        results[name]["queries"] = record_queries(client, url)
    page_cache.clear()
    for url in urls.values():
        fetch(client, url, expect_cache="miss")
    for _ in range(requests):
        for name, url in urls.items():
            results[name]["cached"].append(timed_get(client, url, "hit"))
    return results


def record_queries(client, url):
    """[(origin, sql)] of one uncached request; origin is the innermost frame of our code.

    A database execute wrapper, because CaptureQueriesContext loses the queries that run
    before the request_started signal resets the connection's query log.
    """
    from django.db import connection

    queries = []

    def record(execute, sql, params, many, context):
        ours = [
            frame
            for frame in traceback.extract_stack()[:-1]
            if frame.filename.startswith(str(ROOT))
            and "/.venv/" not in frame.filename
            and not frame.filename.endswith("bench/pages.py")
        ]
        origin = f"{Path(ours[-1].filename).relative_to(ROOT)}:{ours[-1].name}" if ours else ""
        queries.append((origin or "wagtail/django (templates, routing)", sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fetch(client, url, expect_cache="miss")
    return queries


def sql_shape(sql):
    sql = re.sub(r"^SELECT .*? FROM", "SELECT … FROM", sql, count=1)
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:120]


def show_queries(name, queries):
    """Group one page's queries by where they come from and by shape: N+1s stand out."""
    shapes = Counter((origin, sql_shape(sql)) for origin, sql in queries)
    print(f"\n{name}, uncached: {len(queries)} queries (count × origin: SQL):")
    for (origin, shape), count in shapes.most_common():
        print(f"  {count:2d} × {origin}: {shape}")


def profile_page(client, url, requests):
    """cProfile uncached requests of one page: function calls per request (deterministic,
    unlike timings on a shared machine) and the functions of ours that cost the most."""
    import cProfile
    import pstats

    from django.core.cache import caches

    page_cache = caches["pagecache"]
    profiler = cProfile.Profile()
    for _ in range(requests):
        page_cache.clear()
        profiler.enable()
        fetch(client, url, expect_cache="miss")
        profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    print(f"\n{url}, uncached: {stats.total_calls / requests:.0f} function calls per request")
    stats.print_stats(rf"{ROOT}/(?!\.venv|bench)", 30)


def report(results):
    header = f"{'page':<20} {'uncached median':>16} {'p95':>8} {'cached median':>14} {'p95':>8}"
    print(f"\n{header} {'queries':>8}")
    print("-" * (len(header) + 9))
    for name, r in results.items():
        print(
            f"{name:<20} {statistics.median(r['uncached']):>13.2f} ms "
            f"{percentile(r['uncached'], 0.95):>5.2f} ms "
            f"{statistics.median(r['cached']):>11.2f} ms "
            f"{percentile(r['cached'], 0.95):>5.2f} ms {len(r['queries']):>8}"
        )
    bare = statistics.median(results["bare Wagtail page"]["uncached"])
    frame = statistics.median(results["empty StandardPage"]["uncached"])
    article = statistics.median(results["article"]["uncached"])
    ratio = article / bare
    verdict = "meets" if ratio <= TARGET_ARTICLE_RATIO else "MISSES"
    print(f"\nuncached article / bare Wagtail page: {ratio:.2f}× ({verdict} ≤ 2×)")
    print(f"uncached article / empty StandardPage: {article / frame:.2f}×")
    home = statistics.median(results["home"]["uncached"])
    print(f"uncached home / bare Wagtail page: {home / bare:.2f}×")
    slow = [n for n, r in results.items() if statistics.median(r["cached"]) >= TARGET_CACHED_MS]
    print(f"cached medians: {'all under 5 ms' if not slow else 'over 5 ms: ' + ', '.join(slow)}")
    return ratio <= TARGET_ARTICLE_RATIO and not slow


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="qiaoyin-bench-") as scratch:
        workdir = Path(scratch)
        database = create_database(args, workdir)
        start_django(workdir)
        try:
            print(f"Database: {database}\nBuilding the site:")
            urls = build_site(args.articles)
            if args.date_index:
                add_date_index()
                analyze_tables()
            if args.redis_page_cache:
                use_redis_page_cache(args.redis_page_cache)
            from django.test import Client

            client = Client()
            print(f"Timing {args.requests} requests per page and mode…")
            results = measure(client, urls, args.requests)
            met = report(results)
            if args.show_queries:
                for name in ["home", "article"]:
                    show_queries(name, results[name]["queries"])
            if args.profile:
                profile_page(client, urls["article"], args.profile)
        finally:
            if args.redis_page_cache:
                from django.core.cache import caches

                caches["pagecache"].clear()  # leave the Redis database as we found it: empty
            drop_database(args)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
