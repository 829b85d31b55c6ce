"""Loopback liaison stations and Celery workers for the push benchmarks (fanout.py, chaos.py).

One receiver process answers every station's URL, `http://127.0.0.1:<port>/s/<n>` (station
n's secret is `secret-<n>`). A `Plan` scripts it: `/slow/<n>` answers only after
`slow_seconds` (past the workers' read timeout), and `fault_rate` makes that share of
requests fail at random, as real stations do: 500, 503, 429 with Retry-After, an answer past
the read timeout, or a dropped connection. With a `log_path` every request is appended to it
as one JSON line (station, idempotency key, uri, version, whether the signature verified, and
what was answered), for the caller to count deliveries, duplicates and order.

The workers are the ones config/workers.py defines, started as real processes.
"""

import hashlib
import hmac
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a failing request gets, by weight (fault_rate says how many fail at all).
FAULTS = (("500", 8), ("503", 5), ("429", 5), ("slow", 2), ("drop", 2))


@dataclass(frozen=True)
class Plan:
    slow_seconds: float = 0.0
    fault_rate: float = 0.0
    log_path: str = ""


def station_secret(n):
    return f"secret-{n}"


def signature_valid(headers, body, secret):
    """Qiaoyin-Signature `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, as a station checks it."""
    header = headers.get("Qiaoyin-Signature", "")
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if "t" not in parts or "v1" not in parts:
        return False
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def serve(port_file, plan):
    log_lock = threading.Lock()
    log = open(plan.log_path, "a", buffering=1) if plan.log_path else None  # noqa: SIM115
    faults = [name for name, weight in FAULTS for _ in range(weight)]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            lane, _, n = self.path.strip("/").partition("/")
            answer = "200"
            if lane == "slow":
                answer = "slow"
            elif plan.fault_rate and random.random() < plan.fault_rate:  # noqa: S311
                answer = random.choice(faults)  # noqa: S311
            if log is not None:
                self.record(body, int(n), answer)
            self.answer(answer)

        def record(self, body, n, answer):
            envelope = json.loads(body)
            line = {
                "station": n,
                "key": self.headers.get("Idempotency-Key"),
                "uri": envelope.get("uri"),
                "version": envelope.get("version"),
                "event": envelope.get("event"),
                "signed": signature_valid(self.headers, body, station_secret(n)),
                "answer": answer,
                "at": time.time(),
            }
            with log_lock:
                log.write(json.dumps(line) + "\n")

        def answer(self, answer):
            if answer == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if answer == "slow":
                time.sleep(plan.slow_seconds)
                answer = "200"
            self.send_response(int(answer))
            if answer == "429":
                self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

    server = Server(("127.0.0.1", 0), Handler)
    Path(port_file).write_text(str(server.server_port))
    server.serve_forever()


def start_receivers(tmp, plan=None):
    """The receiver process and its port."""
    port_file = Path(tmp) / "receiver.port"
    port_file.unlink(missing_ok=True)
    process = Process(target=serve, args=(str(port_file), plan or Plan()), daemon=True)
    process.start()
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.05)
    return process, int(port_file.read_text())


def read_log(path):
    if not Path(path).exists():
        return []
    with open(path) as log:
        return [json.loads(line) for line in log if line.strip()]


# --- workers -------------------------------------------------------------------------------
class WorkerProcess:
    """One `celery -A config worker` of a config/workers.py role, in its own process group."""

    def __init__(self, role, name, log_dir, env, profile=False):
        from config.workers import worker_command, worker_environment

        self.role, self.name = role, name
        self.log_path = Path(log_dir) / f"{name}.log"
        self.command = worker_command(
            role,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--hostname={name}-{os.getpid()}@%h",
        )
        self.env = {**env, **worker_environment(role)}
        self.profile_path = None
        if profile:  # every task under cProfile; the worker writes the file when it stops
            self.profile_path = Path(log_dir) / f"{name}.prof"
            wrapper = [sys.executable, str(ROOT / "bench" / "profiled_celery.py")]
            self.command = wrapper + self.command[1:]  # the same arguments, without `celery`
            self.env["QIAOYIN_TASK_PROFILE"] = str(self.profile_path)
        self.process = None

    def start(self):
        log = open(self.log_path, "a")  # noqa: SIM115 (the worker's)
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL the whole group: no warm shutdown, no acknowledgements."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def start_workers(roles, log_dir, env, timeout=60, profile=False):
    """Start a worker per (role, name) and wait until each answers a ping."""
    from config.celery import app

    workers = [WorkerProcess(role, name, log_dir, env, profile).start() for role, name in roles]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(not worker.alive() for worker in workers):
            raise SystemExit(f"A Celery worker exited; see {log_dir}")
        if len(app.control.ping(timeout=0.5)) >= len(workers):
            return workers
    raise SystemExit(f"The Celery workers did not start; see {log_dir}")
