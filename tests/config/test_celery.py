"""Celery keeps running where kombu or beat would stop: a connection closed under a channel
that still holds unacknowledged messages (celery/kombu#970), and beat on a fresh folder."""

import os
import subprocess
import uuid

import pytest
import redis
from kombu import Connection

import config.celery  # noqa: F401 (installs the guard, as every worker does)
from tests.stations.conftest import PUSH_REDIS_URL

from .test_processes import VENV_BIN, stop, wait_for
from .test_settings import BASE_DIR, CONFIG_VARIABLES


@pytest.fixture
def queue_name():
    name = f"kombu-970-{uuid.uuid4().hex}"
    yield name
    redis.Redis.from_url(PUSH_REDIS_URL).delete(name)


def test_a_channel_closed_after_its_connection_restores_its_unacked_message(queue_name):
    # Given a message taken from the queue and not yet acknowledged
    connection = Connection(PUSH_REDIS_URL)
    queue = connection.SimpleQueue(queue_name)
    queue.put({"delivery": 1})
    message = queue.get(timeout=5)
    # When the connection lets go of its transport first (as on a broker restart), and the
    # channel closes afterwards, restoring what it had taken
    connection._do_close_transport()
    message.channel.close()
    # Then the message is back in the queue (kombu alone raised AttributeError on 'hostname',
    # which stops the worker, and lost the message)
    assert redis.Redis.from_url(PUSH_REDIS_URL).llen(queue_name) == 1


@pytest.mark.slow
def test_beat_starts_with_dev_settings_a_redis_broker_and_a_fresh_folder(tmp_path):
    # Given dev settings, a Redis broker and a QIAOYIN_VAR_DIR that does not exist yet
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        CELERY_BROKER_URL=PUSH_REDIS_URL,
        QIAOYIN_VAR_DIR=str(tmp_path / "fresh" / "var"),
    )
    # When beat starts
    beat = subprocess.Popen(
        [VENV_BIN / "celery", "-A", "config", "beat", "--loglevel=INFO"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    schedule_dir = tmp_path / "fresh" / "var" / "celery"
    started = wait_for(lambda: any(schedule_dir.glob("beat-schedule*")), beat)
    output = stop(beat)
    # Then it runs and keeps its schedule there
    assert started, output[-3000:]
    assert "FileNotFoundError" not in output
