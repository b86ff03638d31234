"""URL routes: each app's ``urls.py`` (the sign-in pages are the people app's), and the JSON API.

The error handlers are the front app's: the layout for pages, JSON under /api/.
"""

from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from accord.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("accord.ledger.urls")),
    path("", include("accord.forum.urls")),
    path("", include("accord.people.urls")),
    path("", include("accord.charter.urls")),
    path("", include("accord.dialogue.urls")),
    path("", include("accord.csbm.urls")),
    path("i18n/setlang/", set_language, name="set-language"),
    path("api/v1/", api.urls),
]

handler400 = "accord.front.errors.bad_request"
handler403 = "accord.front.errors.forbidden"
handler404 = "accord.front.errors.not_found"
handler500 = "accord.front.errors.server_error"
