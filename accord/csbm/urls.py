"""The CSBM pages (``views``), downloads (``downloads``: each party's deadlines as a calendar
feed) and the compliance exports (``exports``)."""

from accord.csbm import downloads, exports, views

urlpatterns = [*views.urlpatterns, *downloads.urlpatterns, *exports.urlpatterns]
