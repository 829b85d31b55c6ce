from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from reach.api import report_view as reach_report_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("website.urls")),
    # Served by reach under the station API's prefix, before that API's catch-all.
    path("api/stations/v1/reach/", reach_report_view, name="stations_api_reach"),
    path("api/stations/v1/", include("stations.pull.api.urls")),
    path("api/search/", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page carries its language: /zh-hans/…, /en/…; "/" redirects by Accept-Language.
urlpatterns += i18n_patterns(
    # Feeds (/zh-hans/feeds/rss.xml, /zh-hans/<channel>/feeds/atom.xml) before Wagtail's catch-all.
    path("", include("stations.pull.feeds.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"
