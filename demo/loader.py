"""Builds the demo newsroom in the database. Every step looks its objects up by a stable key
(slug, name, ISO code or translation) first, so running it again creates nothing new."""

import contextlib
import io
import json
from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from wagtail.models import Locale, ReferenceIndex
from wagtail.search import index as search_index
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

import opencc
from modelsearch.signal_handlers import post_save_signal_handler as search_index_on_save

from cms.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticleReads,
    Author,
    ChannelPage,
    Country,
    RelatedArticle,
    Source,
    StandardPage,
    TopicArticle,
    TopicIndexPage,
    TopicPage,
)
from cms.newsroom import setup_newsroom
from media.models import NewsImage
from stations.models import LiaisonStation, StationName

from . import reference as ref
from .covers import draw_image, find_cjk_font
from .reach import seed_reach
from .stories import ROUND, article_spec

TRADITIONAL = "zh-hant"
ENGLISH = "en"
CREDIT = "侨音融媒体中心 制图"
IMAGE_SOURCE = "侨音演示内容（程序生成）"
ILLUSTRATIONS = ["会场", "课堂", "侨乡村落", "唐人街", "后厨", "工坊", "联络站", "茶园"]
TOPIC_SIZE = 8


# s2tw converts characters to Taiwan's standard forms without s2twp's phrase rewriting, which
# turns news words into IT jargon (发布 → 釋出, 审核 → 稽核); tw2s converts it back exactly.
TRADITIONAL_CONVERTER = "s2tw"


_traditional = opencc.OpenCC(TRADITIONAL_CONVERTER)


def to_traditional(text):
    return _traditional.convert(text)


@contextlib.contextmanager
def deferred_indexing():
    """Skip the search and reference index updates Wagtail makes on every save.

    A page is saved three to four times on its way to publication; the loader indexes each
    object it created once at the end instead, which halves the time of the whole load.
    """
    models = search_index.get_indexed_models()
    paused = [m for m in models if post_save.disconnect(search_index_on_save, sender=m)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in paused:
            post_save.connect(search_index_on_save, sender=model)


def paragraph_html(text):
    return f"<p>{text}</p>"


def fact_box(title, items):
    return {
        "type": "fact_box",
        "value": {
            "title": title,
            "body": "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
        },
    }


def quote_block(text, attribution):
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def image_block(image, caption=""):
    return {"type": "image", "value": {"image": image.pk, "caption": caption, "credit": ""}}


class DemoLoader:
    def __init__(self, articles, progress=None):
        self.article_count = articles
        self.progress = progress or (lambda done, total, label: None)
        self.created = Counter()
        self.articles = {}
        self.to_index = {}

    def run(self):
        try:
            with deferred_indexing():
                self._load()
        finally:
            # Also after a failure: what earlier steps committed must be findable.
            self._index_created()
        return self.created

    def _index_created(self):
        """One search and reference index pass over what this run created, as published."""
        pks_by_model = defaultdict(list)
        for obj in self.to_index.values():
            pks_by_model[type(obj)].append(obj.pk)
        backends = list(get_search_backends(with_auto_update=True))
        for model, pks in pks_by_model.items():
            objects = list(model._default_manager.in_bulk(pks).values())
            for backend in backends:
                backend.add_bulk(model, objects)
            for obj in objects:
                ReferenceIndex.create_or_update_for_object(obj)

    def _new(self, obj, kind):
        """Count a created object and remember it for indexing."""
        self.created[str(kind)] += 1
        self.to_index[(obj._meta.label, obj.pk)] = obj
        return obj

    def _load(self):
        homes = setup_newsroom()
        self.home = homes[settings.LANGUAGE_CODE]
        self.locales = {code: Locale.objects.get(language_code=code) for code in homes}
        self.source_locale = self.locales[settings.LANGUAGE_CODE]
        with transaction.atomic():
            self.countries = self.ensure_countries()
            self.sources = self.ensure_sources()
            self.authors = self.ensure_authors()
            self.ensure_stations()
            self.channels = self.ensure_channels()
            self.ensure_standard_pages()
            self.illustrations = self.ensure_illustrations()
        for index in range(self.article_count):
            spec = article_spec(index)
            self.progress(index + 1, self.article_count, spec.fill(spec.story.title))
            with transaction.atomic():
                self.articles[index] = self.ensure_article(spec)
        with transaction.atomic():
            self.ensure_translations()
            self.ensure_topics()
        self.ensure_reach()

    # --- Snippets -----------------------------------------------------------------------

    def _translate_snippet(self, original, code, **fields):
        locale = self.locales[code]
        if original.get_translation_or_none(locale) is not None:
            return
        translation = original.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save()
        self._new(translation, _("snippet translations"))

    def _snippet(self, model, lookup, defaults):
        obj, created = model.objects.get_or_create(
            locale=self.source_locale, **lookup, defaults=defaults
        )
        if created:
            self._new(obj, model._meta.verbose_name_plural)
        return obj

    def ensure_countries(self):
        countries = {}
        for code, name, name_en in ref.COUNTRIES:
            country = self._snippet(Country, {"code": code}, {"name": name})
            self._translate_snippet(country, TRADITIONAL, name=to_traditional(name))
            self._translate_snippet(country, ENGLISH, name=name_en)
            countries[code] = country
        return countries

    def ensure_sources(self):
        sources = {}
        for key, spec in ref.SOURCES.items():
            source = self._snippet(Source, {"name": spec.name}, {"url": spec.url})
            self._translate_snippet(source, TRADITIONAL, name=to_traditional(spec.name))
            self._translate_snippet(source, ENGLISH, name=spec.name_en)
            sources[key] = source
        return sources

    def ensure_authors(self):
        authors = {}
        for spec in ref.STAFF + ref.CORRESPONDENTS:
            author = self._snippet(
                Author,
                {"slug": spec.slug},
                {
                    "name": spec.name,
                    "role": spec.role,
                    "country": self.countries[spec.country],
                    "bio": spec.bio,
                },
            )
            self._translate_snippet(
                author, TRADITIONAL, name=to_traditional(spec.name), bio=to_traditional(spec.bio)
            )
            pinyin = spec.slug.replace("-", " ").title()
            self._translate_snippet(author, ENGLISH, name=pinyin, bio="")
            authors[spec.slug] = author
        return authors

    def ensure_stations(self):
        for spec in ref.STATIONS:
            station, created = LiaisonStation.objects.get_or_create(
                name=spec.name,
                defaults={
                    "country": self.countries[spec.code],
                    "city": spec.city,
                    "contact": spec.contact,
                    "locales": spec.locales,
                    "website": spec.website,
                    "is_active": True,
                },
            )
            if created:
                self.created[str(LiaisonStation._meta.verbose_name_plural)] += 1
            # The name readers of the non-Chinese editions see (zh-hant converts the name).
            StationName.objects.get_or_create(
                station=station,
                locale=self.locales[ENGLISH],
                defaults={"name": spec.name_en, "city": spec.city_en},
            )

    # --- Pages ----------------------------------------------------------------------------

    def _child(self, parent, model, slug, **fields):
        """The live child page with this slug, created and published if missing."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is not None:
            return page
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return self._new(page, _("pages"))

    def _translate_page(self, page, code, prepare=None, **fields):
        """A published translation of `page` (its parent must exist in that language).

        `fields` are set on the copy; `prepare(copy)` may change its tags and child objects.
        """
        locale = self.locales[code]
        existing = page.get_translation_or_none(locale)
        if existing is not None:
            return existing.specific
        translation = page.copy_for_translation(locale, copy_parents=True)
        for name, value in fields.items():
            setattr(translation, name, value)
        if prepare is not None:
            prepare(translation)
        translation.save_revision().publish()
        # The language's name in the reader's language (英语, not the edition's own "English").
        language = get_language_info(code)["name_translated"]
        return self._new(translation, _("translations into %(language)s") % {"language": language})

    def ensure_channels(self):
        channels = {}
        for spec in ref.CHANNELS:
            channel = self._child(
                self.home,
                ChannelPage,
                spec.slug,
                title=spec.title,
                intro=spec.intro,
                kind=spec.kind,
            )
            self._translate_page(
                channel,
                TRADITIONAL,
                title=to_traditional(spec.title),
                intro=to_traditional(spec.intro),
            )
            self._translate_page(channel, ENGLISH, title=spec.title_en, intro=spec.intro_en)
            channels[spec.slug] = channel
        return channels

    def ensure_standard_pages(self):
        def body(text):
            blocks = [{"type": "paragraph", "value": paragraph_html(p)} for p in text["paragraphs"]]
            return json.dumps([*blocks, fact_box(*text["facts"])], ensure_ascii=False)

        for spec in ref.FOOTER_PAGES:
            page = self._child(
                self.home,
                StandardPage,
                spec["slug"],
                title=spec["title"],
                intro=spec["intro"],
                body=body(spec),
            )
            english = spec["en"]
            self._translate_page(
                page, ENGLISH, title=english["title"], intro=english["intro"], body=body(english)
            )
            self._translate_page(
                page,
                TRADITIONAL,
                title=to_traditional(page.title),
                intro=to_traditional(page.intro),
                body=to_traditional(json.dumps(page.body.get_prep_value(), ensure_ascii=False)),
            )

    # --- Images ---------------------------------------------------------------------------

    def _image(self, title, seed, palette, headline="", label="", caption=""):
        has_text = bool(headline) and find_cjk_font() is not None
        alt = (
            f"由色块和几何图形构成的示意图，写有标题“{headline}”"
            if has_text
            else (f"由色块和几何图形构成的示意图：{caption or title}")
        )
        image = NewsImage(
            title=title,
            caption=caption,
            credit=CREDIT,
            source=IMAGE_SOURCE,
            alt_text=alt,
        )
        data = draw_image(seed, palette, headline=headline, label=label)
        image.file = ImageFile(io.BytesIO(data), name=f"demo-{seed}.jpg")
        image._set_image_file_metadata()
        image.save()
        return self._new(image, NewsImage._meta.verbose_name_plural)

    def ensure_illustrations(self):
        images = []
        for number, scene in enumerate(ILLUSTRATIONS):
            title = f"示意图：{scene}"
            image = NewsImage.objects.filter(title=title, source=IMAGE_SOURCE).first()
            if image is None:
                palette = ref.CHANNELS[number % len(ref.CHANNELS)].slug
                image = self._image(
                    title, f"illustration-{number}", palette, caption=f"示意图：{scene}（程序生成）"
                )
            images.append(image)
        return images

    # --- Articles -------------------------------------------------------------------------

    def ensure_article(self, spec):
        channel = self.channels[spec.story.channel]
        existing = ArticlePage.objects.child_of(channel).filter(slug=spec.slug).first()
        if existing is not None:
            return existing
        story = spec.story
        title = spec.fill(story.title)
        published = timezone.now() - spec.published_ago()
        cover = self._image(
            f"封面：{title}",
            spec.slug,
            story.channel,
            headline=title,
            label=channel.title,
            caption=f"{spec.fill(story.kicker)}（示意图）",
        )
        page = ArticlePage(
            slug=spec.slug,
            title=title,
            kicker=spec.fill(story.kicker),
            subtitle=spec.fill(story.subtitle),
            editors_note=story.editors_note,
            summary=spec.fill(story.summary),
            source=self.sources[story.source],
            dateline=spec.station.city,
            date_published=published,
            first_published_at=published,
            cover_image=cover,
            body=json.dumps(self._body(spec, cover, channel), ensure_ascii=False),
            is_headline=spec.is_headline,
        )
        page.tags.set([*story.tags, ref.country_name(spec.station.code)])
        page.countries = [self.countries[spec.station.code], self.countries["CN"]]
        page.article_authors = [ArticleAuthor(author=a) for a in self._byline(spec)]
        page.related_articles = [RelatedArticle(article=a) for a in self._related(spec)]
        if spec.correction:
            page.corrections = [
                ArticleCorrection(date=published + timedelta(hours=5), note=spec.correction[0])
            ]
        channel.add_child(instance=page)
        page.save_revision().publish()
        self._seed_reads(page, spec)
        return self._new(page, ArticlePage._meta.verbose_name_plural)

    def _body(self, spec, cover, channel):
        story = spec.story
        paragraphs = [
            {"type": "paragraph", "value": paragraph_html(spec.fill(p))} for p in story.paragraphs
        ]
        quote = quote_block(*(spec.fill(part) for part in story.quote))
        facts = fact_box(story.facts[0], story.facts[1])
        illustration = self.illustrations[spec.index % len(self.illustrations)]
        if channel.kind == ChannelPage.Kind.PHOTO:
            pictures = [cover] + [
                self.illustrations[(spec.index + step) % len(self.illustrations)]
                for step in (1, 3, 5)
            ]
            gallery = {
                "type": "gallery",
                "value": {
                    "title": spec.fill(story.title).split("｜")[-1],
                    "images": [
                        {"image": p.pk, "caption": p.caption, "credit": p.credit} for p in pictures
                    ],
                },
            }
            return [paragraphs[0], gallery, *paragraphs[1:], quote]
        return [
            paragraphs[0],
            image_block(illustration),
            *paragraphs[1:2],
            quote,
            *paragraphs[2:],
            facts,
        ]

    def _byline(self, spec):
        staff = ref.STAFF[spec.index % 3]  # the three reporters take turns
        if spec.story.channel == "tupian":
            staff = ref.STAFF[4]
        byline = [self.authors[staff.slug]]
        if spec.story.source in ("station", "correspondent", "video") or spec.index % 2 == 0:
            local = [c for c in ref.CORRESPONDENTS if c.country == spec.station.code]
            correspondent = (local or ref.CORRESPONDENTS)[
                spec.index % len(local or ref.CORRESPONDENTS)
            ]
            byline.append(self.authors[correspondent.slug])
        return byline

    def _related(self, spec):
        """The same story in another city, and the previous article, on some articles."""
        related = []
        if spec.index >= ROUND:
            related.append(self.articles.get(spec.index - ROUND))
        if spec.index % 3 == 2:
            related.append(self.articles.get(spec.index - 1))
        return [page for page in related if page is not None]

    def _seed_reads(self, page, spec):
        """A plausible "most read" list: reads that do not follow the publication order (a
        count falling with freshness made 阅读排行 repeat 最新 item for item)."""
        if spec.published_ago() < timedelta(days=ArticleReads.MOST_READ_DAYS):
            ArticleReads.objects.create(page=page, count=20 + (spec.index * 389) % 900)

    def ensure_reach(self):
        """A month of reach figures for the 传播效果 report (demo/reach.py)."""
        pages = list(
            ArticlePage.objects.live()
            .filter(pk__in=[page.pk for page in self.articles.values()])
            .select_related("locale")
            .order_by("-first_published_at")
        )
        translations = (
            ArticlePage.objects.live()
            .filter(translation_key__in=[page.translation_key for page in pages])
            .exclude(pk__in=[page.pk for page in pages])
            .select_related("locale")
        )
        if seed_reach(pages + list(translations)):
            self.created[str(_("Reach"))] += 1

    # --- Translations ---------------------------------------------------------------------

    def ensure_translations(self):
        for index, page in self.articles.items():
            spec = article_spec(index)
            if spec.translate_to_traditional:
                self._translate_article_to_traditional(page)
            if spec.translate_to_english:
                self._translate_article_to_english(page, spec)

    def _localized_related(self, page, code):
        """Related articles point to their translations; untranslated ones are left out."""
        locale = self.locales[code]
        targets = (
            item.article.get_translation_or_none(locale) for item in page.related_articles.all()
        )
        return [RelatedArticle(article=target) for target in targets if target is not None]

    def _translate_article_to_traditional(self, page):
        def prepare(translation):
            translation.tags.set([to_traditional(tag.name) for tag in page.tags.all()])
            translation.related_articles = self._localized_related(page, TRADITIONAL)
            translation.corrections = [
                ArticleCorrection(date=c.date, note=to_traditional(c.note))
                for c in page.corrections.all()
            ]

        texts = ("title", "kicker", "subtitle", "editors_note", "summary", "dateline")
        self._translate_page(
            page,
            TRADITIONAL,
            prepare=prepare,
            body=to_traditional(json.dumps(page.body.get_prep_value(), ensure_ascii=False)),
            first_published_at=page.first_published_at,
            **{name: to_traditional(getattr(page, name)) for name in texts},
        )

    def _translate_article_to_english(self, page, spec):
        english = spec.story.en
        fill = spec.fill
        body = [
            {"type": "paragraph", "value": paragraph_html(fill(p))} for p in english["paragraphs"]
        ]
        body.insert(1, image_block(self.illustrations[spec.index % len(self.illustrations)]))
        body.insert(3, quote_block(*(fill(part) for part in english["quote"])))
        body.append(fact_box(*english["facts"]))

        def prepare(translation):
            channel = ref.CHANNELS[[c.slug for c in ref.CHANNELS].index(spec.story.channel)]
            translation.tags.set(["Overseas Chinese", channel.title_en, spec.slots["country_en"]])
            translation.related_articles = self._localized_related(page, ENGLISH)
            translation.corrections = [
                ArticleCorrection(date=c.date, note=spec.correction[1])
                for c in page.corrections.all()
            ]

        self._translate_page(
            page,
            ENGLISH,
            prepare=prepare,
            title=fill(english["title"]),
            kicker=fill(english["kicker"]),
            subtitle=fill(english["subtitle"]),
            summary=fill(english["summary"]),
            editors_note="",
            dateline=spec.station.city_en,
            body=json.dumps(body, ensure_ascii=False),
            first_published_at=page.first_published_at,
        )

    # --- Topics ---------------------------------------------------------------------------

    def ensure_topics(self):
        slug, title, intro = ref.TOPIC_INDEX
        index = self._child(self.home, TopicIndexPage, slug, title=title, intro=intro)
        for spec in ref.TOPICS:
            topic = self._child(index, TopicPage, spec.slug, title=spec.title, intro=spec.intro)
            self._curate(topic, spec)

    def _curate(self, topic, spec):
        """The topic lists the newest demo articles of its channels; republished on change."""
        channels = [self.channels[slug] for slug in spec.channels]
        wanted = []
        for channel in channels:
            wanted += ArticlePage.objects.child_of(channel).live()
        wanted = sorted(wanted, key=lambda a: a.date_published, reverse=True)[:TOPIC_SIZE]
        current = [item.article_id for item in topic.topic_articles.all()]
        if [a.pk for a in wanted] == current:
            return
        topic.topic_articles = [TopicArticle(article=a) for a in wanted]
        topic.cover_image = wanted[0].cover_image if wanted else None
        topic.save_revision().publish()
        self.to_index[(topic._meta.label, topic.pk)] = topic
