"""`make run`'s processes: gunicorn, the Celery workers and Celery beat, kept running.

    python -m config.supervise --port 8000

A worker or beat that exits (a crash, the OOM killer, a lost broker) is started again after a
short pause that grows while it keeps failing, so scheduled publishing and deliveries go on.
The web server is the foreground process: if it exits, everything stops with its exit code
(a port already in use would otherwise be retried for ever). Ctrl-C or SIGTERM stops
them all. honcho stops everything when one process exits, and supervisord or circus would need
a configuration of their own for five commands; this loop is all `make run` needs. In
production each process has its own service under the host's process manager
(docs/deployment.md).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config.workers import worker_command, worker_environment

BIN = Path(sys.executable).parent
RESTART_DELAY = 1.0
RESTART_DELAY_MAX = 30.0
# A process that ran this long before exiting is restarted after the shortest pause again.
HEALTHY_AFTER = 60.0
STOP_TIMEOUT = 15.0
POLL_INTERVAL = 0.5


def commands(port, workers, log_dir):
    return {
        "web": [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--config",
            "python:config.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        # The general worker, and the threaded delivery workers (config/workers.py).
        "worker": worker_command("general", "--loglevel=INFO", log_file(log_dir, "worker")),
        "deliveries": worker_command(
            "deliveries", "--loglevel=INFO", log_file(log_dir, "deliveries")
        ),
        "backoff": worker_command("backoff", "--loglevel=INFO", log_file(log_dir, "backoff")),
        "beat": [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            f"--logfile={log_dir / 'celery-beat.log'}",
        ],
    }


def log_file(log_dir, name):
    return f"--logfile={log_dir / f'celery-{name}.log'}"


class Supervised:
    def __init__(self, name, command, environment=None):
        self.name = name
        self.command = command
        self.environment = {**os.environ, **(environment or {})}
        self.process = None
        self.started_at = 0.0
        self.delay = RESTART_DELAY
        self.restart_at = 0.0

    def start(self):
        self.process = subprocess.Popen(self.command, env=self.environment)  # noqa: S603 (ours)
        self.started_at = time.monotonic()
        say(f"{self.name} started (pid {self.process.pid})")

    def exited(self):
        return self.process is not None and self.process.poll() is not None

    def schedule_restart(self):
        ran_for = time.monotonic() - self.started_at
        self.delay = RESTART_DELAY if ran_for > HEALTHY_AFTER else self.delay
        say(
            f"{self.name} exited with code {self.process.returncode}; "
            f"restarting in {self.delay:.0f} s"
        )
        self.restart_at = time.monotonic() + self.delay
        self.delay = min(self.delay * 2, RESTART_DELAY_MAX)
        self.process = None

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, deadline):
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def say(message):
    sys.stdout.write(f"[supervise] {message}\n")
    sys.stdout.flush()


def supervise(web, restartable):
    """Run until the web server exits or a stop signal arrives; returns the exit code."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *args: stopping.append(signal.SIGTERM))
    signal.signal(signal.SIGINT, lambda *args: stopping.append(signal.SIGINT))
    for process in (web, *restartable):
        process.start()
    while not stopping and not web.exited():
        for process in restartable:
            if process.process is None and time.monotonic() >= process.restart_at:
                process.start()
            elif process.exited():
                process.schedule_restart()
        time.sleep(POLL_INTERVAL)
    code = web.process.returncode if web.exited() else 0
    say("stopping")
    everything = (web, *restartable)
    for process in everything:
        process.stop()
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in everything:
        process.wait(deadline)
    return code


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--log-dir", type=Path, default=Path("var"))
    options = parser.parse_args(argv)
    options.log_dir.mkdir(parents=True, exist_ok=True)
    named = commands(options.port, options.workers, options.log_dir)
    web = Supervised("web", named["web"])
    restartable = [
        Supervised("worker", named["worker"]),
        Supervised("deliveries", named["deliveries"], worker_environment("deliveries")),
        Supervised("backoff", named["backoff"], worker_environment("backoff")),
        Supervised("beat", named["beat"]),
    ]
    return supervise(web, restartable)


if __name__ == "__main__":
    sys.exit(main())
