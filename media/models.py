import io
import mimetypes
from contextlib import contextmanager

from django.core.files import File
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index

from wagtailmedia.models import AbstractMedia

from . import renditions as rendition_sets
from .reader_text import reader_text
from .storage import public_storage


class NewsImage(AbstractImage):
    """A news photo: caption, credit, licence and alt text travel with the image everywhere.

    The image's own caption and alt text are written in the newsroom's working language
    (zh-hans). Each article translates them through the image block's caption/alt-text
    overrides, which wagtail-localize extracts as segments (docs/media.md).
    """

    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Photographer or agency")
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    licence = models.CharField(
        _("licence"),
        max_length=255,
        blank=True,
        help_text=_("For example: 版权所有 © 侨音, CC BY 4.0, agency licence terms."),
    )
    location = models.CharField(
        _("location"), max_length=255, blank=True, help_text=_("Where the photo was taken.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_(
            "Describes the image for readers who cannot see it. "
            "Required before an article using the image is published."
        ),
    )

    admin_form_fields = Image.admin_form_fields + (
        "caption",
        "alt_text",
        "credit",
        "source",
        "licence",
        "location",
        "latitude",
        "longitude",
    )
    search_fields = AbstractImage.search_fields + [
        index.SearchField("caption"),
        index.SearchField("credit"),
        index.SearchField("location"),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_newsimage", "Can choose image")]

    @property
    def default_alt_text(self):
        # Wagtail's {% image %} and {% srcset_image %} read it too: in the script of the
        # edition being shown (media/reader_text.py).
        return reader_text(self.alt_text or self.caption or self.title)

    # What readers see, in the script of the edition being shown.
    @property
    def reader_alt_text(self):
        return self.default_alt_text

    @property
    def reader_caption(self):
        return reader_text(self.caption)

    @property
    def reader_credit(self):
        return reader_text(self.credit, keep=True)

    # --- renditions: decode the original once per set (media/renditions.py) -------------
    def create_renditions(self, *filters):
        with self.reduced_source_for(filters):
            return super().create_renditions(*filters)

    @contextmanager
    def reduced_source_for(self, filters):
        """While active, renditions are cut from one reduced decode of the original."""
        self._reduced_source = None
        if len(filters) > 1 and rendition_sets.all_have_output_format(filters):
            with self.open_file() as handle:
                data = handle.read()
            scale = rendition_sets.needed_scale(self, filters)
            reduced = rendition_sets.reduced_source(data, scale)
            if reduced is not None:
                self._reduced_source = (reduced[0], rendition_sets.scaled_copy(self, reduced[1]))
        try:
            yield
        finally:
            self._reduced_source = None

    def generate_rendition_file(self, filter, *, source=None):
        reduced = getattr(self, "_reduced_source", None)
        if reduced is None:
            return super().generate_rendition_file(filter, source=source)
        data, proxy = reduced
        return AbstractImage.generate_rendition_file(
            proxy, filter, source=File(io.BytesIO(data), name=self.file.name)
        )


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class NewsMedia(AbstractMedia):
    """Video or audio (wagtailmedia) with a poster, a transcript and a subtitles file.

    Files are public content (readers play them), so they live in the public storage even
    when originals of photos are private (media/storage.py).
    """

    file = models.FileField(upload_to="media", verbose_name=_("file"), storage=public_storage)
    thumbnail = models.FileField(
        upload_to="media_thumbnails",
        blank=True,
        verbose_name=_("thumbnail"),
        storage=public_storage,
    )
    poster = models.ForeignKey(
        NewsImage,
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown before a video plays, and as the picture of an audio item."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("The full text of what is said.")
    )
    subtitles = models.FileField(
        _("subtitles (WebVTT)"),
        upload_to="media_subtitles",
        blank=True,
        storage=public_storage,
        validators=[FileExtensionValidator(["vtt"])],
    )
    subtitles_language = models.CharField(
        _("subtitles language"), max_length=16, blank=True, default="zh-hans"
    )

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "duration",
        "width",
        "height",
        "thumbnail",
        "poster",
        "caption",
        "credit",
        "licence",
        "transcript",
        "subtitles",
        "subtitles_language",
        "tags",
    )

    class Meta(AbstractMedia.Meta):
        verbose_name = _("video or audio")
        verbose_name_plural = _("video and audio")

    def clean(self, *args, **kwargs):
        # A file the form refused (media/av_uploads.py says why) is not set here; checking
        # the extension of no file would only add a confusing second message.
        if self.file:
            super().clean(*args, **kwargs)

    @property
    def mime_type(self):
        guessed = mimetypes.guess_type(self.file.name)[0]
        return guessed or ("audio/mpeg" if self.type == "audio" else "video/mp4")
