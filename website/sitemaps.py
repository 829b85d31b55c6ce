"""sitemap.xml with hreflang alternates, and the Google News sitemap.

Wagtail's Sitemap lists one site's tree and no alternates; ours lists every language
edition (each is its own tree under the root) and adds an <xhtml:link> per live
translation plus x-default, using absolute URLs from settings.SITE_BASE_URL.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms.models import ArticlePage

from . import seo

NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_MAX_URLS = 1000  # Google News' limit per sitemap


class MultilingualSitemap(Sitemap):
    def items(self):
        return (
            Page.objects.live()
            .public()
            .filter(depth__gte=2)
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        translations = self._translations_by_key({p.translation_key for p in pages})
        urls = []
        for item in pages:
            alternates = translations.get(item.translation_key, [])
            urls.append(
                {
                    "item": item,
                    "location": seo.absolute_url(item.get_url(self.request)),
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 2 else [],
                }
            )
        lastmods = [url["lastmod"] for url in urls if url["lastmod"]]
        if lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def _translations_by_key(self, keys):
        """{translation_key: [{lang_code, location}…, x-default]} in one query."""
        found = defaultdict(list)
        pages = Page.objects.live().public().filter(translation_key__in=keys)
        for page in pages.select_related("locale").defer_streamfields():
            code = page.locale.language_code
            url = page.get_url(self.request)
            if url:
                found[page.translation_key].append((code, seo.absolute_url(url)))
        result = {}
        for key, versions in found.items():
            versions.sort(key=lambda version: seo.language_order(version[0]))
            default = dict(versions).get(seo.settings.LANGUAGE_CODE, versions[0][1])
            result[key] = [
                {"lang_code": seo.bcp47(code), "location": url} for code, url in versions
            ] + [{"lang_code": "x-default", "location": default}]
        return result


def recent_news(now=None):
    """Articles published in the last two days, newest first, at most 1,000."""
    since = (now or timezone.now()) - timedelta(days=NEWS_SITEMAP_DAYS)
    return (
        ArticlePage.objects.live()
        .public()
        .annotate(published=Coalesce("date_published", "first_published_at"))
        .filter(published__gte=since, published__lte=now or timezone.now())
        .select_related("locale")
        .defer_streamfields()
        .order_by("-published")[:NEWS_SITEMAP_MAX_URLS]
    )
