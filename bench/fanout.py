#!/usr/bin/env python
"""Push fan-out benchmark: one article to 30 and to 300 liaison stations.

    .venv/bin/python bench/fanout.py [--stations 30,300] [--publish-runs 5] [--keep]

Uses a database of its own (PostgreSQL `qiaoyin_bench_push` on 127.0.0.1:5432, created and
migrated when missing), Redis DB 12 as the broker, one local HTTP receiver process serving a
URL per station, and two real Celery worker processes, each sending with a pool of 8
threads (`--pool=threads`: a delivery mostly waits on the network and the database).
Reports, per fan-out size:

- end-to-end seconds from the start of the publish to the last delivery's ledger time,
- deliveries per second over that span,
- formatting passes per article version (payload rows made for the version),

and the publish's own time (save revision + publish + commit, where the push writes its
rows and queues its task) with 0 and with 300 subscribed stations: the 300-station median
must stay within 1.2× of the 0-station one. Target: 300 stations delivered in under 5 s.
Exit status 1 when a target is missed. Figures are in bench/README.md.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "qiaoyin_bench_push"
PG_SERVER_URL = "postgres://postgres@127.0.0.1:5432"
BROKER_URL = "redis://127.0.0.1:6379/12"
TARGET_SECONDS_300 = 5.0
PUBLISH_RATIO_LIMIT = 1.2
WORKER_THREADS = 8


def configure_environment():
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"{PG_SERVER_URL}/{DB_NAME}",
        CELERY_BROKER_URL=BROKER_URL,
        STATION_PUSH_ALLOW_HOSTS="127.0.0.1",
        STATION_PUSH_SWEEP_GRACE="30",
    )


# --- receivers ----------------------------------------------------------------------------
def serve_receivers(port_holder_path):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Path(port_holder_path).write_text(str(server.server_port))
    server.serve_forever()


def start_receivers(tmp):
    port_file = Path(tmp) / "receiver.port"
    process = Process(target=serve_receivers, args=(str(port_file),), daemon=True)
    process.start()
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    return process, int(port_file.read_text())


# --- database, worker ---------------------------------------------------------------------
def ensure_database():
    import psycopg

    with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def start_workers(log_dir, processes=2, threads=WORKER_THREADS):
    """Two worker processes; each sends with a pool of threads (the work is I/O-bound)."""
    from config.celery import app

    workers = []
    for n in range(processes):
        log = open(Path(log_dir) / f"worker-{n}.log", "w")  # noqa: SIM115 (the worker's)
        workers.append(
            subprocess.Popen(
                [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker"]
                + ["--pool=threads", f"--concurrency={threads}", "--without-gossip"]
                + ["--without-mingle", "--without-heartbeat", "--loglevel=WARNING"]
                + [f"--hostname=push-bench-{os.getpid()}-{n}@%h"],
                cwd=ROOT,
                env=os.environ.copy(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in workers):
            raise SystemExit(f"A Celery worker exited; see {log_dir}")
        if len(app.control.ping(timeout=0.5)) >= processes:
            return workers
    raise SystemExit(f"The Celery workers did not start; see {log_dir}")


def stop_worker(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- the measurements ---------------------------------------------------------------------
def make_stations(count, port):
    from stations.models import Destination, LiaisonStation

    LiaisonStation.objects.update(is_active=False)
    for destination in Destination.objects.all():  # the receiver's port changes every run
        n = int(destination.url.rsplit("/", 1)[1])
        destination.url = f"http://127.0.0.1:{port}/s/{n}"
        destination.save(update_fields=["url"])
    have = LiaisonStation.objects.count()
    for n in range(have, count):
        station = LiaisonStation.objects.create(name=f"基准站{n:03d}", locales=["zh-hans"])
        destination = Destination(station=station, url=f"http://127.0.0.1:{port}/s/{n}")
        destination.secret = f"secret-{n}"
        destination.save()
    active = LiaisonStation.objects.order_by("pk")[:count]
    LiaisonStation.objects.filter(pk__in=[s.pk for s in active]).update(is_active=True)


def publish_new_article(channel, n):
    from django.db import transaction

    from cms.models import ArticlePage

    article = ArticlePage(title=f"基准文章 {n} {time.time_ns()}", slug=f"bench-{time.time_ns()}")
    article.live = False
    channel.add_child(instance=article)
    started = time.perf_counter()
    with transaction.atomic():
        article.save_revision().publish()
    return article, time.perf_counter() - started


def time_publishes(channel, runs):
    """The publish's own time. Each run waits for the previous fan-out to finish, so the
    measurement is not slowed by the workers still sending the last article."""
    from stations.models import Delivery

    timings = []
    for n in range(runs):
        article, seconds = publish_new_article(channel, n)
        timings.append(seconds)
        wait_until_sent(Delivery.objects.filter(article__uri=article.uri))
    return timings


def wait_until_sent(rows, timeout=120):
    from django.db.models import Count

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not rows.filter(state__in=["pending", "sending", "retrying"]).exists():
            return
        time.sleep(0.05)
    states = dict(rows.values_list("state").annotate(n=Count("pk")))
    raise SystemExit(f"Deliveries not finished within {timeout} s: {states}")


def fan_out(channel, count, port):
    from django.utils import timezone

    from stations.models import Delivery, FormattedPayload

    make_stations(count, port)
    started_at = timezone.now()
    article, _ = publish_new_article(channel, count)
    rows = Delivery.objects.filter(article__uri=article.uri)
    wait_until_sent(rows)
    delivered = rows.filter(state="delivered").count()
    if delivered < count:
        raise SystemExit(f"{count} stations: only {delivered} delivered")
    last = max(rows.values_list("ended_at", flat=True))
    seconds = (last - started_at).total_seconds()
    passes = FormattedPayload.objects.filter(article_version__article__uri=article.uri).count()
    return {"stations": count, "seconds": seconds, "per_second": count / seconds, "passes": passes}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", default="30,300")
    parser.add_argument("--publish-runs", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(size) for size in args.stations.split(",")]

    configure_environment()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    import redis

    from cms.newsroom import setup_newsroom
    from tests.cms.factories import ChannelPageFactory

    call_command("migrate", verbosity=0)
    home = setup_newsroom()["zh-hans"]
    redis.Redis.from_url(BROKER_URL).flushdb()
    channel = ChannelPageFactory(parent=home, slug=f"bench-{time.time_ns()}")

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        receivers, port = start_receivers(tmp)
        workers = start_workers(tmp)
        try:
            from stations.models import LiaisonStation

            LiaisonStation.objects.update(is_active=False)
            time_publishes(channel, 2)  # warm-up: caches, connections, imports
            zero = time_publishes(channel, args.publish_runs)
            results = [fan_out(channel, size, port) for size in sizes]
            make_stations(max(sizes), port)
            many = time_publishes(channel, args.publish_runs)
        finally:
            for worker in workers:
                stop_worker(worker)
            receivers.terminate()

    print(f"{'stations':>8} {'end-to-end s':>13} {'deliveries/s':>13} {'format passes':>14}")
    for r in results:
        print(
            f"{r['stations']:>8} {r['seconds']:>13.2f} {r['per_second']:>13.1f} {r['passes']:>14}"
        )
    ratio = statistics.median(many) / statistics.median(zero)
    print(
        f"publish time (median of {args.publish_runs}): 0 stations "
        f"{statistics.median(zero) * 1000:.0f} ms, {max(sizes)} stations "
        f"{statistics.median(many) * 1000:.0f} ms, ratio {ratio:.2f} (limit {PUBLISH_RATIO_LIMIT})"
    )
    failures = []
    for r in results:
        if r["stations"] >= 300 and r["seconds"] >= TARGET_SECONDS_300:
            failures.append(f"{r['stations']} stations took {r['seconds']:.2f} s")
        if r["passes"] != 1:
            failures.append(f"{r['passes']} formatting passes for one version")
    if ratio > PUBLISH_RATIO_LIMIT:
        failures.append(f"publish with {max(sizes)} stations is {ratio:.2f}× slower")
    print("targets:", "met" if not failures else "MISSED — " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
