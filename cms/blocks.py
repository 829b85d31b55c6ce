from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from media.blocks import NewsMediaBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]


class OptionalCharBlock(blocks.CharBlock):
    """An optional line of text that is "" when empty, never None.

    A CharBlock left out of a block's stored value became None and was stored so (the demo
    and imported articles are written without their empty captions and alt texts), and
    wagtail-localize cannot extract None: such an article got no zh-hant edition.
    """

    def __init__(self, **kwargs):
        super().__init__(required=False, default="", **kwargs)

    def to_python(self, value):
        return "" if value is None else super().to_python(value)


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = OptionalCharBlock(
        label=_("caption"), help_text=_("Leave empty to use the image's caption")
    )
    credit = OptionalCharBlock(label=_("credit"))
    # Per-article alt text: wagtail-localize translates it with the article (docs/media.md).
    alt_text = OptionalCharBlock(
        label=_("alt text"),
        help_text=_("Leave empty to use the image's alt text"),
    )

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")


class GalleryBlock(blocks.StructBlock):
    title = OptionalCharBlock(label=_("title"))
    layout = blocks.ChoiceBlock(
        choices=[("grid", _("Grid")), ("carousel", _("Carousel"))],
        default="grid",
        label=_("layout"),
    )
    images = blocks.ListBlock(CaptionedImageBlock(), min_num=1, label=_("images"))

    class Meta:
        icon = "image"
        template = "blocks/gallery.html"
        label = _("Gallery")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = OptionalCharBlock(label=_("attribution"))

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = _("Quote")


class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("video or embed URL"))
    caption = OptionalCharBlock(label=_("caption"))

    class Meta:
        icon = "media"
        template = "blocks/embed.html"
        label = _("Video / embed")


class RelatedLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    page = blocks.PageChooserBlock(required=False, label=_("page"))
    url = blocks.URLBlock(required=False, label=_("external URL"))

    class Meta:
        icon = "link"
        template = "blocks/related_link.html"
        label = _("Related link")


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    body = blocks.RichTextBlock(features=["bold", "italic", "ul", "ol", "link"], label=_("facts"))

    class Meta:
        icon = "list-ul"
        template = "blocks/fact_box.html"
        label = _("Fact box")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    embed = VideoEmbedBlock()
    media = NewsMediaBlock()
    related_link = RelatedLinkBlock()
    fact_box = FactBoxBlock()


class StandardBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    fact_box = FactBoxBlock()
