"""What the engines index for one article: the same plain dictionary for every engine."""

from dataclasses import dataclass, field
from datetime import datetime

from wagtail import blocks

from cms.models import ArticlePage, TopicArticle

from .analysis import as_terms_text, cjk_grams, normalise

MAX_BODY_CHARS = 20_000  # very long articles: the start carries what readers search for


@dataclass
class ArticleDocument:
    page_id: int
    locale: str
    uri: str
    url: str
    title: str
    kicker: str
    subtitle: str
    summary: str
    body: str
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    channel: str = ""
    channel_title: str = ""
    topics: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    published_at: datetime | None = None

    @property
    def year(self):
        return self.published_at.year if self.published_at else None

    @property
    def lead(self):
        """Kicker, subtitle, tags and bylines: weighted between the title and the summary."""
        return " ".join([self.kicker, self.subtitle, *self.tags, *self.authors])

    @property
    def text(self):
        return "\n".join(part for part in (self.summary, self.body) if part)

    def terms(self):
        """Pre-segmented, normalised text per weight class (jieba + OpenCC)."""
        return {
            "title_terms": as_terms_text(self.title),
            "lead_terms": as_terms_text(self.lead),
            "summary_terms": as_terms_text(self.summary),
            "body_terms": as_terms_text(self.body),
            "grams": " ".join(cjk_grams(f"{self.title} {self.lead} {self.text}")),
            "title_normalised": normalise(self.title),
        }


def body_text(page):
    block = ArticlePage._meta.get_field("body").stream_block
    parts = _visible_text(block, page.body)
    return " ".join(str(part) for part in parts if part)[:MAX_BODY_CHARS]


def _visible_text(block, value):
    """The words readers see in a block. Wagtail's own searchable content also gives a
    choice's label (a gallery's 网格/Grid layout), which is nowhere on the page; optional
    fields left empty come back as None, not words readers wrote."""
    if value is None or isinstance(block, blocks.ChoiceBlock):
        return []
    if isinstance(block, blocks.StreamBlock):
        return [text for child in value for text in _visible_text(child.block, child.value)]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in _visible_text(block.child_block, item)]
    if isinstance(block, blocks.StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            for text in _visible_text(child, value.get(name))
        ]
    return block.get_searchable_content(value)


def topic_slugs(page):
    links = TopicArticle.objects.filter(article_id=page.pk, page__live=True)
    return sorted({link.page.slug for link in links.select_related("page")})


def build_document(page):
    channel = page.get_parent().specific
    return ArticleDocument(
        page_id=page.pk,
        locale=page.locale.language_code,
        uri=page.uri,
        url=page.get_url() or page.url_path,
        title=page.title,
        kicker=page.kicker,
        subtitle=page.subtitle,
        summary=page.summary,
        body=body_text(page),
        tags=[tag.name for tag in page.tags.all()],
        authors=[author.name for author in page.byline],
        channel=channel.slug,
        channel_title=channel.title,
        topics=topic_slugs(page),
        countries=sorted({country.code.upper() for country in page.countries.all()}),
        published_at=page.publication_date,
    )


def indexable_articles(locale=None):
    """Live, public articles: the only pages readers may find."""
    pages = ArticlePage.objects.live().public().select_related("locale")
    if locale:
        pages = pages.filter(locale__language_code=locale)
    return pages.order_by("pk")


def is_indexable(page_id):
    return indexable_articles().filter(pk=page_id).exists()
