"""Publishing and unpublishing of Simplified articles → translation tasks, after commit;
a new Simplified channel gets its translation options (the defaults)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage
from config.queue import enqueue_on_commit

from .models import ChannelTranslationSettings
from .tasks import source_published, source_taken_down
from .traditional import produce_traditional_snippet


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


def on_channel_saved(sender, instance, created, **kwargs):
    if created and not kwargs.get("raw"):
        ChannelTranslationSettings.ensure_for_channel(instance)


def on_snippet_saved(sender, instance, raw=False, **kwargs):
    """A Simplified author, source or country gets its zh-hant version (OpenCC), after the
    commit: the snippet is then complete (a byline's country saved with it)."""
    if raw or instance.locale.language_code != settings.LANGUAGE_CODE:
        return
    pk = instance.pk
    transaction.on_commit(lambda: _produce_traditional_snippet(sender, pk))


def _produce_traditional_snippet(model, pk):
    snippet = model.objects.filter(pk=pk).first()
    if snippet is not None:
        produce_traditional_snippet(snippet)


def register_signal_handlers():
    from cms.models import Author, ChannelPage, Country, Source

    post_save.connect(
        on_channel_saved, sender=ChannelPage, dispatch_uid="translations_channel_options"
    )
    for model in (Country, Source, Author):
        post_save.connect(
            on_snippet_saved,
            sender=model,
            dispatch_uid=f"translations_traditional_{model._meta.model_name}",
        )
    page_published.connect(on_page_published, dispatch_uid="translations_source_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="translations_source_unpublished")
