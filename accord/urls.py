"""URL routes. Each domain app adds its own ``urls.py`` here as it arrives."""

from django.urls import URLPattern, URLResolver, include, path

from accord.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("accord.ledger.urls")),
    path("api/v1/", api.urls),
]
