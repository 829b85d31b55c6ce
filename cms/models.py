"""Page models of the newsroom. Snippets live in snippets.py and are re-exported here."""

import functools
import logging
from typing import NamedTuple

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection, models
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
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailcache.cache import WagtailCacheMixin

from config.identifiers import urn
from config.providers import (
    ARTICLE_CARDS,
    MORE_LIKE_THIS,
    NAV_CHANNEL,
    SEARCH_PAGE_CONTEXT,
    SHARED_OBJECTS,
    provided,
)

from .blocks import ArticleBodyBlock, StandardBodyBlock
from .forms import ArticleEditorForm, NewsroomPageForm
from .panels import ARTICLE_PANEL_HOOK, RegisteredPanels
from .publishing import PublishingRulesChecked
from .rawsql import fetch_together, load_instances, select_instances
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
# (url_path), language (locale_id) and state (live), and its tree path for the
# view-restriction check.
TRANSLATION_FIELDS = ("id", "path", "depth", "live", "url_path", "locale_id")
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


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
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
    page.object_list = as_cards(page.object_list, request)
    return page


def as_cards(queryset, request=None):
    """A listing's articles as cards: the query reads only their ids, in its order; the
    cards come from the cache that every page showing them shares (website/frame.py)."""
    return provided(ARTICLE_CARDS)(list(queryset.values_list("pk", flat=True)), request)


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
    """Reads a page's view restrictions once per page instance (one request's page).

    Wagtail's on_serve_page hook and wagtail-cache's serve() each ask for them, and each
    asking costs two queries. The evaluated queryset is kept, so callers that refine it
    (.order_by(), .filter()) still get a fresh query.
    """

    def get_view_restrictions(self):
        if "_view_restrictions" not in self.__dict__:
            restrictions = super().get_view_restrictions()
            restrictions._fetch_all()
            self.__dict__["_view_restrictions"] = restrictions
        return self.__dict__["_view_restrictions"]

    def remember_view_restrictions(self, restrictions):
        """Known already (website/wagtail_hooks.py knows from its cache when there are none)."""
        self.__dict__["_view_restrictions"] = restrictions


class ChannelRoutingMixin:
    """Finds a channel URL's page in the cached navigation (website/frame.py), not in two
    queries (the Page row, then the ChannelPage row); anything else routes as usual."""

    def route(self, request, path_components):
        if path_components:
            channel = provided(NAV_CHANNEL)(self, path_components[0], request)
            if channel is not None:
                channel._cached_parent_obj = self  # as Page.route does: get_parent() is free
                return channel.route(request, path_components[1:])
        return super().route(request, path_components)


class ArticleListingMixin:
    """Helpers for pages that list the articles of their locale."""

    def live_articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .select_related("cover_image")
            .only(*CARD_FIELDS)  # lists show cards: no bodies, no editorial columns
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

        def cards(queryset):
            return as_cards(queryset, request)

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
        context["most_read"] = cards(ArticleReads.most_read(self.locale_id))
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
        """An article URL in one query: Wagtail reads the Page row, then the ArticlePage row
        (and the page then its cover image and source, one query each, which come from the
        shared cache here)."""
        if path_components:
            article = _child_article(self, path_components[0])
            if article is not None:
                article._cached_parent_obj = self  # as Page.route does: get_parent() is free
                article.attach_shared_relations(request)
                return article.route(request, path_components[1:])
        return super().route(request, path_components)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class OwnRows(NamedTuple):
    """What an uncached article page reads of its own (ArticlePage._own_rows)."""

    links: list  # (kind, id, order) of its byline, tags, countries and editors' picks
    corrections: list  # ArticleCorrection, in order
    versions: list  # its language versions (Page, TRANSLATION_FIELDS only), itself included


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

    def attach_shared_relations(self, request=None):
        """Cover photo, sharing image and source from the cache of shared model data
        (website/frame.py) instead of joining their tables into the article's query."""
        image_model = self._meta.get_field("cover_image").related_model
        relations = {"cover_image": image_model, "social_image": image_model, "source": Source}
        fields = {name: self._meta.get_field(name) for name in relations}
        ids = {name: getattr(self, field.attname) for name, field in fields.items()}
        wanted = [(model, [ids[name]]) for name, model in relations.items()]
        found = provided(SHARED_OBJECTS)(wanted, request)
        for name, model in relations.items():
            if ids[name] is not None:
                fields[name].set_cached_value(self, found[model].get(ids[name]))

    @cached_property
    def linked_ids(self):
        """{"author"|"tag"|"country"|"related": ids} of the byline, tags, countries and
        editors' picks in their order; None while any of them lives in memory only (a
        preview of a draft), where the relations themselves must be read."""
        if not self._relations_stored:
            return None
        if "_own_rows" in self.__dict__:  # the article page read them with its other rows
            links = self._own_rows.links
        else:  # a feed item, a search document: the links alone
            (links,) = fetch_together([(_linked_ids_sql(), [self.pk] * 4)])
        ids = {"author": [], "tag": [], "country": [], "related": []}
        for kind, pk, _order in links:
            ids[kind].append(pk)
        return ids

    @property
    def _relations_stored(self):
        """False for a new page or a preview whose relations live in memory (modelcluster)."""
        in_memory = self.__dict__.get("_cluster_related_objects") or {}
        relations = {"article_authors", "tagged_items", "countries", "related_articles"}
        return self.pk is not None and not in_memory.keys() & (relations | {"corrections"})

    @cached_property
    def _own_rows(self):
        """What the article page reads of its own, in one round trip (cms/rawsql.py): its
        links (one UNION ALL query), corrections and stored language versions. None for a
        preview whose relations live in memory. get_context asks first, so that the page's
        other readers (linked_ids, correction_list, stored_translations) find them here."""
        if not self._relations_stored:
            return None
        corrections_sql, corrections_params, make_corrections = select_instances(
            ArticleCorrection, "page", self.pk, order_by="sort_order"
        )
        versions_sql, versions_params, make_versions = select_instances(
            Page, "translation_key", self.translation_key, TRANSLATION_FIELDS
        )
        links, correction_rows, version_rows = fetch_together(
            [
                (_linked_ids_sql(), [self.pk] * 4),
                (corrections_sql, corrections_params),
                (versions_sql, versions_params),
            ]
        )
        return OwnRows(links, make_corrections(correction_rows), make_versions(version_rows))

    def stored_translations(self):
        """Every language version of the article as stored (itself included), with only
        TRANSLATION_FIELDS loaded."""
        if self._own_rows is None:
            return load_instances(Page, "translation_key", self.translation_key, TRANSLATION_FIELDS)
        return self._own_rows.versions

    @cached_property
    def _linked_objects(self):
        """{model: {pk: instance}} of the linked authors, tags and countries (shared data)."""
        ids = self.linked_ids
        return provided(SHARED_OBJECTS)(
            [(Author, ids["author"]), (Tag, ids["tag"]), (Country, ids["country"])]
        )

    def _linked(self, model, kind):
        found = self._linked_objects[model]
        return [found[pk] for pk in self.linked_ids[kind] if pk in found]

    @cached_property
    def byline(self):
        """The authors in the article's own language.

        Snippet.localized would look up the active Locale once per author (an N+1 on every
        article page); the article's locale is the language its byline belongs to anyway.
        """
        if self.linked_ids is None:
            authors = [item.author for item in self.article_authors.select_related("author")]
        else:
            authors = self._linked(Author, "author")
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

    @cached_property
    def tag_list(self):
        """The tags, read once for the page and its meta tags."""
        if self.linked_ids is None:
            return list(self.tags.all())
        return self._linked(Tag, "tag")

    @cached_property
    def correction_list(self):
        """The corrections in order."""
        if self._own_rows is None:
            return list(self.corrections.all())
        return self._own_rows.corrections

    @cached_property
    def country_list(self):
        """The countries and regions concerned, in Country's order (by code)."""
        if self.linked_ids is None:
            return list(self.countries.all())
        return sorted(self._linked(Country, "country"), key=lambda country: country.code)

    @property
    def caption(self):
        image = self.cover_image
        return self.cover_caption or (image.reader_caption if image else "")

    @property
    def credit(self):
        image = self.cover_image
        return self.cover_credit or (image.reader_credit if image else "")

    @property
    def sharing_image(self):
        return self.social_image or self.cover_image

    def picked_related_articles(self, request=None):
        """The editors' live, public picks in their order.

        Their cards come from the cache shared by every page that shows them
        (website/frame.py): only the pick ids are read for this article (with its byline's).
        """
        if self.linked_ids is None:
            # A preview's picks live in memory (modelcluster), not in the database yet.
            ids = [item.article_id for item in self.related_articles.all()]
            found = ArticlePage.objects.live().select_related("cover_image").in_bulk(ids)
            return [found[pk] for pk in ids if pk in found]
        return provided(ARTICLE_CARDS)(self.linked_ids["related"], request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self._own_rows  # noqa: B018 - the page's own rows in one round trip, before any is asked for
        context["related"] = self.picked_related_articles(request)
        if len(context["related"]) < RELATED_ARTICLES:
            # Editors' picks first, then the search engine's more-like-this.
            picked = {article.pk for article in context["related"]}
            context["related"] += [
                article
                for article in self.more_like_this(request, RELATED_ARTICLES + len(picked))
                if article.pk not in picked
            ][: RELATED_ARTICLES - len(context["related"])]
        return context

    def more_like_this(self, request, limit):
        """Live, public articles like this one, best first, as cards.

        The engine gives the ids; the cards come from the cache every page shares
        (website/frame.py), where search.service.related_articles would read the view
        restrictions and load the articles' full rows again.
        """
        try:
            ids = provided(MORE_LIKE_THIS)(self.pk, self.locale.language_code, limit)
        except Exception:  # noqa: BLE001 - a search outage must never break an article page
            logger.warning("related articles unavailable", exc_info=True)
            return []
        return provided(ARTICLE_CARDS)(ids, request)


@functools.cache
def _linked_ids_sql():
    """One UNION ALL query for the ids behind an article's byline, tags, countries and
    editors' picks.

    Hand-written because Django spends ~0.3 ms of Python building each of the four small
    ORM queries this replaces, on every uncached article view. Names come from the models'
    _meta, the article's id is a parameter. Rows: (kind, id, order).
    """
    parts = []
    for kind, model, target, owner, order in [
        ("author", ArticleAuthor, "author", "page", "sort_order"),
        ("tag", ArticlePageTag, "tag", "content_object", "id"),
        ("country", ArticlePage.countries.through, "country", "articlepage", "id"),
        ("related", RelatedArticle, "article", "page", "sort_order"),
    ]:
        quote = connection.ops.quote_name

        def column(name, model=model, quote=quote):
            return quote(model._meta.get_field(name).column)

        parts.append(
            f"SELECT '{kind}', {column(target)}, {column(order)}"  # noqa: S608 - names from _meta
            f" FROM {quote(model._meta.db_table)} WHERE {column(owner)} = %s"
        )
    return " UNION ALL ".join(parts) + " ORDER BY 1, 3"


def _child_article(channel, slug):
    """The ArticlePage `slug` under `channel` (any state: routing checks), else None: one
    query joining both tables, where Wagtail's Page.route reads the Page row, then the
    ArticlePage row."""
    return ArticlePage.objects.filter(
        path__startswith=channel.path, depth=channel.depth + 1, slug=slug
    ).first()


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
