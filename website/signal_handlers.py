"""Forget the cached site frame (website/frame.py) whenever what it shows may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtailcache.cache import clear_cache

from . import frame


def forget_frame(**kwargs):
    # Now, so this request's later renders see the change, and again after the commit,
    # so a request that rebuilt the frame from pre-commit rows meanwhile does not keep it.
    frame.bump_version()
    transaction.on_commit(frame.bump_version)


def forget_frame_and_pages(**kwargs):
    """A snippet shown on pages (a byline, a source, a station in the footer) changed, or
    got its translation: the frame and the anonymous page cache both go, after the commit."""
    forget_frame()
    transaction.on_commit(clear_cache)


def forget_frame_for_page(sender, instance, **kwargs):
    # Homes and channels are the only pages the frame shows; any page deletion or move
    # may take a channel or home with it (tree deletes and moves save through here).
    from cms.models import ChannelPage, HomePage

    if isinstance(instance, (HomePage, ChannelPage)) or (
        kwargs.get("signal") is post_delete and isinstance(instance, Page)
    ):
        forget_frame()


def register_signal_handlers():
    from taggit.models import Tag
    from wagtail.images import get_image_model

    from cms.models import Author, Country, Source
    from stations.models import LiaisonStation, StationName

    page_published.connect(forget_frame, dispatch_uid="website_frame_published")
    page_unpublished.connect(forget_frame, dispatch_uid="website_frame_unpublished")
    post_page_move.connect(forget_frame, dispatch_uid="website_frame_page_moved")
    post_save.connect(forget_frame_for_page, dispatch_uid="website_frame_page_saved")
    post_delete.connect(forget_frame_for_page, dispatch_uid="website_frame_page_deleted")
    # Images, authors, sources and tags are cached as shared data (frame.shared_objects),
    # and an image's focal point, file or alt text shows in the cached article cards.
    models = [Locale, Site, PageViewRestriction, get_image_model(), Tag]
    for model in models:
        name = model._meta.label_lower
        post_save.connect(forget_frame, sender=model, dispatch_uid=f"website_frame_{name}_saved")
        post_delete.connect(
            forget_frame, sender=model, dispatch_uid=f"website_frame_{name}_deleted"
        )
    # Snippets are edited outside page publishing, which is what clears the page cache.
    for model in [LiaisonStation, StationName, Country, Author, Source]:
        name = model._meta.label_lower
        post_save.connect(
            forget_frame_and_pages, sender=model, dispatch_uid=f"website_frame_{name}_saved"
        )
        post_delete.connect(
            forget_frame_and_pages, sender=model, dispatch_uid=f"website_frame_{name}_deleted"
        )
    # A deleted rendition's file is gone: the cached <picture>s (frame.shared_html) that
    # name it must go too. A new one needs nothing: pictures are cached once all exist.
    rendition_model = get_image_model().get_rendition_model()
    post_delete.connect(
        forget_frame, sender=rendition_model, dispatch_uid="website_frame_rendition_deleted"
    )
