"""Page lifecycle → delivery rows (same transaction) → Celery tasks (on commit)."""

from django.db.models.signals import pre_delete

from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage

from .outbox import record_publish, record_takedown


def _is_article(instance):
    return isinstance(instance, ArticlePage)


def on_published(sender, instance, revision=None, **kwargs):
    if _is_article(instance):
        record_publish(instance, revision)


def on_unpublished(sender, instance, **kwargs):
    if _is_article(instance):
        record_takedown(instance)


def on_deleted(sender, instance, **kwargs):
    if _is_article(instance) and instance.uri:
        record_takedown(instance, deleted=True)


def register_signal_handlers():
    page_published.connect(on_published, dispatch_uid="stations_push_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="stations_push_unpublished")
    pre_delete.connect(on_deleted, dispatch_uid="stations_push_deleted")
