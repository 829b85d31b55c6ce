"""Page lifecycle → side effects. Work is queued on commit, never inside the transaction."""

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import page_cache


def clear_page_cache(**kwargs):
    # The whole anonymous page cache goes, after the commit; it refills on the next visits.
    page_cache.clear_after_commit()


def clear_page_cache_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear_page_cache()


def register_signal_handlers():
    page_published.connect(clear_page_cache, dispatch_uid="cms_clear_cache_published")
    page_unpublished.connect(clear_page_cache, dispatch_uid="cms_clear_cache_unpublished")
    post_delete.connect(clear_page_cache_on_delete, dispatch_uid="cms_clear_cache_deleted")
