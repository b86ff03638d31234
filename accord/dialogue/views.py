"""The conference's pages: editions, agendas, participants, meetings, the live room and its
projector, statements and journals, read by anyone; and a page for every declared act
(``accord.dialogue.acts``), acted on by signed-in people for their party.

Every act goes through its declaration by way of the forum's ``act_from_form``, so the
rules profile and the log decide on the web exactly as on the API and the CLI; a form
appears only when ``offered`` says the profile grants the act to the reader. A POST first
asks who acts (403 for a stranger, before anything is looked up). A restricted statement's
text is shown only to a reader ``statements.readable`` allows. The room's poll costs a
fixed number of queries whatever the length of the list (``tests/dialogue/test_room.py``).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, register_converter
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from accord.dialogue import acts, journal, queries
from accord.dialogue import forms as dialogue_forms
from accord.dialogue.models import Edition, Meeting
from accord.dialogue.statements import readable
from accord.dialogue.templatetags.dialogue_words import parse
from accord.forum import queries as forum_queries
from accord.forum.readership import session_party
from accord.forum.views import ActForm, act_from_form, acting_person, offered, shown
from accord.ledger.acts import Act
from accord.ledger.models import LogState
from accord.ledger.names import PartyNames, party_names
from accord.lib import clock
from accord.people.signin import person_of

# -- the act pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """An act's page: its form and the URL parameters its path names."""

    act: Act
    form: type[forms.Form]
    route: str
    parameters: tuple[str, ...] = ()

    @property
    def box(self) -> str:
        return f"{self.act.page}-form"


PAGES = (
    Page(acts.CREATE, dialogue_forms.CreateForm, "conference/create"),
    Page(
        acts.MEETING,
        dialogue_forms.MeetingForm,
        "conference/<int:edition>/meetings/add",
        ("edition",),
    ),
    Page(
        acts.PROPOSE_AGENDA,
        dialogue_forms.AgendaForm,
        "conference/<int:edition>/agenda/propose",
        ("edition",),
    ),
    Page(
        acts.ADOPT_AGENDA,
        dialogue_forms.AdoptAgendaForm,
        "conference/<int:edition>/agenda/adopt",
        ("edition",),
    ),
    Page(
        acts.DELEGATION,
        dialogue_forms.DelegationForm,
        "conference/<int:edition>/delegation",
        ("edition",),
    ),
    Page(
        acts.SUBMIT_CREDENTIALS,
        dialogue_forms.CredentialsForm,
        "conference/<int:edition>/credentials/submit",
        ("edition",),
    ),
    Page(
        acts.ACCEPT_CREDENTIALS,
        dialogue_forms.AcceptCredentialsForm,
        "conference/<int:edition>/credentials/accept",
        ("edition",),
    ),
    Page(
        acts.SUMMARY, dialogue_forms.SummaryForm, "conference/<int:edition>/summary", ("edition",)
    ),
    Page(
        acts.FOLLOWUP,
        dialogue_forms.FollowUpForm,
        "conference/<int:edition>/followups/record",
        ("edition",),
    ),
    Page(
        acts.FOLLOWUP_UPDATE,
        dialogue_forms.FollowUpUpdateForm,
        "conference/followups/<int:followup>/update",
        ("followup",),
    ),
    Page(
        acts.OPEN_LIST,
        dialogue_forms.ListForm,
        "conference/meetings/<int:meeting>/speakers/open",
        ("meeting",),
    ),
    Page(
        acts.CLOSE_LIST,
        dialogue_forms.ItemForm,
        "conference/meetings/<int:meeting>/speakers/close",
        ("meeting",),
    ),
    Page(
        acts.INSCRIBE,
        dialogue_forms.InscribeForm,
        "conference/meetings/<int:meeting>/speakers/inscribe",
        ("meeting",),
    ),
    Page(
        acts.FLOOR,
        dialogue_forms.FloorForm,
        "conference/meetings/<int:meeting>/speakers/next",
        ("meeting",),
    ),
    Page(
        acts.REPLY,
        dialogue_forms.ReplyForm,
        "conference/meetings/<int:meeting>/reply",
        ("meeting",),
    ),
    Page(acts.CIRCULATE, dialogue_forms.CirculateForm, "conference/statements/circulate"),
    Page(
        acts.DELIVER,
        dialogue_forms.DeliverForm,
        "conference/meetings/<int:meeting>/statements/deliver",
        ("meeting",),
    ),
    Page(
        acts.DERESTRICT,
        dialogue_forms.DerestrictForm,
        "conference/statements/<int:statement>/derestrict",
        ("statement",),
    ),
    Page(
        acts.ASK, dialogue_forms.AskForm, "conference/meetings/<int:meeting>/decide", ("meeting",)
    ),
    Page(
        acts.OBJECT,
        dialogue_forms.ObjectForm,
        "conference/questions/<int:question>/object",
        ("question",),
    ),
    Page(
        acts.DECLARE,
        dialogue_forms.DeclareForm,
        "conference/questions/<int:question>/declare",
        ("question",),
    ),
    Page(
        acts.JOURNAL,
        dialogue_forms.JournalForm,
        "conference/meetings/<int:meeting>/journal/issue",
        ("meeting",),
    ),
)
BY_ACT = {page.act.page: page for page in PAGES}


def _receipts(act: Act) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
    return lambda actor, data: {"accepted": act.action(actor, data)}


def _act_view(page: Page) -> Callable[..., HttpResponse]:
    @require_POST
    def view(request: HttpRequest, **named: int) -> HttpResponse:
        acting_person(request)
        form = page.form(request.POST)
        shown_as = shown(page.act, _box(page, named), *named.values())
        return act_from_form(request, form, _receipts(page.act), shown_as, page.act, dict(named))

    view.__name__ = page.act.page.replace("-", "_")
    view.__doc__ = f"{page.act.title}: the act's POST, for a signed-in person."
    return view


def _box(page: Page, named: dict[str, int]) -> str:
    """The element htmx swaps: one per act and per thing it acts on (a page may offer the
    same act for several questions)."""
    suffix = "-".join(str(value) for value in named.values())
    return f"{page.box}-{suffix}" if suffix and page.parameters[0] != "meeting" else page.box


@dataclass(frozen=True)
class Offer:
    act: ActForm
    form: forms.Form


def _offer(
    request: HttpRequest, name: str, *args: int, chair: str = "", **initial: Any
) -> Offer | None:
    """The act's form when the profile grants it to the reader now; one query."""
    page = BY_ACT[name]
    if name in CHAIRED and not _chairs(request, chair):
        return None
    named = dict(zip(page.parameters, args, strict=True))
    act = offered(request, page.act, _box(page, named), *args)
    return None if act is None else Offer(act, page.form(initial=initial))


CHAIRED = frozenset(
    act.page for act in acts.DIALOGUE_ACTS if acts.CHAIR in act.grants and act is not acts.CREATE
)
"""Acts only the edition's chair (or, where granted, the secretariat) may make: the profile
grants them to every participating party, the kind's check to the chair alone, so a page
offers them only to the chair's people and the secretariat's."""


def _chairs(request: HttpRequest, chair: str) -> bool:
    """Whether the reader acts for the edition's chair or the secretariat; one query."""
    person = person_of(request)
    return person is not None and person.party in (chair, forum_queries.secretariat())


def _offers(request: HttpRequest, *wanted: Offer | None) -> list[Offer]:
    return [offer for offer in wanted if offer is not None]


# -- reading --------------------------------------------------------------------------------------


def _edition(entry: int) -> Edition:
    found = queries.edition(entry)
    if found is None:
        raise Http404(f"entry {entry} is not an edition of a conference")
    return found


def _meeting(entry: int) -> tuple[Meeting, Edition]:
    found = queries.meeting(entry)
    if found is None:
        raise Http404(f"entry {entry} is not a meeting of a conference")
    return found, _edition(found.edition)


def _private(response: HttpResponse) -> HttpResponse:
    """A page that depends on who reads; no shared cache may keep it."""
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def editions(request: HttpRequest) -> HttpResponse:
    """The series and their editions, scheduled and past, each with its meetings (so every
    meeting, its room and its journal are two links from the forum's home), and the form to
    convene one."""
    rows = queries.editions()
    held = queries.meetings_by_edition()
    today = clock.now().date().isoformat()
    series: dict[str, tuple[str, list[tuple[Edition, bool, list[Meeting]]]]] = {}
    for row in rows:
        shown_row = (row, row.ends_on < today, held.get(row.entry_index, []))
        series.setdefault(row.series, (row.series_title, []))[1].append(shown_row)
    context = {
        "series": list(series.values()),
        "offers": _offers(request, _offer(request, "conference-create")),
    }
    return render(request, "dialogue/editions.html", context)


@require_safe
def edition(request: HttpRequest, edition: int) -> HttpResponse:
    """An edition: its dates, city and chair, the agenda, the meetings, decisions, the chair's
    summaries and the follow-up."""
    found = _edition(edition)
    meetings = queries.meetings(edition)
    followups = queries.followups(edition)
    context = {
        "edition": found,
        "agenda": queries.agenda(edition),
        "meetings": meetings,
        "questions": [
            (one, None, None) for one in queries.questions(m.entry_index for m in meetings)
        ],
        "summaries": queries.summaries(edition),
        "followups": [
            (row, _offer(request, "conference-followup-update", row.entry_index))
            for row in followups
        ],
        "offers": _offers(
            request,
            _offer(request, "conference-meeting-add", edition, chair=found.chair),
            _offer(request, "conference-agenda-propose", edition, chair=found.chair),
            _offer(
                request,
                "conference-agenda-adopt",
                edition,
                chair=found.chair,
                meeting=meetings[0].entry_index if meetings else None,
            )
            if found.agenda_adopted is None
            else None,
            _offer(request, "conference-summary", edition, chair=found.chair),
            _offer(request, "conference-followup-record", edition, chair=found.chair),
        ),
    }
    return render(request, "dialogue/edition.html", context)


@require_safe
def participants(request: HttpRequest, edition: int) -> HttpResponse:
    """The delegations by standing, their members by precedence and their credentials."""
    found = _edition(edition)
    context = {
        "edition": found,
        "present": queries.participants(edition),
        "offers": _offers(
            request,
            _offer(request, "conference-delegation", edition),
            _offer(request, "conference-credentials-submit", edition),
            _offer(request, "conference-credentials-accept", edition, chair=found.chair),
        ),
    }
    return render(request, "dialogue/participants.html", context)


def _shown_statements(
    request: HttpRequest, rows: list[queries.Spoken]
) -> list[tuple[queries.Spoken, bool]]:
    """Each statement with whether the reader may read its text (two queries at most)."""
    if not any(row.delivered.is_restricted for row in rows):
        return [(row, True) for row in rows]
    party = session_party(request)
    secretariat = forum_queries.secretariat() or ""
    return [(row, readable(row.delivered, party, secretariat)) for row in rows]


@require_safe
def meeting(request: HttpRequest, meeting: int) -> HttpResponse:
    """A meeting: when and where, the agenda, its statements and its questions with the
    objections and outcome; the chair's and the delegations' forms."""
    found, edition_of = _meeting(meeting)
    room = queries.room(meeting)
    item = room.item if room is not None else ""
    asked = queries.questions([meeting])
    context = {
        "meeting": found,
        "edition": edition_of,
        "agenda": queries.agenda(edition_of.entry_index),
        "statements": _shown_statements(request, queries.statements(meeting)),
        "questions": [
            (
                one,
                _offer(request, "conference-object", one.question.entry_index),
                _offer(
                    request, "conference-declare", one.question.entry_index, chair=edition_of.chair
                ),
            )
            if one.question.status == "asked"
            else (one, None, None)
            for one in asked
        ],
        "offers": _offers(
            request,
            _offer(request, "conference-speakers-open", meeting, chair=edition_of.chair, item=item),
            _offer(
                request, "conference-speakers-close", meeting, chair=edition_of.chair, item=item
            ),
            _offer(request, "conference-speakers-next", meeting, chair=edition_of.chair, item=item),
            _offer(request, "conference-speakers-inscribe", meeting, item=item),
            _offer(request, "conference-reply", meeting, item=item),
            _offer(request, "conference-statement-circulate"),
            _offer(request, "conference-statement-deliver", meeting, item=item),
            _offer(request, "conference-decide", meeting, chair=edition_of.chair, item=item),
            _offer(request, "conference-journal-issue", meeting)
            if queries.journal(meeting) is None
            else None,
        ),
    }
    return _private(render(request, "dialogue/meeting.html", context))


ROOM_SECONDS = 300
"""How long a rendered speakers' list stays in the cache; it is keyed by the log's size, so a
new entry is shown at the next poll and the bound only frees memory."""


def _listing(
    request: HttpRequest, meeting_entry: int
) -> tuple[queries.Room | None, str, PartyNames]:
    """The room, its rendered lists and the parties' names as of the log's latest entry, in the
    reader's language.

    Two hundred delegations poll every two seconds and the list changes only when the log
    grows, so the lists are computed and rendered once per entry (and language) and served
    from the cache until the next: one query (the log's state) instead of seven and a loop over
    every inscription. The key is the log's origin, size and last time, so a new entry or
    another log is never answered from an old rendering.
    """
    state = LogState.objects.values_list("origin", "size", "last_logged_at").first()
    key = (
        "dialogue.room:"
        + hashlib.sha256(
            repr((state, meeting_entry, translation.get_language())).encode()
        ).hexdigest()
    )
    found: tuple[queries.Room | None, str, PartyNames] | None = cache.get(key)
    if found is None:
        room = queries.room(meeting_entry)
        names = party_names()
        listing = (
            render_to_string("dialogue/partials/_room_lists.html", {"room": room, "parties": names})
            if room is not None
            else ""
        )
        # What the poll needs besides the rendered lists: the floor and the next three (for
        # the projector), not every inscription, which each later poll would unpickle.
        slim = replace(room, speakers=room.speakers[:3], replies=[]) if room else None
        found = (slim, listing, names)
        cache.set(key, found, ROOM_SECONDS)
    return found


def _room_context(request: HttpRequest, meeting_entry: int, found: Meeting) -> dict[str, Any]:
    """The room as the poll shows it: the lists (from the cache while the log has not grown),
    the floor, and the seconds left, computed now (the countdown moves with every poll)."""
    room, listing, names = _listing(request, meeting_entry)
    left = None
    if room is not None and room.speaking is not None and room.speaking.seconds:
        started = parse(room.speaking.floor_at)
        if started is not None:
            spent = int((clock.now() - started).total_seconds())
            left = max(room.speaking.seconds - spent, 0)
    return {
        "meeting": found,
        "room": room,
        "listing": mark_safe(listing),  # noqa: S308 -- rendered by our own template, escaped
        "parties": names,
        "left": left,
        "left_text": f"{left // 60}:{left % 60:02d}" if left is not None else "",
    }


@require_safe
def room(request: HttpRequest, meeting: int) -> HttpResponse:
    """The live room: the speakers' list of the current item, the rights of reply, who has the
    floor and the time left, refreshed by polling."""
    found, edition_of = _meeting(meeting)
    context = _room_context(request, meeting, found)
    item = context["room"].item if context["room"] is not None else ""
    person = person_of(request)
    speaker = person.handle if person is not None else ""
    context |= {
        "edition": edition_of,
        "offers": _offers(
            request,
            _offer(request, "conference-speakers-inscribe", meeting, item=item, speaker=speaker),
            _offer(request, "conference-reply", meeting, item=item, speaker=speaker),
            _offer(request, "conference-speakers-next", meeting, chair=edition_of.chair, item=item),
        ),
    }
    return render(request, "dialogue/room.html", context)


@require_safe
def room_poll(request: HttpRequest, meeting: int) -> HttpResponse:
    """The room's partial alone: the meeting and the log's state, and while the log has not
    grown since the last poll nothing more (``_listing``); after a new entry the list, the
    item's title, the inscriptions and the party names, whatever the number of inscriptions."""
    found = queries.meeting(meeting)
    if found is None:
        raise Http404(f"entry {meeting} is not a meeting of a conference")
    return render(request, "dialogue/partials/_room.html", _room_context(request, meeting, found))


@require_safe
def projector(request: HttpRequest, meeting: int) -> HttpResponse:
    """For the hall's screen: the speaker in large type, the time left, the next three."""
    found, edition_of = _meeting(meeting)
    context = _room_context(request, meeting, found) | {"edition": edition_of}
    if request.headers.get("HX-Request"):
        return render(request, "dialogue/partials/_projector.html", context)
    return render(request, "dialogue/projector.html", context)


@require_safe
def statement(request: HttpRequest, statement: int) -> HttpResponse:
    """A delivered statement: its symbol, languages, on whose behalf, its lineage and
    distribution; a restricted one's text only for a reader allowed to read it."""
    found = queries.statement(statement)
    if found is None:
        raise Http404(f"entry {statement} is not a statement delivered at a meeting")
    delivered = found.delivered
    meeting_of, edition_of = _meeting(delivered.meeting)
    party = session_party(request) if delivered.is_restricted else None
    shown_text = not delivered.is_restricted or readable(
        delivered, party, forum_queries.secretariat() or ""
    )
    context = {
        "spoken": found,
        "delivered": delivered,
        "circulated": found.circulated,
        "readable": shown_text,
        "meeting": meeting_of,
        "edition": edition_of,
        "lineage": queries.lineage(delivered),
        "offers": _offers(
            request,
            _offer(request, "conference-statement-derestrict", statement, chair=edition_of.chair)
            if delivered.is_restricted
            else None,
        ),
    }
    return _private(render(request, "dialogue/statement.html", context))


@require_safe
def journal_page(request: HttpRequest, meeting: int) -> HttpResponse:
    """The meeting's journal as the log implies it, and whether the secretariat issued it."""
    found, edition_of = _meeting(meeting)
    content = journal.content(meeting)
    issued = queries.journal(meeting)
    context = {
        "meeting": found,
        "edition": edition_of,
        "content": content,
        "issued": issued,
        "sha256": journal.sha256_of(content),
        "offers": _offers(request, _offer(request, "conference-journal-issue", meeting))
        if issued is None
        else [],
    }
    return render(request, "dialogue/journal.html", context)


class DayConverter:
    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as bad:
            raise ValueError(value) from bad

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(DayConverter, "day")


@require_safe
def day(request: HttpRequest, on: date) -> HttpResponse:
    """The journal of the day: every meeting that day, its room, open or closed."""
    context = {"on": on, "programme": queries.day(on)}
    return render(request, "dialogue/day.html", context)


urlpatterns: list[URLPattern] = [
    path("conference", editions, name="conference-editions"),
    path("conference/<int:edition>", edition, name="conference-edition"),
    path("conference/<int:edition>/participants", participants, name="conference-participants"),
    path("conference/meetings/<int:meeting>", meeting, name="conference-meeting"),
    path("conference/meetings/<int:meeting>/room", room, name="conference-room"),
    path("conference/meetings/<int:meeting>/room/poll", room_poll, name="conference-room-poll"),
    path("conference/meetings/<int:meeting>/projector", projector, name="conference-projector"),
    path("conference/meetings/<int:meeting>/journal", journal_page, name="conference-journal"),
    path("conference/statements/<int:statement>", statement, name="conference-statement"),
    path("conference/journal/<day:on>", day, name="conference-day"),
    *(path(page.route, _act_view(page), name=page.act.page) for page in PAGES),
]
