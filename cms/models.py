"""Page models of the newsroom. Snippets live in snippets.py and are re-exported here."""

import logging

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index
from wagtailcache.cache import WagtailCacheMixin

from config.identifiers import urn
from config.providers import MORE_LIKE_THIS, SEARCH_PAGE_CONTEXT, provided
from media.reader_text import reader_text

from .blocks import ArticleBodyBlock, StandardBodyBlock
from .forms import ArticleEditorForm, NewsroomPageForm
from .panels import ARTICLE_PANEL_HOOK, RegisteredPanels
from .publishing import PublishingRulesChecked
from .snippets import Author, Country, Source

__all__ = [
    "Author",
    "Country",
    "Source",
    "HomePage",
    "ChannelPage",
    "ArticlePage",
    "TopicIndexPage",
    "TopicPage",
    "StandardPage",
    "ArticleReads",
]

logger = logging.getLogger(__name__)

ARTICLES_PER_PAGE = 20
RELATED_ARTICLES = 4
# What hreflang links and the language switcher need of a language version: its URL
# (url_path), language (locale) and state (live).
TRANSLATION_FIELDS = ("id", "path", "depth", "live", "url_path", "locale")
# What an article card and the home's lists show (website/includes/article_card.html,
# home_page.html), plus what its link and the view-restriction check need. Loading only
# these, not the fifty-odd columns of the page and article rows, makes a listing's query
# cheaper to build and its rows cheaper to load; the cover image comes whole.
CARD_FIELDS = (
    "title",
    "url_path",
    "path",
    "depth",
    "locale",
    "live",
    "first_published_at",
    "latest_revision_created_at",
    "kicker",
    "subtitle",
    "summary",
    "date_published",
    "cover_image",
)


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = ARTICLES_PER_PAGE):
    """A page of article cards. A bad or out-of-range ?page= gives the first or the last
    page, never an error."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", 1)
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    page.object_list = list(page.object_list)
    return page


def live_cards() -> QuerySet["ArticlePage"]:
    """Live, public articles read as cards: no bodies, no editorial columns."""
    return ArticlePage.objects.live().public().select_related("cover_image").only(*CARD_FIELDS)


def cards_of(ids: list[int]) -> list["ArticlePage"]:
    """The live, public articles among `ids`, in that order, with their card fields (an id
    that is not one is left out)."""
    found = live_cards().filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def cards_in_locale(ids: list[int], locale_id: int) -> list["ArticlePage"]:
    """The live, public editions in `locale_id` of the articles `ids`, in that order, as
    cards; an article with no such edition is left out. One query."""
    picked = Page.objects.filter(pk__in=ids)
    editions = (
        live_cards()
        .filter(locale_id=locale_id, translation_key__in=picked.values("translation_key"))
        .annotate(
            picked_id=Subquery(
                picked.filter(translation_key=OuterRef("translation_key")).values("pk")[:1]
            )
        )
    )
    by_pick = {edition.picked_id: edition for edition in editions}
    return [by_pick[pk] for pk in ids if pk in by_pick]


class SocialMixin(models.Model):
    """Open Graph / Twitter image for pages that have no cover image of their own."""

    social_image = models.ForeignKey(
        "media.NewsImage",
        verbose_name=_("social sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    promote_panels = Page.promote_panels + [FieldPanel("social_image")]

    class Meta:
        abstract = True

    @property
    def sharing_image(self):
        return self.social_image


class RestrictionsReadOnceMixin:
    """Reads a page's view restrictions once per page instance (one request's page), in
    one query.

    Wagtail's on_serve_page hook and wagtail-cache's serve() each ask for them; Wagtail's
    own method reads the ancestors, then their restrictions. The ancestors' tree paths
    are prefixes of the page's own, so one query finds the restrictions on them (or, for
    an alias among them, on its source, as Wagtail checks). The evaluated queryset is
    kept, so callers that refine it (.order_by(), .filter()) still get a fresh query.
    """

    def get_view_restrictions(self):
        if "_view_restrictions" not in self.__dict__:
            restrictions = self._restrictions_on_path() if self.path else None
            if restrictions is None:  # not in the tree yet: Wagtail's own way
                restrictions = super().get_view_restrictions()
            restrictions._fetch_all()
            self.__dict__["_view_restrictions"] = restrictions
        return self.__dict__["_view_restrictions"]

    def _restrictions_on_path(self):
        paths = [self.path[: self.steplen * depth] for depth in range(1, self.depth + 1)]
        on_path = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            models.Q(page__in=on_path.filter(alias_of__isnull=True))
            | models.Q(page__in=on_path.values("alias_of"))
            | models.Q(page__in=on_path.values("alias_of__alias_of"))
        )


class ChannelRoutingMixin:
    """Finds a channel URL's page in one query (Page.route reads the Page row, then the
    ChannelPage row); anything else routes as usual."""

    def route(self, request, path_components):
        if path_components:
            channel = (
                ChannelPage.objects.child_of(self)
                .filter(slug=path_components[0])
                .select_related("locale")
                .first()
            )
            if channel is not None:
                channel._cached_parent_obj = self  # as Page.route does: get_parent() is free
                return channel.route(request, path_components[1:])
        return super().route(request, path_components)


class ArticleListingMixin:
    """Helpers for pages that list the articles of their locale."""

    def live_articles(self):
        return (
            live_cards()
            .filter(locale_id=self.locale_id)
            .order_by("-date_published", "-first_published_at")
        )


class HomePage(
    RestrictionsReadOnceMixin,
    WagtailCacheMixin,
    RoutablePageMixin,
    ChannelRoutingMixin,
    ArticleListingMixin,
    SocialMixin,
    Page,
):
    """The front page of one language edition. Tag, author and search routes hang off it."""

    tagline = models.CharField(_("tagline"), max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("tagline")]
    base_form_class = NewsroomPageForm
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ChannelPage", "cms.TopicIndexPage", "cms.StandardPage"]
    search_fields = Page.search_fields
    api_fields = [APIField("tagline")]
    template = "website/pages/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def channels(self):
        # ChannelPage.objects already yields ChannelPages: .specific() would read them twice.
        return ChannelPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.live_articles()
        cards = list

        lead = cards(articles.filter(is_headline=True)[:1]) or cards(articles[:1])
        context["lead_story"] = lead[0] if lead else None
        lead_id = context["lead_story"].pk if context["lead_story"] else None
        context["headlines"] = cards(articles.exclude(pk=lead_id)[:8])
        # The home's queryset serves every section: each channel.live_articles() would
        # repeat .public()'s view-restriction query once per channel.
        context["channel_sections"] = [
            (channel, cards(articles.child_of(channel)[:5]))
            for channel in self.channels()
            if channel.show_on_home
        ]
        context["photo_news"] = cards(articles.exclude(cover_image=None)[:6])
        context["latest"] = cards(articles[:10])
        context["most_read"] = cards(
            ArticleReads.most_read(self.locale_id).select_related("cover_image").only(*CARD_FIELDS)
        )
        return context

    @path("tags/<str:tag_slug>/", name="tag")
    def tag_view(self, request, tag_slug):
        tag = get_object_or_404(Tag, slug=tag_slug)
        articles = self.live_articles().filter(tags=tag)
        return self.render(
            request,
            context_overrides={"tag": tag, "articles": paginate(request, articles)},
            template="website/pages/tag_page.html",
        )

    @path("authors/<str:author_slug>/", name="author")
    def author_view(self, request, author_slug):
        author = get_object_or_404(Author, slug=author_slug, locale_id=self.locale_id)
        articles = self.live_articles().filter(
            article_authors__author__translation_key=author.translation_key
        )
        return self.render(
            request,
            context_overrides={"author": author, "articles": paginate(request, articles)},
            template="website/pages/author_page.html",
        )

    @path("search/", name="search")
    def search_view(self, request):
        context, status = provided(SEARCH_PAGE_CONTEXT)(request, self.locale.language_code)
        response = self.render(
            request, context_overrides=context, template="website/pages/search_page.html"
        )
        response.status_code = status
        # Results follow publishing within seconds: never from the page cache or max-age.
        add_never_cache_headers(response)
        return response


class ChannelPage(
    RestrictionsReadOnceMixin, WagtailCacheMixin, ArticleListingMixin, SocialMixin, Page
):
    """栏目: a section of the paper (要闻, 侨界动态, 图片 …). Articles live under their channel."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        PHOTO = "photo", _("Photo news")
        VIDEO = "video", _("Video")

    intro = models.TextField(_("introduction"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    show_on_home = models.BooleanField(_("show a section on the home page"), default=True)

    base_form_class = NewsroomPageForm
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("kind"),
        FieldPanel("show_on_home"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("kind")]
    template = "website/pages/channel_page.html"

    class Meta:
        verbose_name = _("channel")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(request, self.live_articles().child_of(self))
        return context

    def route(self, request, path_components):
        """An article URL with what its page shows in one query and its own rows prefetched
        (Wagtail reads the Page row, then the ArticlePage row, then each relation)."""
        if path_components:
            article = ArticlePage.for_readers().child_of(self).filter(slug=path_components[0])
            article = article.first()
            if article is not None:
                article._cached_parent_obj = self  # as Page.route does: get_parent() is free
                return article.route(request, path_components[1:])
        return super().route(request, path_components)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(
    PublishingRulesChecked, RestrictionsReadOnceMixin, WagtailCacheMixin, SocialMixin, Page
):
    """A news article with everything a Chinese newsroom's article carries."""

    uri = models.CharField(
        _("stable URI"),
        max_length=255,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Never changes, unlike the URL; imported articles keep theirs."),
    )
    kicker = models.CharField(_("kicker (引题)"), max_length=255, blank=True)
    subtitle = models.CharField(_("subtitle (副题)"), max_length=255, blank=True)
    editors_note = models.TextField(_("editor's note (编者按)"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source (来源)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dateline = models.CharField(_("dateline place"), max_length=100, blank=True)
    date_published = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the time of first publication."),
    )
    cover_image = models.ForeignKey(
        "media.NewsImage",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_caption = models.CharField(
        _("cover caption"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the image's caption"),
    )
    cover_credit = models.CharField(_("cover credit"), max_length=255, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    countries = ParentalManyToManyField(
        Country, blank=True, verbose_name=_("countries and regions concerned")
    )
    is_headline = models.BooleanField(_("lead story candidate"), default=False)

    content_panels = [
        FieldPanel("kicker"),
        FieldPanel("title"),
        FieldPanel("subtitle"),
        FieldPanel("editors_note"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                InlinePanel("article_authors", label=_("Byline")),
                FieldPanel("source"),
                FieldPanel("dateline"),
                FieldPanel("date_published"),
            ],
            heading=_("Byline and dateline"),
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_caption"), FieldPanel("cover_credit")],
            heading=_("Cover image"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("countries"),
        FieldPanel("is_headline"),
        InlinePanel("related_articles", label=_("Related articles")),
        InlinePanel(
            "corrections",
            label=_("Corrections"),
            help_text=_("Add a note whenever you correct a published article."),
        ),
        # The deliveries to stations and the translation status (stations, translations).
        RegisteredPanels(ARTICLE_PANEL_HOOK),
    ]
    parent_page_types = ["cms.ChannelPage"]
    subpage_types = []
    exclude_fields_in_copy = ["uri"]
    search_fields = Page.search_fields + [
        index.SearchField("kicker"),
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date_published"),
        index.FilterField("locale_id"),
    ]
    api_fields = [
        APIField("uri"),
        APIField("kicker"),
        APIField("subtitle"),
        APIField("summary"),
        APIField("date_published"),
        APIField("body"),
    ]
    template = "website/pages/article_page.html"
    # Refuses publishing while a photo in the article lacks alt text (media/publishing.py);
    # PublishingRulesChecked refuses it on every other publishing path (cms/publishing.py).
    # Fills an empty slug from the title in pinyin (cms/forms.py).
    base_form_class = ArticleEditorForm

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # Every listing (home, channels, tags, feeds) shows the newest first: with this
        # index PostgreSQL reads the newest rows instead of sorting all articles.
        indexes = [models.Index(fields=["-date_published"], name="cms_article_published_idx")]

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        if not self.uri:
            # The locale is only known once Wagtail has placed the page in the tree.
            self.uri = urn("article", self.translation_key, self.locale.language_code)
            ArticlePage.objects.filter(pk=self.pk).update(uri=self.uri)
        return result

    @property
    def publication_date(self):
        return self.date_published or self.first_published_at or self.latest_revision_created_at

    @cached_property
    def channel(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    @classmethod
    def for_readers(cls) -> QuerySet:
        """Articles with what their page shows joined: the locale, source and photos. The
        byline, tags, countries and corrections are read when a page part asks for them
        (website caches those parts of a live article's page as fragments, so a cached
        part reads nothing); a preview's instance has them in memory (modelcluster)."""
        return cls.objects.select_related("locale", "source", "cover_image", "social_image")

    @cached_property
    def byline(self) -> list[Author]:
        """The authors in the article's own language.

        Snippet.localized would look up the active Locale once per author (an N+1 on every
        article page); the article's locale is the language its byline belongs to anyway.
        """
        authors = [item.author for item in self._rows("article_authors", "author")]
        foreign = [a.translation_key for a in authors if a.locale_id != self.locale_id]
        translations = {}
        if foreign:
            translations = {
                author.translation_key: author
                for author in Author.objects.filter(
                    translation_key__in=foreign, locale_id=self.locale_id
                )
            }
        return [translations.get(author.translation_key, author) for author in authors]

    def _rows(self, relation: str, *joined: str):
        """A child relation's rows: prefetched if a caller did, in memory for a preview
        (modelcluster), else read here with `joined` in the same query."""
        if relation in getattr(self, "_prefetched_objects_cache", {}):
            return getattr(self, relation).all()
        return getattr(self, relation).select_related(*joined)

    @cached_property
    def tag_list(self) -> list[Tag]:
        """The tags, read once for the page and its meta tags."""
        return list(self.tags.all())

    @cached_property
    def reader_tag_list(self) -> list[Tag]:
        """The tags this edition's readers can read: a translation copies the original's
        Chinese tags, which an edition in another language leaves out (media.reader_text)."""
        language = self.locale.language_code
        return [tag for tag in self.tag_list if reader_text(tag.name, language)]

    @cached_property
    def correction_list(self) -> list["ArticleCorrection"]:
        """The corrections in order."""
        return list(self.corrections.all())

    @cached_property
    def country_list(self) -> list[Country]:
        """The countries and regions concerned, in Country's order (by code)."""
        return sorted(self.countries.all(), key=lambda country: country.code)

    @property
    def caption(self) -> str:
        image = self.cover_image
        return self.cover_caption or (image.reader_caption if image else "")

    @property
    def credit(self) -> str:
        image = self.cover_image
        return self.cover_credit or (image.reader_credit if image else "")

    @property
    def sharing_image(self):
        return self.social_image or self.cover_image

    def picked_related_articles(self) -> list["ArticlePage"]:
        """The editors' live, public picks in their order (a preview's from memory), each
        in this page's language: a translation copies the original's picks, which point
        at the originals."""
        ids = [item.article_id for item in self.related_articles.all()]
        return cards_in_locale(ids, self.locale_id)

    def related_articles_for_readers(self) -> tuple[list["ArticlePage"], bool]:
        """(up to RELATED_ARTICLES cards, complete): the editors' picks first, then the
        search engine's more-like-this; complete is False when the engine did not answer."""
        related = self.picked_related_articles()
        if len(related) >= RELATED_ARTICLES:
            return related[:RELATED_ARTICLES], True
        picked = {article.pk for article in related}
        similar, complete = self.more_like_this(RELATED_ARTICLES + len(picked))
        related += [article for article in similar if article.pk not in picked]
        return related[:RELATED_ARTICLES], complete

    def more_like_this(self, limit: int) -> tuple[list["ArticlePage"], bool]:
        """(live, public articles like this one, best first, as cards; whether the search
        engine answered)."""
        try:
            ids = provided(MORE_LIKE_THIS)(self.pk, self.locale.language_code, limit)
        except Exception:  # noqa: BLE001 - a search outage must never break an article page
            logger.warning("related articles unavailable", exc_info=True)
            return [], False
        return cards_of(ids), True


class ArticleAuthor(Orderable):
    page = ParentalKey(ArticlePage, related_name="article_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("author")]


class RelatedArticle(Orderable):
    page = ParentalKey(ArticlePage, related_name="related_articles", on_delete=models.CASCADE)
    article = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("article", "cms.ArticlePage")]


class ArticleCorrection(Orderable):
    """更正: a visible log entry, kept with the article after it is corrected."""

    page = ParentalKey(ArticlePage, related_name="corrections", on_delete=models.CASCADE)
    date = models.DateTimeField(_("date"), default=timezone.now)
    note = models.TextField(_("note"))

    panels = [FieldPanel("date"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction")


class TopicIndexPage(RestrictionsReadOnceMixin, WagtailCacheMixin, SocialMixin, Page):
    """专题: the list of topics."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = NewsroomPageForm
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TopicPage"]
    search_fields = Page.search_fields
    api_fields = [APIField("intro")]
    template = "website/pages/topic_index_page.html"

    class Meta:
        verbose_name = _("topic index")

    def topics(self):
        return TopicPage.objects.child_of(self).live().public().specific()


class TopicPage(RestrictionsReadOnceMixin, WagtailCacheMixin, SocialMixin, Page):
    """专题: a curated, ordered set of articles on one subject."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    cover_image = models.ForeignKey(
        "media.NewsImage",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = NewsroomPageForm
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        InlinePanel("topic_articles", label=_("Articles")),
    ]
    parent_page_types = ["cms.TopicIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]
    template = "website/pages/topic_page.html"

    class Meta:
        verbose_name = _("topic")

    def articles(self):
        return [
            item.article.specific
            for item in self.topic_articles.select_related("article")
            if item.article.live
        ]

    @property
    def sharing_image(self):
        return self.social_image or self.cover_image


class TopicArticle(Orderable):
    page = ParentalKey(TopicPage, related_name="topic_articles", on_delete=models.CASCADE)
    article = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("article", "cms.ArticlePage")]


class StandardPage(RestrictionsReadOnceMixin, WagtailCacheMixin, SocialMixin, Page):
    """About, contact and other fixed pages."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StandardBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    base_form_class = NewsroomPageForm
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]
    template = "website/pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


class ArticleReads(models.Model):
    """Daily read counts for the "most read" list, fed by a beacon so cached pages count too."""

    MOST_READ_DAYS = 7

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="daily_reads")
    day = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="unique_article_reads_per_day")
        ]

    @classmethod
    def record(cls, page_id):
        today = timezone.localdate()
        updated = cls.objects.filter(page_id=page_id, day=today).update(count=models.F("count") + 1)
        if not updated:
            # Two first reads of the day may race; the loser's count is merged, not lost.
            _, created = cls.objects.get_or_create(page_id=page_id, day=today)
            if not created:
                cls.objects.filter(page_id=page_id, day=today).update(count=models.F("count") + 1)
            else:
                cls.objects.filter(page_id=page_id, day=today).update(count=1)

    @classmethod
    def most_read(cls, locale_id, limit=10):
        since = timezone.localdate() - timezone.timedelta(days=cls.MOST_READ_DAYS)
        return (
            ArticlePage.objects.live()
            .public()
            .filter(locale_id=locale_id, daily_reads__day__gte=since)
            .annotate(reads=models.Sum("daily_reads__count"))
            .order_by("-reads")[:limit]
        )


class PendingPageCacheClear(models.Model):
    """A page-cache clear that failed (the cache was down): kept here, where an outage of
    the cache cannot lose it, and retried by beat until it succeeds (cms/page_cache.py)."""

    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pending page-cache clear")
        verbose_name_plural = _("pending page-cache clears")
