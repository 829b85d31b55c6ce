#!/usr/bin/env python
"""Chaos run of the push: real processes, faults injected, every delivery accounted for.

    .venv/bin/python bench/chaos.py         # 30 stations, 30 articles and 15 corrections
    .venv/bin/python bench/chaos.py --stations 3 --articles 3 --corrections 2 --compact

Starts and stops everything it uses: its own redis-server on a spare port (cache on DB 0,
broker on DB 1, append-only file so a restart keeps the queue), its own PostgreSQL database
(`qiaoyin_bench_chaos` on 127.0.0.1:5432, created and migrated when missing, kept between
runs; `--database` names another), the Celery workers of config/workers.py (two delivery
workers, the backoff worker and the general one; `--compact`: two workers for every queue)
and beat, and loopback stations (bench/loopback.py) that verify every signature and fail
about 22% of requests: 500, 503, 429 with Retry-After, an answer past the read timeout, a
dropped connection.

It publishes the articles and corrections over `--publish-seconds`, and meanwhile SIGKILLs a
delivery worker (started again two seconds later, as a supervisor would) and stops Redis for
`--redis-down-seconds` while an article is being published, then starts it again. Then it
waits for the ledger to drain and prints: deliveries expected, delivered, lost, duplicates
with and without the same idempotency key, out-of-order versions, bad signatures, live
revisions not distributed, and the time to drain. Bounded by `--time-limit`; exit status 0
only when nothing was lost, duplicated without its key, delivered out of order or badly
signed, and every live revision was distributed. Figures are in bench/README.md.
"""

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loopback import Plan, read_log, start_receivers, start_workers, station_secret  # noqa: E402

PG_SERVER_URL = "postgres://postgres@127.0.0.1:5432"
READ_TIMEOUT = 2.0
SLOW_SECONDS = READ_TIMEOUT + 1.5
FAULT_RATE = 0.22
RECEIVED = ("200", "slow")  # a late answer still reached the station
OPEN_STATES = ("pending", "sending", "retrying")
FULL_WORKERS = (
    ("deliveries", "deliveries-0"),
    ("deliveries", "deliveries-1"),
    ("backoff", "backoff"),
    ("general", "general"),
)
COMPACT_WORKERS = (("all", "worker-0"), ("all", "worker-1"))


def say(message):
    print(f"[chaos {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- redis-server -----------------------------------------------------------------------------
class RedisServer:
    """A redis-server of our own; `restart` stops it (saving its append-only file) and
    starts it again on the same port and data."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = Path(folder)
        self.process = None

    def url(self, db):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.folder), "--save", "", "--appendonly", "yes"]
            + ["--appendfsync", "always"],
            stdout=open(self.folder / "redis.log", "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


# --- the platform's processes ------------------------------------------------------------------
def environment(redis_server, database, var_dir):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"{PG_SERVER_URL}/{database}",
        "REDIS_URL": redis_server.url(0),
        "CELERY_BROKER_URL": redis_server.url(1),
        "QIAOYIN_VAR_DIR": str(var_dir),
        "STATION_PUSH_ALLOW_HOSTS": "127.0.0.1",
        "STATION_PUSH_CONNECT_TIMEOUT": "1",
        "STATION_PUSH_READ_TIMEOUT": str(READ_TIMEOUT),
        "STATION_PUSH_BACKOFF_BASE": "1",
        "STATION_PUSH_BACKOFF_MAX": "4",
        "STATION_PUSH_GIVE_UP_AFTER": "3600",
        "STATION_PUSH_PAUSE_AFTER_FAILURES": "1000",
        "STATION_PUSH_SENDING_TIMEOUT": str(READ_TIMEOUT * 4),
        "STATION_PUSH_SWEEP_GRACE": "2",
        "STATION_PUSH_SWEEP_INTERVAL": "3",
    }


def start_beat(log_dir, env):
    return subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "beat", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=open(Path(log_dir) / "beat.log", "a"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def ensure_database(name, template=None):
    """Create the database when missing: a copy of `template` if given and free (a migrated
    database, which saves the migrations), else empty, for migrate to fill."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        if template:
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except (psycopg.errors.ObjectInUse, psycopg.errors.InvalidCatalogName) as error:
                say(f"cannot copy {template} ({error}); migrating an empty database instead")
        conn.execute(f'CREATE DATABASE "{name}"')


# --- the newsroom side --------------------------------------------------------------------------
def make_stations(count, port, run):
    """`count` fresh stations at the receiver, the only active ones."""
    from stations.models import Destination, LiaisonStation

    LiaisonStation.objects.update(is_active=False)
    for n in range(count):
        station = LiaisonStation.objects.create(name=f"混沌站{run}-{n:02d}", locales=["zh-hans"])
        destination = Destination(station=station, url=f"http://127.0.0.1:{port}/s/{n}")
        destination.secret = station_secret(n)
        destination.save()


def publish(article):
    """Publish the article's current state; False (and why) when the publish failed."""
    try:
        article.save_revision().publish()
    except Exception as error:  # noqa: BLE001 (counted and printed: that is the finding)
        say(f"publish of {article.pk} failed: {type(error).__name__}: {error}")
        return False
    return True


def new_article(channel, n):
    from cms.models import ArticlePage

    article = ArticlePage(title=f"混沌文章 {n} {time.time_ns()}", slug=f"chaos-{time.time_ns()}")
    article.live = False
    channel.add_child(instance=article)
    return article


def correct(article, n):
    article.refresh_from_db()
    article.title = f"{article.title} 更正{n}"
    return article


class Faults:
    """The process faults, each once, at a given share of the publishing."""

    def __init__(self, workers, redis_server):
        self.workers = workers
        self.redis = redis_server
        self.killed = None

    def kill_worker(self):
        self.killed = self.workers[0]
        say(f"SIGKILL {self.killed.name} (pid {self.killed.process.pid})")
        self.killed.kill()

    def restart_killed_worker(self):
        if self.killed is not None and not self.killed.alive():
            say(f"starting {self.killed.name} again")
            self.killed.start()

    def stop_redis_for(self, seconds):
        """Stop Redis now and start it again `seconds` later, whatever is running then."""
        say(f"stopping Redis for {seconds:.0f} s")
        self.redis.stop()
        self.redis_back = threading.Timer(seconds, self.start_redis)
        self.redis_back.start()

    def start_redis(self):
        self.redis.start()
        say("Redis is back")


def publish_under_faults(channel, args, faults):
    """Publish articles and corrections, with the faults on the way; returns the pages and
    how many publishes failed."""
    later = ["article"] * (args.articles - 1) + ["correction"] * args.corrections
    random.shuffle(later)
    steps = ["article", *later]  # a correction needs an article before it
    pause = args.publish_seconds / max(1, len(steps))
    kill_at, redis_at = len(steps) // 3, (2 * len(steps)) // 3
    articles, failed, killed_at = [], 0, None
    for index, step in enumerate(steps):
        if index == kill_at:
            faults.kill_worker()
            killed_at = time.monotonic()
        if index == redis_at:
            faults.stop_redis_for(args.redis_down_seconds)  # the next publish runs meanwhile
        if step == "article" or not articles:
            article = new_article(channel, index)
            articles.append(article)
        else:
            article = correct(random.choice(articles), index)  # noqa: S311
        failed += not publish(article)
        if index == redis_at:
            faults.redis_back.join()
        if killed_at and time.monotonic() - killed_at > 2:
            faults.restart_killed_worker()
            killed_at = None
        time.sleep(pause)
    faults.restart_killed_worker()
    return articles, failed


# --- the reckoning -------------------------------------------------------------------------------
def undistributed(articles):
    """Live articles whose live revision has no ledger version."""
    from wagtail.models import Page

    from stations.models import ArticleVersion

    missing = 0
    for page in Page.objects.filter(pk__in=[a.pk for a in articles]).specific():
        if not page.live:
            continue
        versions = ArticleVersion.objects.filter(article__uri=page.uri)
        if not versions.filter(revision_id=page.live_revision_id).exists():
            missing += 1
    return missing


def open_rows(uris):
    from stations.models import Delivery

    return Delivery.objects.filter(article__uri__in=uris, state__in=OPEN_STATES)


def wait_to_drain(articles, deadline):
    """Seconds until no delivery is open, and until every live revision is distributed too
    (None for what did not happen before the deadline)."""
    started = time.monotonic()
    uris = [article.uri for article in articles]
    deliveries_done = None
    while time.monotonic() < deadline:
        if deliveries_done is None and not open_rows(uris).exists():
            deliveries_done = time.monotonic() - started
        if deliveries_done is not None and not undistributed(articles):
            return deliveries_done, time.monotonic() - started
        time.sleep(0.5)
    return deliveries_done, None


def reckon(articles, log_path, run):
    """The counts, from the ledger and from what the stations received."""
    from stations.models import Delivery

    uris = [article.uri for article in articles]
    rows = list(
        Delivery.objects.filter(article__uri__in=uris, station__name__startswith=f"混沌站{run}-")
        .values_list("idempotency_key", "state", "station__name", "article__uri", "version")
        .order_by("version")
    )
    requests = read_log(log_path)
    received = [r for r in requests if r["answer"] in RECEIVED]
    receipts = defaultdict(int)
    for request in received:
        receipts[request["key"]] += 1

    latest = {}
    for _key, _state, station, uri, version in rows:
        latest[(station, uri)] = max(version, latest.get((station, uri), 0))
    lost = 0
    for key, state, station, uri, version in rows:
        if state == "delivered" and not receipts.get(str(key)):
            lost += 1  # the ledger says delivered, the station never got it
        elif state == "superseded" and version == latest[(station, uri)]:
            lost += 1
        elif state not in ("delivered", "superseded"):
            lost += 1

    keys_per_version = defaultdict(set)
    for request in received:
        keys_per_version[(request["station"], request["uri"], request["version"])].add(
            request["key"]
        )
    out_of_order = 0
    highest = {}
    for request in sorted(received, key=lambda r: r["at"]):
        pair = (request["station"], request["uri"])
        if request["version"] < highest.get(pair, 0):
            out_of_order += 1
        highest[pair] = max(highest.get(pair, 0), request["version"])
    return {
        "deliveries expected": len(rows),
        "delivered": sum(state == "delivered" for _, state, *_ in rows),
        "superseded by a newer version": sum(state == "superseded" for _, state, *_ in rows),
        "lost": lost,
        "duplicates with the same key": sum(n - 1 for n in receipts.values()),
        "duplicates without the same key": sum(len(k) - 1 for k in keys_per_version.values()),
        "out-of-order versions": out_of_order,
        "bad signatures": sum(not r["signed"] for r in requests),
        "requests made": len(requests),
        "requests failed on purpose": sum(r["answer"] != "200" for r in requests),
        "live revisions not distributed": undistributed(articles),
    }


def seconds_or_timeout(seconds, since):
    if seconds is not None:
        return f"{seconds:.1f} s after the last publish"
    return f"not within the time limit ({time.monotonic() - since:.0f} s after the last publish)"


FAILING = (
    "lost",
    "duplicates without the same key",
    "out-of-order versions",
    "bad signatures",
    "live revisions not distributed",
)


# --- main ---------------------------------------------------------------------------------------
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=30)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--corrections", type=int, default=15)
    parser.add_argument("--publish-seconds", type=float, default=40)
    parser.add_argument("--redis-down-seconds", type=float, default=5)
    parser.add_argument(
        "--time-limit", type=float, default=600, help="seconds from the first publish"
    )
    parser.add_argument("--database", default="qiaoyin_bench_chaos")
    parser.add_argument("--template", help="a migrated database to copy when --database is missing")
    parser.add_argument("--compact", action="store_true", help="two workers for every queue")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qiaoyin-chaos-") as tmp:
        redis_server = RedisServer(tmp)
        redis_server.start()
        env = environment(redis_server, args.database, Path(tmp) / "var")
        os.environ.update(env)
        processes = []
        try:
            return run(args, tmp, env, redis_server, processes)
        finally:
            for process in processes:
                stop = getattr(process, "stop", None) or process.terminate
                stop()
            redis_server.stop()


def run(args, tmp, env, redis_server, processes):
    ensure_database(args.database, args.template)
    import django

    django.setup()
    from django.core.management import call_command

    from cms.newsroom import setup_newsroom
    from tests.cms.factories import ChannelPageFactory

    call_command("migrate", verbosity=0)
    run_id = time.strftime("%H%M%S")
    home = setup_newsroom()["zh-hans"]
    channel = ChannelPageFactory(parent=home, slug=f"chaos-{time.time_ns()}")
    log_path = Path(tmp) / "requests.jsonl"
    receivers, port = start_receivers(
        tmp, Plan(slow_seconds=SLOW_SECONDS, fault_rate=FAULT_RATE, log_path=str(log_path))
    )
    processes.append(receivers)
    make_stations(args.stations, port, run_id)
    roles = COMPACT_WORKERS if args.compact else FULL_WORKERS
    workers = start_workers(roles, tmp, env)
    processes.extend(workers)
    beat = start_beat(tmp, env)
    processes.append(beat)
    say(f"{len(workers)} workers, beat, {args.stations} stations; publishing")
    deadline = time.monotonic() + args.time_limit

    articles, failed = publish_under_faults(channel, args, Faults(workers, redis_server))
    published_at = time.monotonic()
    say(f"published {len(articles)} articles ({failed} publishes failed); draining")
    deliveries_done, drained = wait_to_drain(articles, deadline)
    counts = reckon(articles, log_path, run_id)
    counts["publishes that failed"] = failed
    counts["time to drain"] = seconds_or_timeout(deliveries_done, published_at)
    counts["time to distribute every revision"] = seconds_or_timeout(drained, published_at)
    for name, value in counts.items():
        print(f"{name:>34}: {value}")
    failures = [name for name in FAILING if counts[name]]
    if drained is None:
        failures.append("not drained")
    print("result:", "all accounted for" if not failures else "FAILED — " + ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
