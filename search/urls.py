from django.urls import path

from . import api

app_name = "search"
urlpatterns = [
    path("", api.search_api, name="api"),
    path("suggest/", api.suggest_api, name="suggest"),
    path("openapi.json", api.openapi_schema, name="openapi"),
]
