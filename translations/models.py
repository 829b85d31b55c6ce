"""The newsroom's translation settings: per-channel options, the glossary, DeepL's copies of
the glossary, and human confirmations of machine-filled translations.

wagtail-localize owns the translation data itself (sources, strings, segment translations);
these models only add what the newsroom decides on top of it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cms.models import ChannelPage


class ChannelTranslationSettings(models.Model):
    """How one channel's articles are translated (keyed on the Chinese channel page)."""

    class TraditionalEdition(models.TextChoices):
        OFF = "off", _("Not automatic")
        DRAFT = "draft", _("Draft, wait for review")
        PUBLISH = "publish", _("Create and publish")

    channel = models.OneToOneField(
        "cms.ChannelPage",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="translation_settings",
    )
    traditional_edition = models.CharField(
        _("Traditional Chinese edition"),
        max_length=10,
        choices=TraditionalEdition.choices,
        # Every article gets its zh-hant edition unless the channel's editors turn it off.
        default=TraditionalEdition.PUBLISH,
        help_text=_(
            "OpenCC converts each Simplified article when it is published or corrected; "
            "the Traditional edition is taken down with the original."
        ),
    )
    review_machine_translations = models.BooleanField(
        _("Machine translations need a human's confirmation"),
        default=False,
        help_text=_(
            "A translation with machine-filled segments cannot be published until "
            "a translator or editor confirms it."
        ),
    )
    notify_translators = models.BooleanField(
        _("Notify translators on publish"),
        default=False,
        help_text=_("E-mail the translators of every language when an article is published."),
    )

    panels = [
        FieldPanel("channel"),
        FieldPanel("traditional_edition"),
        FieldPanel("review_machine_translations"),
        FieldPanel("notify_translators"),
    ]

    class Meta:
        verbose_name = _("channel translation settings")
        verbose_name_plural = _("channel translation settings")

    def __str__(self):
        return str(self.channel)

    @classmethod
    def for_page(cls, page):
        """The settings of the channel `page` lives in, whichever language edition it is;
        the defaults (unsaved) for a channel that has no entry yet."""
        parent = page.get_parent()
        if parent is None:
            return None
        stored = (
            cls.objects.filter(channel__translation_key=parent.translation_key)
            .select_related("channel")
            .first()
        )
        if stored is None and issubclass(parent.specific_class, ChannelPage):
            return cls()
        return stored

    @classmethod
    def ensure_for_channel(cls, channel):
        """A Simplified channel's entry with the defaults, so editors find every channel in
        the list (and can turn its zh-hant edition off)."""
        if channel.locale.language_code == settings.LANGUAGE_CODE:
            cls.objects.get_or_create(channel=channel)


class GlossaryTerm(ClusterableModel):
    """A newsroom term in Simplified Chinese and how each language edition renders it."""

    term = models.CharField(_("term (Simplified Chinese)"), max_length=200, unique=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    panels = [
        FieldPanel("term"),
        FieldPanel("note"),
        InlinePanel("renderings", label=_("renderings")),
    ]

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self):
        return self.term


class GlossaryRendering(Orderable):
    term = ParentalKey(GlossaryTerm, related_name="renderings", on_delete=models.CASCADE)
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.CASCADE
    )
    text = models.CharField(_("rendering"), max_length=200)

    panels = [FieldPanel("locale"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["term", "locale"], name="one_rendering_per_locale")
        ]

    def __str__(self):
        return f"{self.term_id} → {self.text}"


class DeepLGlossary(models.Model):
    """The glossary DeepL holds for one language pair, and the entries it was built from.

    DeepL glossaries cannot be edited, so a changed glossary is uploaded anew (and the old one
    deleted) the next time a translation needs it.
    """

    source_lang = models.CharField(max_length=10)
    target_lang = models.CharField(max_length=10)
    glossary_id = models.CharField(max_length=100)
    entries_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_lang", "target_lang"], name="one_deepl_glossary_per_pair"
            )
        ]


class MachineTranslationConfirmation(models.Model):
    """A person's confirmation that a translation's machine-filled segments were reviewed.

    It covers the machine segments that existed when it was given; segments machine-filled
    later need a new confirmation.
    """

    translation = models.ForeignKey(
        "wagtail_localize.Translation", on_delete=models.CASCADE, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        get_latest_by = "confirmed_at"
