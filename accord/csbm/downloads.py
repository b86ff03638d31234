"""The CSBM downloads: compliance exports and each party's deadlines as a calendar feed."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
