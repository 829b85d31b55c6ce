from django.urls import path, re_path

from . import views

app_name = "stations_api"

urlpatterns = [
    path("", views.station_view, name="station"),
    path("openapi.json", views.openapi_view, name="openapi"),
    path("articles/", views.articles_view, name="articles"),
    # uris are URNs (urn:qiaoyin:article:…) or, for imported articles, anything the archive used.
    path("articles/<path:uri>", views.article_view, name="article"),
    path("deliveries/", views.deliveries_view, name="deliveries"),
    path("deliveries/<str:delivery_id>", views.delivery_view, name="delivery"),
    # Anything else under the API: its JSON 404, not the public site's HTML page.
    re_path(r"^(?P<path>[\s\S]+)$", views.unknown_path_view, name="unknown"),
]
