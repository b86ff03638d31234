"""The CSBM downloads: each party's deadlines as a calendar feed.

``/csbm/deadlines/<party>.ics`` is what the party owes: acknowledgements and replies with
their deadlines and rules (``accord.csbm.calendar``). Nothing in it is restricted, but
together the deadlines reveal the party's traffic (who writes to it, how often, which
requests it faces), so the feed is for the party alone: a person signed in and reading for
that party (``accord.ledger.registry.readership``), or one presenting a personal API token
(``Authorization: Bearer``) of such a person, as a calendar application or a national
system fetches it; the secretariat, which runs the hub and reads every delivery, may fetch
any party's. Anyone else gets 403, an unknown party 404; the answer is never kept by a
shared cache.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accord.csbm import calendar
from accord.forum import queries as forum_queries
from accord.forum.readership import request_party

ICS = "text/calendar; charset=utf-8"


def _language() -> str:
    return (translation.get_language() or "en").split("-", 1)[0]


PARTY_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


@require_safe
def deadlines(request: HttpRequest, party: str) -> HttpResponse:
    if not PARTY_CODE.fullmatch(party) or forum_queries.party(party) is None:
        raise Http404("No such party")
    reader = request_party(request)
    if reader is None or reader not in (party, forum_queries.secretariat()):
        raise PermissionDenied(
            _(
                "A party's deadlines are for its own delegation: sign in as one of its accredited"
                " people, or send a personal API token."
            )
        )
    response = HttpResponse(calendar.deadlines_ics(party, language=_language()), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="csbm-deadlines-{party}.ics"'
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


urlpatterns: list[URLPattern] = [
    path("csbm/deadlines/<str:party>.ics", deadlines, name="csbm-deadlines-ics"),
]
