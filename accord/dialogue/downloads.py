"""The conference's downloads: exports and calendars (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
