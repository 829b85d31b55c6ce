"""Make the cached fragments (website/fragments.py) stale whenever what they show may change."""

from django.db.models.signals import post_delete, post_save

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.page_cache import clear_after_commit

from . import fragments


def forget_fragments(**kwargs):
    # After the commit only: a request that renders before it still sees the old rows,
    # and no Redis call runs inside the publishing transaction.
    fragments.bump_after_commit()


def forget_fragments_and_pages(**kwargs):
    """A snippet shown on pages (a byline, a source, a station in the footer) changed, or
    got its translation: the fragments and the anonymous page cache both go, after the
    commit (each retried by beat if the cache is down)."""
    forget_fragments()
    clear_after_commit()


def forget_fragments_for_page(sender, instance, **kwargs):
    # Homes and channels show in the frame; any page deletion or move may take a channel
    # or home with it (tree deletes and moves save through here).
    from cms.models import ChannelPage, HomePage

    if isinstance(instance, (HomePage, ChannelPage)) or (
        kwargs.get("signal") is post_delete and isinstance(instance, Page)
    ):
        forget_fragments()


def register_signal_handlers():
    from taggit.models import Tag
    from wagtail.images import get_image_model

    from cms.models import Author, Country, Source
    from stations.models import LiaisonStation, StationName

    page_published.connect(forget_fragments, dispatch_uid="website_frame_published")
    page_unpublished.connect(forget_fragments, dispatch_uid="website_frame_unpublished")
    post_page_move.connect(forget_fragments, dispatch_uid="website_frame_page_moved")
    post_save.connect(forget_fragments_for_page, dispatch_uid="website_frame_page_saved")
    post_delete.connect(forget_fragments_for_page, dispatch_uid="website_frame_page_deleted")
    # An image's focal point, file or alt text shows in the cached pictures and cards; a
    # tag's name in the cached related cards' pages.
    models = [Locale, Site, PageViewRestriction, get_image_model(), Tag]
    for model in models:
        name = model._meta.label_lower
        post_save.connect(
            forget_fragments, sender=model, dispatch_uid=f"website_frame_{name}_saved"
        )
        post_delete.connect(
            forget_fragments, sender=model, dispatch_uid=f"website_frame_{name}_deleted"
        )
    # Snippets are edited outside page publishing, which is what clears the page cache.
    for model in [LiaisonStation, StationName, Country, Author, Source]:
        name = model._meta.label_lower
        post_save.connect(
            forget_fragments_and_pages, sender=model, dispatch_uid=f"website_frame_{name}_saved"
        )
        post_delete.connect(
            forget_fragments_and_pages,
            sender=model,
            dispatch_uid=f"website_frame_{name}_deleted",
        )
    # A deleted rendition's file is gone: the cached <picture>s that name it must go too.
    # A new one needs nothing: pictures are kept only once all their renditions exist.
    rendition_model = get_image_model().get_rendition_model()
    post_delete.connect(
        forget_fragments, sender=rendition_model, dispatch_uid="website_frame_rendition_deleted"
    )
