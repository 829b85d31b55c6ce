"""A URLconf with the station API only and no language prefixes; see auth.station_api."""

from django.urls import include, path

urlpatterns = [path("api/stations/v1/", include("stations.pull.api.urls"))]
