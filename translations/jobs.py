"""wagtail-localize's background jobs (WAGTAILLOCALIZE_JOBS) on Celery: the backend that
sends them and the task that runs them.

wagtail-localize ships immediate and django-rq backends only. Its jobs (translate a page's
subtree, synchronise a locale's tree) take model instances, which our JSON-only Celery cannot
carry, so instances travel as (model label, primary key) and are re-read by the worker.

wagtail_localize.models loads the backend while Django loads the models, so this module
imports no model; the task lives here, beside its backend, for the same reason (the worker
registers it when wagtail-localize loads).
"""

import logging

from django.apps import apps
from django.db import models
from django.utils.module_loading import import_string

from wagtail_localize.tasks import BaseJobBackend

from celery import shared_task

from config.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
RETRY_DELAY = 30
MAX_RETRIES = 5

MODEL_KEY = "__model__"


class NotSerializable(TypeError):
    pass


def encode(value):
    """JSON-safe form of a job argument: instances by label and pk, containers recursively."""
    if isinstance(value, models.Model):
        return {MODEL_KEY: value._meta.label, "pk": value.pk}
    if isinstance(value, list | tuple | models.QuerySet):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # wagtail-localize passes its translation-components form manager; with no registered
    # components (the newsroom has none) it does nothing, and the job accepts None for it.
    if type(value).__name__ == "TranslationComponentManager" and not value.components:
        return None
    raise NotSerializable(f"cannot send {type(value).__name__} to a Celery worker")


def decode(value):
    if isinstance(value, dict) and MODEL_KEY in value:
        model = apps.get_model(value[MODEL_KEY])
        instance = model._default_manager.get(pk=value["pk"])
        return instance.specific if hasattr(instance, "specific") else instance
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        return {key: decode(item) for key, item in value.items()}
    return value


def job_path(func):
    return f"{func.__module__}.{func.__qualname__}"


def run_job(path, args, kwargs):
    func = import_string(path)
    return func(*decode(args), **decode(kwargs))


@shared_task(acks_late=True, max_retries=MAX_RETRIES, default_retry_delay=RETRY_DELAY)
def run_localize_job(path, args, kwargs):
    """One wagtail-localize job, sent by CeleryJobBackend."""
    run_job(path, args, kwargs)


class CeleryJobBackend(BaseJobBackend):
    """wagtail-localize's jobs (WAGTAILLOCALIZE_JOBS), each sent to run_localize_job on commit."""

    def enqueue(self, func, args, kwargs):
        try:
            payload = (job_path(func), encode(list(args)), encode(dict(kwargs)))
        except NotSerializable as error:
            # Better done now, in the request, than lost.
            logger.warning("Running %s in the request: %s", job_path(func), error)
            func(*args, **kwargs)
            return
        enqueue_on_commit(run_localize_job, *payload)
