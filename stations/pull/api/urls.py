from django.urls import path

from . import views

app_name = "stations_api"

urlpatterns = [
    path("", views.station_view, name="station"),
    path("openapi.json", views.openapi_view, name="openapi"),
    path("articles/", views.articles_view, name="articles"),
    # uris are URNs (urn:qiaoyin:article:…) or, for imported articles, anything the archive used.
    path("articles/<path:uri>", views.article_view, name="article"),
    path("deliveries/", views.deliveries_view, name="deliveries"),
    path("deliveries/<uuid:delivery_id>", views.delivery_view, name="delivery"),
]
