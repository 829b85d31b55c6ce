"""The production processes start as docs/deployment.md says, on a fresh host folder."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .test_settings import BASE_DIR, CONFIG_VARIABLES, PRODUCTION_VARIABLES

pytestmark = pytest.mark.slow
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT = 60


def production_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(
        PRODUCTION_VARIABLES,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        # The machine's services; healthz only needs to reach them.
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        # Caches on 12, the broker on 13, as before (the default would be REDIS_URL's next
        # database, which another checkout's tests may use).
        REDIS_URL="redis://127.0.0.1:6379/12",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/13",
        QIAOYIN_VAR_DIR=str(tmp_path / "var"),
    )
    return env


def wait_for(condition, process):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if condition():
            return True
        time.sleep(0.5)
    return False


def stop(process):
    process.terminate()
    try:
        return process.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_beat_starts_on_a_fresh_host_and_keeps_its_schedule(tmp_path):
    # Given production settings and an empty QIAOYIN_VAR_DIR
    env = production_env(tmp_path)
    # When beat starts with the documented command
    beat = subprocess.Popen(
        [VENV_BIN / "celery", "-A", "config", "beat", "--loglevel=INFO"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    schedule_dir = tmp_path / "var" / "celery"
    started = wait_for(lambda: any(schedule_dir.glob("beat-schedule*")), beat)
    output = stop(beat)
    # Then it runs and has written its schedule file
    assert started, output[-3000:]


def test_gunicorn_serves_the_health_probe(tmp_path):
    # Given production settings
    env = production_env(tmp_path)
    port = free_port()
    # When the web process starts with the documented command
    web = subprocess.Popen(
        [
            VENV_BIN / "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def probe():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"Host": "news.example.org"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                probe.answer = (response.status, response.read().decode())
                return True
        except OSError:
            return False

    answered = wait_for(probe, web)
    output = stop(web)
    # Then the load balancer's probe gets 200 over plain HTTP (no HTTPS redirect)
    assert answered, output[-3000:]
    assert probe.answer == (200, '{"status": "ok", "database": "ok", "cache": "ok"}')
