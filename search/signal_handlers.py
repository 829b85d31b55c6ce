"""Publish, correction (a new published revision), unpublish and delete → index task on commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage, TopicPage
from config.queue import enqueue_on_commit

from .analysis import dictionary_changed
from .models import DictionaryWord, StopWord, Synonym
from .tasks import DICTIONARY_REBUILD_DELAY_SECONDS, index_page, rebuild_index, remove_page


def _enqueue_index(page_id):
    enqueue_on_commit(index_page, page_id)


def page_changed(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        _enqueue_index(instance.pk)
    elif isinstance(instance, TopicPage):
        # The topic facet of its articles changes with the topic.
        for article_id in instance.topic_articles.values_list("article_id", flat=True):
            _enqueue_index(article_id)


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        enqueue_on_commit(remove_page, instance.pk)


def dictionary_edited(sender, **kwargs):
    # Queries see the change at once; articles are re-segmented by a rebuild shortly after.
    transaction.on_commit(dictionary_changed)
    enqueue_on_commit(rebuild_index, countdown=DICTIONARY_REBUILD_DELAY_SECONDS)


def stop_words_edited(sender, **kwargs):
    transaction.on_commit(dictionary_changed)


def register_signal_handlers():
    page_published.connect(page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="search_page_unpublished")
    post_delete.connect(page_deleted, sender=ArticlePage, dispatch_uid="search_page_deleted")
    for model in (DictionaryWord, Synonym):
        for signal in (post_save, post_delete):
            uid = f"search_{model.__name__}_{id(signal)}"
            signal.connect(dictionary_edited, sender=model, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        # Stop words change queries only: nothing indexed needs re-segmenting.
        uid = f"search_StopWord_{id(signal)}"
        signal.connect(stop_words_edited, sender=StopWord, dispatch_uid=uid)
