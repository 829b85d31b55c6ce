"""Queue Celery work after the current transaction commits, without ever breaking it.

By the time on_commit callbacks run, the editor's change is stored. A broker outage at that
moment must not turn the publish into an error page, nor stop the remaining on_commit
callbacks (Django skips them after one raises): the failure is logged, and each app's
periodic sweep (stations' delivery sweep, search's reconciliation) catches up.
"""

import logging
import time

from django.db import transaction

from celery import Task

logger = logging.getLogger(__name__)
# After a failed send, the same broker is not tried again for this long: a publish queues
# several tasks, and each attempt on a dead broker costs its connect timeout.
BROKER_RETRY_AFTER = 10.0
_broker_down_until: dict[str, float] = {}  # broker URL → monotonic time


def send_now(task: Task, *args: object, **options: object) -> bool:
    """Send a task once, failing fast; return whether the broker took it."""
    broker = str(task.app.conf.broker_url)
    if time.monotonic() < _broker_down_until.get(broker, 0.0):
        logger.error(
            "Broker unavailable: %s%r not queued; its sweep will catch up", task.name, args
        )
        return False
    try:
        task.apply_async(args, retry=False, **options)
    except Exception:
        _broker_down_until[broker] = time.monotonic() + BROKER_RETRY_AFTER
        logger.exception("Could not queue %s%r; its periodic sweep will catch up", task.name, args)
        return False
    _broker_down_until.pop(broker, None)
    return True


def enqueue_on_commit(task: Task, *args: object, **options: object) -> None:
    """`task.apply_async(args, **options)` once the transaction commits."""
    transaction.on_commit(lambda: send_now(task, *args, **options), robust=True)
