"""Wagtail's own background tasks (the TASKS setting) on Celery, after commit.

Project-wide, like config/queue.py: every app's page saves queue these. The worker knows
`run_background_task` through CELERY_IMPORTS (config/settings/base.py), as this is no app.
"""

import json
import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.module_loading import import_string

from celery import shared_task
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.exceptions import InvalidTaskError
from django_tasks.utils import get_random_id, normalize_json

from config.queue import send_now

logger = logging.getLogger(__name__)
RETRY_DELAY = 30
MAX_RETRIES = 5


class CeleryTaskBackend(BaseTaskBackend):
    """Wagtail's own background tasks (TASKS setting) on Celery, once per object per commit.

    Wagtail 7 updates its admin search index and its reference index through django_tasks on
    every save of a page; with django_tasks' default ImmediateBackend that work runs inline, in
    the publishing transaction, once per save (a published translation is saved 3-5 times).
    This backend queues each distinct task call once, after the transaction commits, for a
    Celery worker (`run_background_task` below). No django_tasks Celery backend
    on PyPI is maintained for the django-tasks backport Wagtail 7.4 uses, hence these lines.
    Wagtail's tasks re-read their object, so one run after the last save is enough.
    """

    supports_async_task = False
    supports_priority = False
    supports_defer = False
    supports_get_result = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        if task.takes_context:
            raise InvalidTaskError("Tasks that take a context cannot be sent to Celery.")
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=normalize_json(args),
            kwargs=normalize_json(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        send_once_after_commit(task.module_path, result.args, result.kwargs)
        return result


class SendAfterCommit:
    """An on_commit callback that sends one task call to Celery; equal to any other for the
    same call, so a transaction registers it once."""

    def __init__(self, path, args, kwargs):
        self.call = (path, args, kwargs)
        self.key = json.dumps(self.call, sort_keys=True)
        self.sent = False

    def __eq__(self, other):
        return isinstance(other, SendAfterCommit) and other.key == self.key

    def __hash__(self):
        return hash(self.key)

    def __call__(self):
        # Sent: a later save in the same connection queues the call anew (tests run the
        # callbacks of a transaction that goes on, and leave them in its list).
        self.sent = True
        queued_calls(transaction.get_connection()).discard(self.key)
        send_now(run_background_task, *self.call)


def send_once_after_commit(path: str, args: list, kwargs: dict) -> None:
    """Queue the call after commit unless this transaction already has it queued."""
    callback = SendAfterCommit(path, args, kwargs)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        transaction.on_commit(callback)  # runs at once, as Django does outside a transaction
        return
    queued = queued_calls(connection)
    if callback.key not in queued:
        transaction.on_commit(callback)
        queued.add(callback.key)


def queued_calls(connection):
    """Keys of the calls waiting in this transaction's on_commit list. Django replaces that
    list (never edits it but to append) when a commit runs it or a rollback drops callbacks
    from it; the keys are then read again from the new list, so a call whose transaction or
    savepoint was rolled back is queued again by the next save."""
    cached = getattr(connection, "qiaoyin_queued_calls", None)
    if cached is None or cached[0] is not connection.run_on_commit:
        keys = {
            registered.key
            for _sids, registered, _robust in connection.run_on_commit
            if isinstance(registered, SendAfterCommit) and not registered.sent
        }
        cached = (connection.run_on_commit, keys)
        connection.qiaoyin_queued_calls = cached
    return cached[1]


@shared_task(acks_late=True, max_retries=MAX_RETRIES, default_retry_delay=RETRY_DELAY)
def run_background_task(path: str, args: list, kwargs: dict) -> None:
    """A worker runs one django_tasks task queued by CeleryTaskBackend (Wagtail's search and
    reference index updates)."""
    task = import_string(path)
    try:
        task.call(*args, **kwargs)
    except ObjectDoesNotExist:
        # Deleted since it was saved: its deletion has already removed it from the indexes.
        logger.info("%s%r: the object no longer exists", path, args)
