"""The database engine's documents, and the newsroom's user dictionary and synonyms."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel

from .folding import normalise


class SearchDocument(models.Model):
    """One live article as the database engine indexes it.

    The full-text structure itself is vendor-specific and lives outside the ORM: a weighted
    `tsvector` column with a GIN index on PostgreSQL, an FTS5 table on SQLite (see the
    0001 migration and engines/database.py).
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    locale = models.CharField(max_length=20)
    uri = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    title_normalised = models.CharField(max_length=500)
    text = models.TextField(blank=True, help_text="Summary and body as readers see them.")
    # Space-separated terms from analysis.index_terms, one weight class each.
    title_terms = models.TextField(blank=True)
    lead_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    grams = models.TextField(blank=True)
    channel = models.CharField(max_length=255, blank=True)
    channel_title = models.CharField(max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    # Space-separated facet values on the row itself: counting facets over thousands of
    # matches reads only the matched rows, not a join over every SearchFacet row.
    countries = models.TextField(blank=True)
    topics = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The only b-tree the engine's queries use (locale, newest first). Single-column
        # indexes on locale, channel, year, date and the normalised title (read with a
        # substring match, which a b-tree cannot serve) were maintained on every write
        # and never read.
        indexes = [models.Index(fields=["locale", "-published_at"], name="search_doc_locale_date")]

    def __str__(self):
        return self.title


class SearchFacet(models.Model):
    """One facet value of a document (channel, topic, tag, country, year).

    A row per value keeps filters and facet counts in portable ORM queries on both SQLite
    and PostgreSQL (JSON containment lookups are not portable).
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=10)
    value = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="search_facet_kind_value")]

    def __str__(self):
        return f"{self.kind}={self.value}"


class DictionaryWord(models.Model):
    """A name segmentation must keep whole: 亲情中华, 侨助工坊, a correspondent's name."""

    word = models.CharField(_("word"), max_length=50, unique=True)
    frequency = models.PositiveIntegerField(
        _("frequency"),
        null=True,
        blank=True,
        help_text=_("Leave empty: jieba then picks a frequency that keeps the word whole."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("word"), FieldPanel("frequency"), FieldPanel("note")]

    class Meta:
        verbose_name = _("dictionary word")
        verbose_name_plural = _("search dictionary")
        ordering = ["word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = self.word.strip()
        if not self.word or any(ch.isspace() for ch in self.word):
            raise ValidationError({"word": _("A word cannot contain spaces.")})


class Synonym(models.Model):
    """Words a reader may use for the same thing: 华文教育, 中文教育, 华教."""

    terms = models.CharField(
        _("terms"),
        max_length=500,
        help_text=_("Comma-separated words that mean the same, e.g. 华文教育, 中文教育, 华教"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("search synonyms")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def normalised_terms(self):
        parts = self.terms.replace("，", ",").replace("、", ",").split(",")
        return [normalise(part.strip()) for part in parts if part.strip()]

    def clean(self):
        if len(self.normalised_terms()) < 2:
            raise ValidationError({"terms": _("Give at least two words.")})


class StopWord(models.Model):
    """A word that carries no meaning of its own in a query (怎么, 的, the): never required.

    A query still matches through its other words; a query made only of stop words is
    searched as it was typed. Seeded with the usual Chinese question words, particles and
    function words and the English stop words (migration 0006); the newsroom edits the list
    like the synonyms."""

    word = models.CharField(_("word"), max_length=50, unique=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("word"), FieldPanel("note")]

    class Meta:
        verbose_name = _("stop word")
        verbose_name_plural = _("search stop words")
        ordering = ["word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = self.word.strip()
        if not self.word or any(ch.isspace() for ch in self.word):
            raise ValidationError({"word": _("A word cannot contain spaces.")})
