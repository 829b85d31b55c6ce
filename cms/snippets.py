"""Translatable snippets shared by articles: countries, sources, authors and correspondents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Country(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("ISO 3166 code"), max_length=8, help_text=_("Two-letter code, e.g. IT, ES, BR")
    )

    panels = [FieldPanel("name"), FieldPanel("code")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("country or region")
        verbose_name_plural = _("countries and regions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Source(TranslatableMixin, index.Indexed, models.Model):
    """来源: where an article comes from (our centre, a partner paper, a liaison station)."""

    name = models.CharField(_("name"), max_length=150)
    url = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Author(TranslatableMixin, index.Indexed, models.Model):
    """A byline: staff reporters and editors, and 海外传播官 overseas correspondents."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        EDITOR = "editor", _("Editor")
        CORRESPONDENT = "correspondent", _("Overseas correspondent")
        PHOTOGRAPHER = "photographer", _("Photographer")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country or region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo = models.ForeignKey(
        "media.NewsImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("biography"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("country"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("author or correspondent")
        verbose_name_plural = _("authors and correspondents")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name

    @property
    def is_correspondent(self):
        return self.role == self.Role.CORRESPONDENT
