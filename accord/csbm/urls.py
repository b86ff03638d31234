"""The CSBM pages (``views``) and downloads (``downloads``: exports and calendar feeds)."""

from accord.csbm import downloads, views

urlpatterns = [*views.urlpatterns, *downloads.urlpatterns]
