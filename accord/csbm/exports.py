"""The CSBM compliance exports (CSV and JSON) by year."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
