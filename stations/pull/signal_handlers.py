"""Article published, unpublished or deleted → the WebSub hub ping, queued on commit."""

from django.db.models.signals import pre_delete

from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage
from config.queue import enqueue_on_commit

from .feeds.content import websub_hub_url
from .tasks import notify_websub_hub
from .websub import feeds_of_article


def _queue_ping(article):
    if not websub_hub_url():
        return
    enqueue_on_commit(notify_websub_hub, feeds_of_article(article))


def on_article_published(sender, instance, **kwargs):
    _queue_ping(instance)


def on_article_deleted(sender, instance, **kwargs):
    if instance.live:
        _queue_ping(instance)


def register_signal_handlers():
    for signal, uid in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(on_article_published, sender=ArticlePage, dispatch_uid=f"websub_{uid}")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="websub_deleted")
