"""StreamField blocks for video and audio (wagtailmedia), used by cms.blocks."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from wagtailmedia.blocks import AbstractMediaChooserBlock


class MediaChooserBlock(AbstractMediaChooserBlock):
    """Chooses a video or audio item; NewsMediaBlock's template renders it."""

    def render_basic(self, value, context=None):
        return ""


class NewsMediaBlock(blocks.StructBlock):
    media = MediaChooserBlock(label=_("video or audio"))
    caption = blocks.CharBlock(
        required=False,
        default="",
        label=_("caption"),
        help_text=_("Leave empty to use the item's caption; translated with the article"),
    )

    class Meta:
        icon = "media"
        template = "media/blocks/media.html"
        label = _("Video / audio file")
