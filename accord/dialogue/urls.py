"""The conference's pages (``views``) and downloads (``downloads``: exports and calendars)."""

from accord.dialogue import downloads, views

urlpatterns = [*views.urlpatterns, *downloads.urlpatterns]
