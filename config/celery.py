import os
from pathlib import Path

from celery import Celery
from celery.beat import PersistentScheduler
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("qiaoyin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Scheduler(PersistentScheduler):
    """Celery's file-backed beat scheduler, creating the file's folder first.

    A fresh QIAOYIN_VAR_DIR has no `celery/` folder, and beat would exit on
    FileNotFoundError; without beat the delivery sweep never runs. Done here, where beat
    opens the file, so every settings module and broker gets it.
    """

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()


# --- kombu's Redis transport after a lost connection (celery/kombu#970) -----------------------
# When Redis restarts, kombu may close a connection (which detaches its transport's `client`)
# before a channel of it restores its unacknowledged messages; the restore then builds a new
# connection pool from `transport.client.hostname` and dies with AttributeError
# ("'NoneType' object has no attribute 'hostname'"), which Celery treats as unrecoverable: the
# worker exits. No kombu release fixes it (5.7.0 is the newest). The guard: a channel keeps
# the connection parameters it last built, and uses them once its transport is detached, so
# the messages are restored and the worker reconnects.
_connparams = kombu_redis.Channel._connparams


def _connparams_surviving_detach(self, asynchronous=False):
    transport = self.connection
    if transport is not None and transport.client is not None:
        params = _connparams(self, asynchronous=asynchronous)
        self.__dict__.setdefault("_qiaoyin_connparams", {})[asynchronous] = params
        return params
    remembered = self.__dict__.get("_qiaoyin_connparams", {}).get(asynchronous)
    if remembered is None:
        # A connection error is recoverable: Celery reconnects instead of exiting.
        raise kombu_redis.redis.ConnectionError("broker connection closed")
    return dict(remembered)


kombu_redis.Channel._connparams = _connparams_surviving_detach
