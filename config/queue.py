"""Queue Celery work after the current transaction commits, without ever breaking it.

By the time on_commit callbacks run, the editor's change is stored. A broker outage at that
moment must not turn the publish into an error page, nor stop the remaining on_commit
callbacks (Django skips them after one raises): the failure is logged, and each app's
periodic sweep (stations' delivery sweep, search's reconciliation) catches up.
"""

import logging

from django.db import transaction

from celery import Task

logger = logging.getLogger(__name__)


def send_now(task: Task, *args: object, **options: object) -> bool:
    """Send a task once, failing fast; return whether the broker took it."""
    try:
        task.apply_async(args, retry=False, **options)
    except Exception:
        logger.exception("Could not queue %s%r; its periodic sweep will catch up", task.name, args)
        return False
    return True


def enqueue_on_commit(task: Task, *args: object, **options: object) -> None:
    """`task.apply_async(args, **options)` once the transaction commits."""
    transaction.on_commit(lambda: send_now(task, *args, **options), robust=True)
