"""Real services for the push tests: HTTP receivers on 127.0.0.1, a Celery worker process on
Redis (its own DB number), and a moto S3 server."""

import json
import os
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

import pytest
import redis

from config.celery import app as celery_app
from config.workers import ALL_QUEUES, worker_command, worker_environment
from stations.models import Destination, LiaisonStation

PROJECT_DIR = Path(__file__).resolve().parents[2]
# A Redis database per pytest-xdist worker (gw0: 11, gw1: 12, …): each worker's Celery
# worker must take only its own tasks, and each flushes its own broker. Two checkouts
# testing at once on one Redis give each its own base (PUSH_TEST_REDIS_DB_BASE=1: 1, 2, …).
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_REDIS_DB_BASE = int(os.environ.get("PUSH_TEST_REDIS_DB_BASE", "11"))
PUSH_REDIS_URL = os.environ.get(
    "PUSH_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{_REDIS_DB_BASE + _XDIST_INDEX}"
)
# A worker busy this long after its test ended is killed (and started again by the next).
QUIESCE_TIMEOUT = 30
# Short delays so retry tests take seconds, not minutes; the worker reads them at start.
WORKER_SETTINGS = {
    "STATION_PUSH_ALLOW_HOSTS": "127.0.0.1",
    "STATION_PUSH_BACKOFF_BASE": "1",
    "STATION_PUSH_BACKOFF_MAX": "4",
    "STATION_PUSH_GIVE_UP_AFTER": "120",
    "STATION_PUSH_PAUSE_AFTER_FAILURES": "3",
    "STATION_PUSH_SENDING_TIMEOUT": "3",
    "STATION_PUSH_SWEEP_GRACE": "0",
    "STATION_PUSH_READ_TIMEOUT": "10",
    "STATION_PUSH_CONNECT_TIMEOUT": "2",
    # Credentials for the moto S3 server, found through the destination's reference.
    "PUSH_TEST_S3_ACCESS_KEY_ID": "testing",
    "PUSH_TEST_S3_SECRET_ACCESS_KEY": "testing",
}


# --- HTTP receiver ------------------------------------------------------------------------
class Receiver:
    """A liaison station's endpoint. `respond(request) -> (status, headers)` scripts it.

    `host` may be an IPv6 address; `tls` (a server-side SSLContext) makes it an HTTPS
    endpoint; `keep_alive` answers in HTTP/1.1 and keeps connections open. It counts every
    TCP connection it accepts (even one whose TLS handshake fails) and records the TLS
    server names (SNI) clients ask for.
    """

    def __init__(self, host="127.0.0.1", tls=None, keep_alive=False):
        self.requests = []
        self.connections = 0
        self.server_names = []
        self.respond = lambda request: (200, {})
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.1 keeps the connection open between requests (HTTP/1.0 closes it)
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = {
                    "headers": dict(self.headers),
                    "raw": raw,
                    "json": json.loads(raw),
                    "at": time.monotonic(),
                }
                with receiver.lock:
                    receiver.requests.append(request)
                status, headers = receiver.respond(request)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
            daemon_threads = True

            def get_request(self):
                connection, address = super().get_request()
                with receiver.lock:
                    receiver.connections += 1
                return connection, address

            def finish_request(self, request, client_address):
                if tls is None:
                    return super().finish_request(request, client_address)
                try:  # handshake in the connection's own thread, not the accept loop
                    request = tls.wrap_socket(request, server_side=True)
                except OSError:
                    return  # the client refused our certificate (or spoke no TLS)
                with request:
                    super().finish_request(request, client_address)

        if tls is not None:
            tls.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
        self.server = Server((host, 0), Handler)
        self.port = self.server.server_port
        scheme, netloc = ("https" if tls else "http"), f"[{host}]" if ":" in host else host
        self.url = f"{scheme}://{netloc}:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def by_key(self):
        keys = {}
        for request in self.requests:
            keys.setdefault(request["headers"]["Idempotency-Key"], []).append(request)
        return keys


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def make_station(
    name,
    url,
    secret="s3cret",  # noqa: S107
    locales=("zh-hans",),
    fmt="ninjs-2.2",
    **extra,
):
    station = LiaisonStation.objects.create(name=name, locales=list(locales), **extra)
    destination = Destination(station=station, url=url, format=fmt)
    destination.secret = secret
    destination.save()
    return station


# --- Celery worker ------------------------------------------------------------------------
def worker_database_url():
    db = settings.DATABASES["default"]
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """A real `celery -A config worker` process group on the test database.

    Its PostgreSQL sessions carry an application_name of their own, so `quiesce` can find
    any it leaves behind.
    """

    def __init__(self, log_path):
        self.log_path = log_path
        self.process = None
        self.hostname = f"push-test-{os.getpid()}@{socket.gethostname()}"
        self.application_name = f"push-test-worker-{os.getpid()}"
        self.env = {
            **os.environ,
            **WORKER_SETTINGS,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"{worker_database_url()}?application_name={self.application_name}",
            "CELERY_BROKER_URL": PUSH_REDIS_URL,
            **worker_environment("all"),
        }

    def start(self):
        log = open(self.log_path, "a")  # noqa: SIM115 (owned by the process)
        self.process = subprocess.Popen(
            worker_command(
                "all",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname={self.hostname}",
            ),
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited; see {self.log_path}")
            if celery_app.control.ping(destination=[self.hostname], timeout=0.5):
                return
        raise RuntimeError(f"Celery worker did not answer within 60 s; see {self.log_path}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL the whole process group: no clean shutdown, no acks."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def quiesce(self, broker):
        """Leave the worker idle: nothing queued, nothing running, nothing held for later.

        A test's last deliveries may still be running, retries wait in the worker with an
        ETA, and tasks the test queued on the side (search indexing, translations) come
        after. Left alone they query the database while pytest-django empties it after a
        transactional test (TRUNCATE of every table) or while the next test builds the
        newsroom; PostgreSQL then found a deadlock and failed the test's setup. So: the
        queues are emptied, every task the worker holds is revoked, and we wait until none
        runs. A worker still busy after QUIESCE_TIMEOUT is killed, with its database sessions.
        """
        control = celery_app.control
        deadline = time.monotonic() + QUIESCE_TIMEOUT
        quiet_rounds = 0  # two in a row: a task between two of the questions is not missed
        while time.monotonic() < deadline and self.alive():
            broker.delete(*ALL_QUEUES, "unacked", "unacked_index")
            inspect = control.inspect(destination=[self.hostname], timeout=1, limit=1)
            running = worker_tasks(inspect.active())
            held = [entry["request"]["id"] for entry in worker_tasks(inspect.scheduled()) or ()]
            held += [request["id"] for request in worker_tasks(inspect.reserved()) or ()]
            if held:
                control.revoke(held, destination=[self.hostname])
            queued = any(broker.llen(queue) for queue in ALL_QUEUES)
            quiet_rounds = 0 if running is None or running or queued else quiet_rounds + 1
            if quiet_rounds == 2:
                return
            time.sleep(0.1)
        if self.alive():
            self.kill()
        self.terminate_database_sessions()

    def terminate_database_sessions(self):
        """A killed worker's query may still wait on a lock; PostgreSQL would keep it."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [self.application_name],
            )


def worker_tasks(replies):
    """The task list of the one worker an `inspect` call was sent to; None if it did not
    answer in time (it may be busy: not the same as idle)."""
    if not replies:
        return None
    return [task for tasks in replies.values() for task in tasks]


def point_celery_at(broker_url):
    """Make this process publish to `broker_url` (the app caches its connection pools)."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = broker_url
    celery_app.conf.broker_transport_options = {}
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return previous


@pytest.fixture(scope="session")
def push_redis():
    client = redis.Redis.from_url(PUSH_REDIS_URL)
    client.flushdb()
    return client


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, push_redis, tmp_path_factory):
    """One worker shared by the session's tests (starting one costs seconds)."""
    worker = Worker(tmp_path_factory.mktemp("celery") / "worker.log")
    yield worker
    worker.stop()


@pytest.fixture
def worker(celery_worker, push_redis):
    """The shared worker, running, with an empty queue, and this process publishing to it.

    For this test only: every other test's tasks stay in the in-memory broker, where no
    worker runs them against the database. Left idle when the test ends (Worker.quiesce),
    before the database is emptied.
    """
    previous = point_celery_at(PUSH_REDIS_URL)
    if not celery_worker.alive():
        celery_worker.start()
    push_redis.delete(*ALL_QUEUES)
    yield celery_worker
    point_celery_at(PUSH_REDIS_URL)  # a test may have pointed it at a broker that is down
    celery_worker.quiesce(push_redis)
    point_celery_at(previous)


def wait_for(condition, timeout=30, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Condition not met within {timeout} s")


# --- S3 (moto server) ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def moto_s3():
    """A moto S3 server on 127.0.0.1 with one bucket, and a client for the test's checks."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket="station-drop")
    yield SimpleNamespace(url=url, client=client, bucket="station-drop")
    server.stop()
