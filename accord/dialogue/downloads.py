"""The conference's downloads: calendars and exports, public and without sign-in.

Each answers a GET (or HEAD) with the file and a ``Content-Disposition`` naming it by its
symbol, labelled in the page's language. Only a restricted statement depends on who asks:
the signed-in person's party, as the ledger's explorer pages read it
(``accord.ledger.registry.readership``), must be one ``accord.dialogue.statements.readable``
entitles, else the answer is 403; such an answer is never kept by a shared cache.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accord.dialogue import calendar, exports
from accord.dialogue.models import DeliveredStatement, Edition, Journal, Meeting
from accord.forum.readership import session_party

ICS = "text/calendar; charset=utf-8"
JOURNAL = ("pdf", "docx", "txt")
"""The journal's download extensions; ``txt`` is the export format ``text``."""


def _language() -> str:
    return (translation.get_language() or "en").split("-", 1)[0]


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stem(symbol: str) -> str:
    """A symbol as a file name, as the charter's downloads write it (``FD-JOUR-1-25``)."""
    return symbol.replace("/", "-").replace(".", "-").replace(" ", "-")


@require_safe
def edition_calendar(_request: HttpRequest, edition: int) -> HttpResponse:
    found = Edition.objects.filter(entry_index=edition).first()
    if found is None:
        raise Http404("No such edition")
    data = calendar.edition_ics(edition, language=_language())
    return _file(data, ICS, f"{found.series}-{found.number}.ics")


@require_safe
def meeting_calendar(_request: HttpRequest, meeting: int) -> HttpResponse:
    found = Meeting.objects.filter(entry_index=meeting).first()
    if found is None:
        raise Http404("No such meeting")
    data = calendar.meeting_ics(meeting, language=_language())
    return _file(data, ICS, f"meeting-{found.number}-{meeting}.ics")


@require_safe
def journal(_request: HttpRequest, meeting: int, fmt: str) -> HttpResponse:
    found = Meeting.objects.filter(entry_index=meeting).first()
    if found is None or fmt not in JOURNAL:
        raise Http404("No such journal")
    kind = "text" if fmt == "txt" else fmt
    issued = Journal.objects.filter(meeting=meeting).first()
    stem = _stem(issued.symbol) if issued else f"journal-meeting-{found.number}-{meeting}"
    data = exports.journal(meeting, kind, _language())
    return _file(data, exports.MEDIA_TYPES[kind], f"{stem}.{fmt}")


@require_safe
def statement(request: HttpRequest, statement: int, fmt: str) -> HttpResponse:
    found = DeliveredStatement.objects.filter(entry_index=statement).first()
    if found is None or fmt not in exports.STATEMENT_FORMATS:
        raise Http404("No such statement")
    try:
        data = exports.statement(statement, fmt, _language(), session_party(request))
    except PermissionError as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    except ObjectDoesNotExist as missing:
        raise Http404("No such statement") from missing
    response = _file(data, exports.MEDIA_TYPES[fmt], f"{_stem(found.symbol)}.{fmt}")
    if found.is_restricted:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def participants(request: HttpRequest, edition: int, fmt: str) -> HttpResponse:
    """The list of participants; with people's names for a reader accredited in the forum,
    by handle for anyone else (names are personal data, kept beside the log)."""
    found = Edition.objects.filter(entry_index=edition).first()
    if found is None or fmt not in exports.PARTICIPANTS_FORMATS:
        raise Http404("No such list of participants")
    named = session_party(request) is not None
    data = exports.participants(edition, fmt, _language(), with_names=named)
    response = _file(data, exports.MEDIA_TYPES[fmt], f"{_stem(found.participants_symbol)}.{fmt}")
    if named:
        patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns: list[URLPattern] = [
    path(
        "conference/<int:edition>/calendar.ics",
        edition_calendar,
        name="conference-edition-ics",
    ),
    path(
        "conference/meetings/<int:meeting>/calendar.ics",
        meeting_calendar,
        name="conference-meeting-ics",
    ),
    path(
        "conference/meetings/<int:meeting>/journal.<str:fmt>",
        journal,
        name="conference-journal-export",
    ),
    path(
        "conference/statements/<int:statement>.<str:fmt>",
        statement,
        name="conference-statement-export",
    ),
    path(
        "conference/<int:edition>/participants.<str:fmt>",
        participants,
        name="conference-participants-export",
    ),
]
