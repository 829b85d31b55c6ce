"""Publishing and unpublishing of Simplified articles → translation tasks, after commit."""

from django.conf import settings

from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage
from config.queue import enqueue_on_commit

from .models import ChannelTranslationSettings
from .tasks import source_published, source_taken_down


def _is_source_article(page):
    return isinstance(page, ArticlePage) and page.locale.language_code == settings.LANGUAGE_CODE


def on_page_published(sender, instance, **kwargs):
    if not _is_source_article(instance):
        return

    enqueue_on_commit(source_published, instance.pk)


def on_page_unpublished(sender, instance, **kwargs):
    if not _is_source_article(instance):
        return
    options = ChannelTranslationSettings.for_page(instance)
    if options is None or options.traditional_edition == options.TraditionalEdition.OFF:
        return

    translation_key = str(instance.translation_key)
    enqueue_on_commit(source_taken_down, translation_key)


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="translations_source_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="translations_source_unpublished")
