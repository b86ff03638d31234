"""URL routes. Each domain app adds its own ``urls.py`` here as it arrives."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
