"""The conference's statement kinds: editions, meetings, the agenda, delegations and
credentials, the speakers' list and the right of reply, statements circulated and
delivered, decisions by consensus, the chair's summary, journals and follow-up.

Each class is one kind: its fields are the body's schema, its docstring its paragraph
in docs/dialogue.md, ``check`` says when it may be made now and ``apply`` writes the
projection. Who may make a kind at all is the rules profile's business; what is checked
here holds whoever is granted it: only an edition's chair runs its agenda, its list and
its decisions, and a delegation acts in a meeting only while its credentials are
provisional or accepted. Deadlines are judged by the log's ``logged_at``.

A restricted statement's text is circulated by its own kind (``dialogue.statement
.circulated``), so that every fact the journal and the speakers' list rest on (who
spoke, under which item, with which symbol) is public and a public replay reproduces
it; only the text is withheld.
"""

from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.charter import queries as charter_queries
from accord.charter import statements as charter_statements
from accord.dialogue import journal, order
from accord.dialogue.models import (
    PROJECTIONS,
    AgendaItem,
    Circulated,
    Credentials,
    CredentialsReport,
    Delegation,
    DeliveredStatement,
    Edition,
    FollowUp,
    Inscription,
    Journal,
    Meeting,
    Objection,
    Question,
    SpeakersList,
    Summary,
)
from accord.dialogue.rules import dialogue_rules, reply_seconds
from accord.forum import queries as forum_queries
from accord.ledger.digest import register_projection
from accord.ledger.envelope import Statement, format_time, parse_time
from accord.ledger.errors import Malformed, NotAllowed
from accord.ledger.registry import Body, Context, read_rule, statement_kind

if TYPE_CHECKING:
    from accord.charter.models import Document

for _model in PROJECTIONS:
    register_projection(_model)

Language = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
Code = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
Handle = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,39}$")
ItemNumber = Field(pattern=r"^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$")
Day = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
Moment = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$")
MAX_TEXT = 100_000
IN_TOUCH = ("participating", "observer", "partner")
"""Standings whose delegations may attend an edition; the participating parties' are the
edition's members, the others attend as guests of the chair (by their standing)."""


def _plain(value: str) -> str:
    """A text's control characters (but line breaks and tabs) are refused: what a page or an
    export shows is exactly what was signed, and markup in it is shown as text, inert."""
    bad = [ch for ch in value if ord(ch) < 32 and ch not in "\n\t\r"]
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad[0]):04X}")
    return value


class _Plain(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# -- reads for check and apply -------------------------------------------------------------------


def _edition(entry: int) -> Edition:
    found = Edition.objects.filter(entry_index=entry).first()
    if found is None:
        raise NotAllowed(f"entry {entry} is not an edition of a conference", "no_edition")
    return found


def _meeting(entry: int) -> tuple[Meeting, Edition]:
    found = Meeting.objects.filter(entry_index=entry).first()
    if found is None:
        raise NotAllowed(f"entry {entry} is not a meeting of a conference", "no_meeting")
    return found, _edition(found.edition)


def _chair_only(edition: Edition, actor: str, what: str) -> None:
    if actor != edition.chair:
        raise NotAllowed(f"only the chair of {edition.title} ({edition.chair}) {what}", "not_chair")


def _item(edition: Edition, number: str) -> AgendaItem:
    found = AgendaItem.objects.filter(edition=edition.entry_index, number=number).first()
    if found is None:
        raise NotAllowed(f"the agenda of {edition.title} has no item {number}", "no_item")
    return found


def _adopted_item(edition: Edition, number: str) -> AgendaItem:
    """An item of the adopted agenda: what a meeting hears and decides under."""
    if edition.agenda_adopted is None:
        raise NotAllowed(f"the agenda of {edition.title} is not adopted yet", "agenda_not_adopted")
    return _item(edition, number)


def _credentials(edition: Edition, party: str) -> Credentials:
    """The party's latest credentials to the edition, if they let its delegation act."""
    found = (
        Credentials.objects.filter(edition=edition.entry_index, party=party)
        .order_by("-entry_index")
        .first()
    )
    if found is None or found.status not in ("provisional", "accepted"):
        raise NotAllowed(
            f"{party} has no credentials to {edition.title}; a delegation acts in a meeting only"
            " while its credentials are provisional or accepted",
            "no_credentials",
        )
    return found


def _delegation(edition: Edition, party: str) -> Delegation:
    found = Delegation.objects.filter(edition=edition.entry_index, party=party).first()
    if found is None:
        raise NotAllowed(f"{party} has named no delegation to {edition.title}", "no_delegation")
    return found


def _member(delegation: Delegation, handle: str) -> dict[str, str]:
    for member in delegation.members:
        if member["handle"] == handle:
            return dict(member)
    raise NotAllowed(
        f"{handle} is not a member of the delegation of {delegation.party}", "not_in_delegation"
    )


def _parties(codes: list[str]) -> None:
    unknown = [code for code in codes if forum_queries.party(code) is None]
    if unknown:
        raise NotAllowed(f"{', '.join(unknown)}: no such party in the forum", "unknown_party")


def _delivered(entry: int) -> DeliveredStatement:
    found = DeliveredStatement.objects.filter(entry_index=entry).first()
    if found is None:
        raise NotAllowed(f"entry {entry} is not a statement delivered at a meeting", "no_statement")
    return found


def _draft(entry: int) -> "Document":
    found = charter_queries.document(entry)
    if found is None:
        raise NotAllowed(f"entry {entry} is not a document of this forum", "no_document")
    if found.status != "draft":
        raise NotAllowed(
            f"{found.current_symbol} is {found.status.replace('_', ' ')}; only a draft is put to"
            " a meeting",
            "not_a_draft",
        )
    return found


@cache
def _zones() -> frozenset[str]:
    return frozenset(resources.files("tzdata").joinpath("zones").read_text().split())


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` as the pinned ``tzdata`` package has it, never the machine's
    own database: a check that reads a zone must read the same rules on every party's replay,
    on any system. Raises ValueError for a name the package does not list (spelled exactly)."""
    if name not in _zones():
        raise ValueError(f"{name!r} is not an IANA time zone (such as Europe/Minsk)")
    path = resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
    with path.open("rb") as data:
        return ZoneInfo.from_file(data, key=name)


def moment_of(text: str) -> datetime:
    """A meeting's time as the body gives it (RFC 3339 UTC, ``Z``, seconds optional fraction)."""
    return datetime.fromisoformat(text)


def _local_day(moment: str, name: str) -> str:
    return moment_of(moment).astimezone(zone(name)).date().isoformat()


# -- editions and meetings -----------------------------------------------------------------------


@statement_kind("dialogue.edition.created", 1)
class EditionCreated(Body):
    """An edition of a conference series is convened: the series (a short name and its title),
    the edition's title, city and venue, its days in its own time zone, the party in the chair
    (a participating party) and the languages offered. Editions of a series are numbered in
    the order they are created; each takes the symbol of its list of participants
    (``<prefix>.INF/<n>/<yy>``)."""

    series: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    series_title: str = Field(min_length=1, max_length=300)
    title: str = Field(min_length=1, max_length=300)
    city: str = Field(min_length=1, max_length=120)
    venue: str = Field(default="", max_length=300)
    time_zone: str = Field(min_length=1, max_length=64)
    starts_on: str = Day
    ends_on: str = Day
    chair: str = Code
    languages: list[str] = Field(min_length=1, max_length=12)

    _plain_texts = field_validator("series_title", "title", "city", "venue")(_plain)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        zone(name)
        return name

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(EditionCreated)
        try:
            starts, ends = date.fromisoformat(body.starts_on), date.fromisoformat(body.ends_on)
        except ValueError as error:
            raise Malformed(f"not a date: {error}", "bad_date") from error
        if ends < starts:
            raise NotAllowed(
                f"the edition ends on {body.ends_on}, before it starts on {body.starts_on}",
                "ends_before_start",
            )
        chair = forum_queries.party(body.chair)
        if chair is None or chair.status != "participating":
            raise NotAllowed(
                f"{body.chair} is not a participating party; only one chairs an edition",
                "chair_not_participating",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(EditionCreated)
        Edition.objects.create(
            entry_index=ctx.index,
            number=Edition.objects.filter(series=body.series).count() + 1,
            participants_symbol=charter_statements.allocate_symbol("INF", ctx),
            created_at=format_time(ctx.logged_at),
            **body.model_dump(),
        )


@statement_kind("dialogue.meeting.added", 1)
class MeetingAdded(Body):
    """The chair (or the secretariat) adds a numbered meeting to an edition: its title, start
    and end (UTC), room, format (plenary, working group, informal, closed), the record it will
    have (verbatim, summary, communiqué, none), its languages and the interpretation offered
    (``en-ru`` for English to and from Russian). Two meetings never share a room at once, and
    a meeting falls within its edition's days."""

    edition: int = Field(ge=0)
    title: str = Field(min_length=1, max_length=300)
    starts_at: str = Moment
    ends_at: str = Moment
    room: str = Field(min_length=1, max_length=120)
    format: Literal["plenary", "working_group", "informal", "closed"] = "plenary"
    record: Literal["verbatim", "summary", "communique", "none"] = "summary"
    languages: list[str] = Field(min_length=1, max_length=12)
    interpretation: list[str] = Field(default_factory=list, max_length=30)

    _plain_texts = field_validator("title", "room")(_plain)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _a_real_time(cls, text: str) -> str:
        moment_of(text)  # 25:00 or 30 February: ValueError, a bad body
        return text

    @field_validator("interpretation")
    @classmethod
    def _pairs(cls, pairs: list[str]) -> list[str]:
        for pair in pairs:
            source, _, target = pair.partition("-")
            if not (source.isalpha() and target.isalpha() and 2 <= len(source) <= 3):
                raise ValueError(f"{pair!r} is not a language pair such as en-ru")
        return pairs

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(MeetingAdded)
        edition = _edition(body.edition)
        if ctx.actor not in (edition.chair, ctx.log.secretariat):
            raise NotAllowed(
                f"only the chair of {edition.title} or the secretariat adds its meetings",
                "not_chair",
            )
        starts, ends = moment_of(body.starts_at), moment_of(body.ends_at)
        if ends <= starts:
            raise NotAllowed("a meeting ends after it starts", "ends_before_start")
        first, last = (
            _local_day(body.starts_at, edition.time_zone),
            _local_day(body.ends_at, edition.time_zone),
        )
        if first < edition.starts_on or last > edition.ends_on:
            raise NotAllowed(
                f"{edition.title} runs from {edition.starts_on} to {edition.ends_on}; the meeting"
                " falls outside it",
                "outside_edition",
            )
        room = body.room.casefold()
        for other in Meeting.objects.all():
            overlaps = moment_of(other.starts_at) < ends and starts < moment_of(other.ends_at)
            if other.room.casefold() == room and overlaps:
                raise NotAllowed(
                    f"{other.room} is taken from {other.starts_at} to {other.ends_at} by"
                    f" “{other.title}”",
                    "room_clash",
                )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(MeetingAdded)
        Meeting.objects.create(
            entry_index=ctx.index,
            number=Meeting.objects.filter(edition=body.edition).count() + 1,
            **body.model_dump(),
        )


# -- the agenda ----------------------------------------------------------------------------------


class ItemBody(_Plain):
    """One agenda item: its number (``2.1``), title, the parent it sits under, the documents
    linked to it (entries of charter documents) and the follow-up it reviews."""

    number: str = ItemNumber
    title: str = Field(min_length=1, max_length=500)
    documents: list[int] = Field(default_factory=list, max_length=50)
    followups: list[int] = Field(default_factory=list, max_length=50)

    _plain_texts = field_validator("title")(_plain)

    @property
    def parent(self) -> str:
        return self.number.rpartition(".")[0]


@statement_kind("dialogue.agenda.proposed", 1)
class AgendaProposed(Body):
    """The chair proposes the edition's agenda: numbered items, nested by their numbers
    (``2.1`` under ``2``), each with its linked documents and the follow-up of earlier
    editions it reviews. A later proposal replaces an earlier one until the agenda is adopted."""

    edition: int = Field(ge=0)
    items: list[ItemBody] = Field(min_length=1, max_length=200)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(AgendaProposed)
        edition = _edition(body.edition)
        _chair_only(edition, ctx.actor, "proposes its agenda")
        if edition.agenda_adopted is not None:
            raise NotAllowed(f"the agenda of {edition.title} was adopted", "agenda_adopted")
        seen: set[str] = set()
        for item in body.items:
            if item.number in seen:
                raise Malformed(f"item {item.number} appears twice", "bad_agenda")
            if item.parent and item.parent not in seen:
                raise Malformed(
                    f"item {item.number} comes before its parent {item.parent}", "bad_agenda"
                )
            seen.add(item.number)
            for document in item.documents:
                if charter_queries.document(document) is None:
                    raise NotAllowed(
                        f"item {item.number}: entry {document} is not a document",
                        "no_document",
                    )
            for followup in item.followups:
                found = FollowUp.objects.filter(entry_index=followup).first()
                if found is None or found.edition == edition.entry_index:
                    raise NotAllowed(
                        f"item {item.number}: entry {followup} is no follow-up of an earlier"
                        " edition",
                        "no_followup",
                    )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(AgendaProposed)
        AgendaItem.objects.filter(edition=body.edition).delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(
                edition=body.edition,
                number=item.number,
                position=position,
                title=item.title,
                parent=item.parent,
                documents=item.documents,
                followups=item.followups,
            )
            for position, item in enumerate(body.items)
        )
        Edition.objects.filter(entry_index=body.edition).update(agenda_entry=ctx.index)


@statement_kind("dialogue.agenda.adopted", 1)
class AgendaAdopted(Body):
    """The chair declares the agenda adopted at the edition's opening meeting, once it has
    begun: a decision of the meeting, with a symbol of the decisions' series."""

    edition: int = Field(ge=0)
    meeting: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(AgendaAdopted)
        edition = _edition(body.edition)
        _chair_only(edition, ctx.actor, "declares its agenda adopted")
        if edition.agenda_entry is None:
            raise NotAllowed(f"no agenda of {edition.title} was proposed", "no_agenda")
        if edition.agenda_adopted is not None:
            raise NotAllowed(f"the agenda of {edition.title} was adopted", "agenda_adopted")
        meeting, _edition_of = _meeting(body.meeting)
        opening = Meeting.objects.filter(edition=edition.entry_index).order_by("number").first()
        if opening is None or meeting.entry_index != opening.entry_index:
            raise NotAllowed(
                f"the agenda is adopted at the opening meeting of {edition.title}",
                "not_opening",
            )
        if ctx.logged_at < moment_of(meeting.starts_at):
            raise NotAllowed(f"the opening meeting begins at {meeting.starts_at}", "not_begun")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(AgendaAdopted)
        Edition.objects.filter(entry_index=body.edition).update(
            agenda_adopted=ctx.index,
            agenda_symbol=charter_statements.allocate_symbol("DEC", ctx),
        )


# -- delegations and credentials -----------------------------------------------------------------


class MemberBody(_Plain):
    """A member of a delegation: an accredited person of the party, the function held and
    the level the speakers' list orders by."""

    handle: str = Handle
    function: Literal["head", "alternate", "adviser"]
    level: Literal["head_of_state", "head_of_government", "minister", "ambassador", "other"]


@statement_kind("dialogue.delegation.named", 1)
class DelegationNamed(Body):
    """A party names its delegation to an edition: one head, alternates and advisers in order
    of precedence, each a person accredited to the party in the forum. Named again, the list
    replaces the earlier one. Participating parties attend as members; observers and partners
    as guests of the chair, by their standing."""

    edition: int = Field(ge=0)
    members: list[MemberBody] = Field(min_length=1, max_length=60)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(DelegationNamed)
        edition = _edition(body.edition)
        party = forum_queries.party(ctx.actor)
        if party is None or party.status not in IN_TOUCH:
            raise NotAllowed(
                f"{ctx.actor} neither participates in nor is a guest of the forum",
                "not_in_touch",
            )
        if sum(member.function == "head" for member in body.members) != 1:
            raise Malformed("a delegation has exactly one head", "one_head")
        handles = [member.handle for member in body.members]
        if len(set(handles)) != len(handles):
            raise Malformed("a person appears twice in the delegation", "twice")
        accredited = {row.handle for row in forum_queries.delegation(ctx.actor)}
        missing = [handle for handle in handles if handle not in accredited]
        if missing:
            raise NotAllowed(
                f"{', '.join(missing)}: not accredited to {ctx.actor}; accredit them first",
                "not_accredited",
            )
        del edition

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(DelegationNamed)
        party = forum_queries.party(ctx.actor)
        Delegation.objects.update_or_create(
            edition=body.edition,
            party=ctx.actor,
            defaults={
                "standing": party.status if party is not None else "",
                "members": [
                    {**member.model_dump(), "precedence": position}
                    for position, member in enumerate(body.members, start=1)
                ],
                "entry_index": ctx.index,
            },
        )


@statement_kind("dialogue.credentials.submitted", 1)
class CredentialsSubmitted(Body):
    """A party submits its delegation's credentials to an edition: issued by its head of
    state, head of government or foreign minister (UNGA rule 27), as a formal instrument, a
    note verbale or a cable, and dated. They are provisional until the chair accepts them;
    while provisional the delegation already acts (UNESCO practice)."""

    edition: int = Field(ge=0)
    issuer: Literal["head_of_state", "head_of_government", "foreign_minister"]
    instrument: Literal["formal", "note_verbale", "cable"]
    dated: str = Day

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(CredentialsSubmitted)
        edition = _edition(body.edition)
        _delegation(edition, ctx.actor)
        try:
            dated = date.fromisoformat(body.dated)
        except ValueError as error:
            raise Malformed(f"not a date: {error}", "bad_date") from error
        if dated > ctx.logged_at.date():
            raise NotAllowed(f"credentials dated {body.dated} are dated in the future", "future")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(CredentialsSubmitted)
        Credentials.objects.create(
            entry_index=ctx.index,
            edition=body.edition,
            party=ctx.actor,
            issuer=body.issuer,
            instrument=body.instrument,
            dated=body.dated,
        )


@statement_kind("dialogue.credentials.accepted", 1)
class CredentialsAccepted(Body):
    """The chair reports on the credentials examined and accepts those of the parties named:
    the report is a document with its own symbol (``<prefix>.INF/<n>/<yy>``)."""

    edition: int = Field(ge=0)
    parties: list[str] = Field(min_length=1, max_length=200)
    report: str = Field(min_length=1, max_length=MAX_TEXT)

    _plain_texts = field_validator("report")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(CredentialsAccepted)
        edition = _edition(body.edition)
        _chair_only(edition, ctx.actor, "reports on credentials")
        if len(set(body.parties)) != len(body.parties):
            raise Malformed("a party is named twice in the report", "twice")
        for party in body.parties:
            found = (
                Credentials.objects.filter(edition=edition.entry_index, party=party)
                .order_by("-entry_index")
                .first()
            )
            if found is None or found.status != "provisional":
                raise NotAllowed(
                    f"{party} has no provisional credentials to {edition.title}",
                    "no_credentials",
                )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(CredentialsAccepted)
        CredentialsReport.objects.create(
            entry_index=ctx.index,
            edition=body.edition,
            symbol=charter_statements.allocate_symbol("INF", ctx),
            text=body.report,
            parties=sorted(body.parties),
            issued_at=format_time(ctx.logged_at),
        )
        Credentials.objects.filter(
            edition=body.edition, party__in=body.parties, status="provisional"
        ).update(status="accepted", report=ctx.index)


# -- the speakers' list --------------------------------------------------------------------------


def _list(meeting: Meeting, item: str) -> SpeakersList:
    found = SpeakersList.objects.filter(meeting=meeting.entry_index, item=item).first()
    if found is None:
        raise NotAllowed(
            f"no speakers' list was opened for item {item} of meeting {meeting.number}",
            "no_list",
        )
    return found


@statement_kind("dialogue.speakers.opened", 1)
class SpeakersOpened(Body):
    """The chair opens the inscription window of an agenda item in a meeting, once the agenda
    is adopted, with the time each statement may take (the profile's by default)."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber
    seconds: int = Field(default=0, ge=0, le=3600)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SpeakersOpened)
        meeting, edition = _meeting(body.meeting)
        _chair_only(edition, ctx.actor, "opens the speakers' list")
        if edition.agenda_adopted is None:
            raise NotAllowed(
                f"the agenda of {edition.title} is not adopted yet", "agenda_not_adopted"
            )
        _item(edition, body.item)
        found = SpeakersList.objects.filter(meeting=meeting.entry_index, item=body.item).first()
        if found is not None and found.closed is None:
            raise NotAllowed(f"the speakers' list of item {body.item} is open", "list_open")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SpeakersOpened)
        seconds = body.seconds or dialogue_rules().statement_seconds
        SpeakersList.objects.update_or_create(
            meeting=body.meeting,
            item=body.item,
            defaults={
                "opened": ctx.index,
                "opened_at": format_time(ctx.logged_at),
                "closed": None,
                "closed_at": "",
                "seconds": seconds,
            },
        )


@statement_kind("dialogue.speakers.closed", 1)
class SpeakersClosed(Body):
    """The chair closes the inscription window; those inscribed still speak, and points of
    order and rights of reply are still asked."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SpeakersClosed)
        meeting, edition = _meeting(body.meeting)
        _chair_only(edition, ctx.actor, "closes the speakers' list")
        if _list(meeting, body.item).closed is not None:
            raise NotAllowed(f"the speakers' list of item {body.item} is closed", "list_closed")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SpeakersClosed)
        SpeakersList.objects.filter(meeting=body.meeting, item=body.item).update(
            closed=ctx.index, closed_at=format_time(ctx.logged_at)
        )


@statement_kind("dialogue.speaker.inscribed", 1)
class SpeakerInscribed(Body):
    """A delegation inscribes a member of it on an item's speakers' list, while the window is
    open and once an item: a statement, in the speaker's own name or on behalf of a group
    (“on behalf of X, with Y and Z aligning”); or a point of order, which goes to the top and
    may be raised while the window is closed. The speaker's level is the one the delegation
    named. A delegation has one point of order waiting at a time, so none holds the floor by
    raising them one after another."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber
    speaker: str = Handle
    point_of_order: bool = False
    on_behalf_of: str = Field(default="", max_length=200)
    aligning: list[str] = Field(default_factory=list, max_length=60)

    _plain_texts = field_validator("on_behalf_of")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SpeakerInscribed)
        meeting, edition = _meeting(body.meeting)
        _credentials(edition, ctx.actor)
        _member(_delegation(edition, ctx.actor), body.speaker)
        window = _list(meeting, body.item)
        _parties(body.aligning)
        if body.point_of_order:
            if Inscription.objects.filter(
                meeting=meeting.entry_index,
                item=body.item,
                party=ctx.actor,
                kind="point_of_order",
                floor__isnull=True,
            ).exists():
                raise NotAllowed(
                    f"{ctx.actor} has a point of order waiting on item {body.item}; it is heard"
                    " before another is raised",
                    "point_of_order_waiting",
                )
            return
        if window.closed is not None:
            raise NotAllowed(
                f"inscription on item {body.item} closed at {window.closed_at}", "list_closed"
            )
        if Inscription.objects.filter(
            meeting=meeting.entry_index, item=body.item, party=ctx.actor, kind="statement"
        ).exists():
            raise NotAllowed(f"{ctx.actor} is already inscribed on item {body.item}", "inscribed")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SpeakerInscribed)
        meeting, edition = _meeting(body.meeting)
        member = _member(_delegation(edition, ctx.actor), body.speaker)
        rules = dialogue_rules()
        window = _list(meeting, body.item)
        Inscription.objects.create(
            entry_index=ctx.index,
            meeting=body.meeting,
            item=body.item,
            party=ctx.actor,
            speaker=body.speaker,
            level=member["level"],
            kind="point_of_order" if body.point_of_order else "statement",
            on_behalf_of=body.on_behalf_of,
            aligning=body.aligning,
            seconds=rules.point_of_order_seconds if body.point_of_order else window.seconds,
            inscribed_at=format_time(ctx.logged_at),
        )


@statement_kind("dialogue.reply.requested", 1)
class ReplyRequested(Body):
    """A delegation asks for the right of reply to a party that has spoken on the item: a
    queue of its own at the end of the item, capped in number and length per party, item and
    meeting by the profile (``dialogue.reply_cap``, ``dialogue.reply_seconds``)."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber
    to: str = Code
    speaker: str = Handle

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ReplyRequested)
        meeting, edition = _meeting(body.meeting)
        _credentials(edition, ctx.actor)
        _member(_delegation(edition, ctx.actor), body.speaker)
        _list(meeting, body.item)
        if body.to == ctx.actor:
            raise NotAllowed("a delegation does not reply to itself", "reply_to_self")
        if not Inscription.objects.filter(
            meeting=meeting.entry_index, item=body.item, party=body.to, floor__isnull=False
        ).exists():
            raise NotAllowed(
                f"{body.to} has not spoken on item {body.item}; there is nothing to reply to",
                "not_spoken",
            )
        cap = dialogue_rules().reply_cap
        asked = Inscription.objects.filter(
            meeting=meeting.entry_index, item=body.item, party=ctx.actor, kind="reply"
        ).count()
        if asked >= cap:
            raise NotAllowed(
                f"{ctx.actor} has had its {cap} replies on item {body.item} of this meeting",
                "reply_cap",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ReplyRequested)
        meeting, edition = _meeting(body.meeting)
        member = _member(_delegation(edition, ctx.actor), body.speaker)
        turn = Inscription.objects.filter(
            meeting=body.meeting, item=body.item, party=ctx.actor, kind="reply"
        ).count()
        Inscription.objects.create(
            entry_index=ctx.index,
            meeting=body.meeting,
            item=body.item,
            party=ctx.actor,
            speaker=body.speaker,
            level=member["level"],
            kind="reply",
            replying_to=body.to,
            seconds=reply_seconds(dialogue_rules(), turn),
            inscribed_at=format_time(ctx.logged_at),
        )
        del meeting


def next_speaker(meeting: int, item: str) -> Inscription | None:
    """Whoever has the floor next on the item, as anyone recomputes it; one query."""
    queue = order.waiting(Inscription.objects.filter(meeting=meeting, item=item))
    return queue[0] if queue else None


@statement_kind("dialogue.floor.given", 1)
class FloorGiven(Body):
    """The chair gives the floor to the next speaker of the item: the one the list's order
    names (points of order, then statements by level and time, then replies), never another.
    The speaker's time runs from the entry's ``logged_at``."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber
    inscription: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(FloorGiven)
        meeting, edition = _meeting(body.meeting)
        _chair_only(edition, ctx.actor, "gives the floor")
        _list(meeting, body.item)
        following = next_speaker(meeting.entry_index, body.item)
        if following is None:
            raise NotAllowed(f"nobody waits for the floor on item {body.item}", "nobody_waiting")
        if following.entry_index != body.inscription:
            raise NotAllowed(
                f"the floor goes to {following.party} next ({following.speaker}, inscription"
                f" {following.entry_index}), not to inscription {body.inscription}",
                "out_of_order",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(FloorGiven)
        Inscription.objects.filter(entry_index=body.inscription).update(
            floor=ctx.index, floor_at=format_time(ctx.logged_at)
        )


# -- statements ----------------------------------------------------------------------------------


@statement_kind("dialogue.statement.circulated", 1, distributions=("public", "restricted"))
class StatementCirculated(Body):
    """A delegation circulates the text of a statement before delivering it (the copy for the
    interpreters): its title, original language, the text, other language versions, and
    whether it is to be checked against delivery. Restricted, the log holds only a commitment
    and the text reaches the secretariat until delivery, then the participating parties."""

    title: str = Field(min_length=1, max_length=300)
    language: str = Language
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    versions: dict[str, str] = Field(default_factory=dict, max_length=12)
    check_against_delivery: bool = True

    _plain_texts = field_validator("title", "text")(_plain)

    @field_validator("versions")
    @classmethod
    def _versions(cls, versions: dict[str, str]) -> dict[str, str]:
        for language, text in versions.items():
            if not language.isalpha() or not 2 <= len(language) <= 3:
                raise ValueError(f"{language!r} is not a language code")
            if len(text) > MAX_TEXT:
                raise ValueError(f"the {language} version is longer than {MAX_TEXT} characters")
            _plain(text)
        return versions

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body
        assert body is None or isinstance(body, StatementCirculated)
        Circulated.objects.create(
            entry_index=ctx.index,
            party=ctx.actor,
            distribution=ctx.statement.distribution,
            commitment=str(ctx.statement.body.get("commitment", "")),
            title=body.title if body else "",
            language=body.language if body else "",
            text=body.text if body else "",
            versions=dict(body.versions) if body else {},
            check_against_delivery=body.check_against_delivery if body else False,
            circulated_at=format_time(ctx.logged_at),
        )


@read_rule("dialogue.statement.circulated")
def _who_reads_a_circulated_text(statement: Statement, party: str) -> bool:
    """Before delivery: nobody but the delegation and the secretariat (its interpreters).
    Delivered: the participating parties, and anyone once a decision derestricted it."""
    commitment = str(statement.body.get("commitment", ""))
    text = Circulated.objects.filter(commitment=commitment).first() if commitment else None
    delivered = (
        DeliveredStatement.objects.filter(circulated=text.entry_index).first() if text else None
    )
    if delivered is None:
        return False
    if not delivered.is_restricted:
        return True
    found = forum_queries.party(party)
    return found is not None and found.status == "participating"


def readable(delivered: DeliveredStatement, party: str | None, secretariat: str) -> bool:
    """Whether a reader for ``party`` (None: signed out) may read a delivered statement's text:
    public or derestricted to anyone; restricted to the delegation, the secretariat and the
    participating parties. Pages, API answers and exports all ask this."""
    if not delivered.is_restricted:
        return True
    if party is None:
        return False
    if party in (delivered.party, secretariat):
        return True
    found = forum_queries.party(party)
    return found is not None and found.status == "participating"


@statement_kind("dialogue.statement.delivered", 1)
class StatementDelivered(Body):
    """A delegation delivers a statement it circulated, at a meeting under an item, in a
    language the meeting offers, in its own name or on behalf of a group with others aligning.
    It takes the next symbol of the delegations' series (``<prefix>.DEL/<n>/<yy>``), or,
    revising, correcting or adding to an earlier statement of the party, that one's symbol with
    ``/Rev.N``, ``/Corr.N`` or ``/Add.N``. Its distribution level is the circulated text's."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber
    circulated: int = Field(ge=0)
    language: str = Language
    speaker: str = Field(default="", pattern=r"^([a-z0-9][a-z0-9._-]{0,39})?$")
    on_behalf_of: str = Field(default="", max_length=200)
    aligning: list[str] = Field(default_factory=list, max_length=60)
    revises: int | None = Field(default=None, ge=0)
    lineage: Literal["", "Rev.", "Corr.", "Add."] = ""

    _plain_texts = field_validator("on_behalf_of")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(StatementDelivered)
        meeting, edition = _meeting(body.meeting)
        _credentials(edition, ctx.actor)
        _adopted_item(edition, body.item)
        if body.speaker:
            _member(_delegation(edition, ctx.actor), body.speaker)
        _parties(body.aligning)
        text = Circulated.objects.filter(entry_index=body.circulated).first()
        if text is None or text.party != ctx.actor:
            raise NotAllowed(
                f"entry {body.circulated} is no text {ctx.actor} circulated", "not_circulated"
            )
        if DeliveredStatement.objects.filter(circulated=body.circulated).exists():
            raise NotAllowed(f"the text of entry {body.circulated} was delivered", "delivered")
        if body.language not in meeting.languages:
            raise NotAllowed(
                f"meeting {meeting.number} offers {', '.join(meeting.languages)}, not"
                f" {body.language}",
                "language_not_offered",
            )
        if (body.revises is None) != (body.lineage == ""):
            raise Malformed("a revision names the statement it revises and how", "bad_lineage")
        if body.revises is not None:
            earlier = _delivered(body.revises)
            if earlier.party != ctx.actor:
                raise NotAllowed(
                    f"{earlier.symbol} is {earlier.party}'s; a party revises only its own",
                    "not_yours",
                )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(StatementDelivered)
        text = Circulated.objects.get(entry_index=body.circulated)
        if body.revises is None:
            symbol = charter_statements.allocate_symbol("DEL", ctx)
        else:
            base = _delivered(body.revises)
            root = base.revises if base.lineage else None
            stem = base.symbol if root is None else base.symbol.rsplit("/", 1)[0]
            count = DeliveredStatement.objects.filter(
                symbol__startswith=f"{stem}/{body.lineage}"
            ).count()
            symbol = f"{stem}/{body.lineage}{count + 1}"
        DeliveredStatement.objects.create(
            entry_index=ctx.index,
            meeting=body.meeting,
            item=body.item,
            party=ctx.actor,
            speaker=body.speaker,
            circulated=body.circulated,
            symbol=symbol,
            language=body.language,
            distribution=text.distribution,
            on_behalf_of=body.on_behalf_of,
            aligning=body.aligning,
            revises=body.revises,
            lineage=body.lineage,
            delivered_at=format_time(ctx.logged_at),
        )


@statement_kind("dialogue.statement.derestricted", 1)
class StatementDerestricted(Body):
    """The chair or the secretariat derestricts a restricted statement as a decision adopted at
    a meeting provided: from then on its text is public on every page and export."""

    statement: int = Field(ge=0)
    decision: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(StatementDerestricted)
        delivered = _delivered(body.statement)
        meeting, edition = _meeting(delivered.meeting)
        if ctx.actor not in (edition.chair, ctx.log.secretariat):
            raise NotAllowed(
                "only the chair or the secretariat carries out a derestriction", "not_chair"
            )
        if not delivered.is_restricted:
            raise NotAllowed(f"{delivered.symbol} is not restricted", "not_restricted")
        question = Question.objects.filter(decision=body.decision, status="adopted").first()
        if question is None or body.statement not in question.derestricts:
            raise NotAllowed(
                f"no decision adopted at a meeting derestricts {delivered.symbol}",
                "no_derestriction",
            )
        del meeting

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(StatementDerestricted)
        DeliveredStatement.objects.filter(entry_index=body.statement).update(
            derestricted_by=ctx.index
        )


# -- decisions by consensus ----------------------------------------------------------------------


def _question(entry: int) -> Question:
    found = Question.objects.filter(entry_index=entry).first()
    if found is None:
        raise NotAllowed(f"entry {entry} is not a question put to a meeting", "no_question")
    return found


@statement_kind("dialogue.decision.asked", 1)
class DecisionAsked(Body):
    """The chair asks a meeting to adopt a draft decision (a document of the forum, at its
    current revision) by consensus under an item of the adopted agenda, and may name restricted
    statements delivered at this edition that it would derestrict. The parties present may
    object until the profile's window (``dialogue.objection_minutes``) has passed, judged by
    ``logged_at``."""

    meeting: int = Field(ge=0)
    item: str = ItemNumber
    document: int = Field(ge=0)
    revision: int = Field(ge=0)
    derestricts: list[int] = Field(default_factory=list, max_length=50)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(DecisionAsked)
        meeting, edition = _meeting(body.meeting)
        _chair_only(edition, ctx.actor, "asks the meeting for a decision")
        _adopted_item(edition, body.item)
        document = _draft(body.document)
        if document.revision != body.revision:
            raise NotAllowed(
                f"{document.symbol} is at revision {document.revision}, not {body.revision}",
                "stale_revision",
            )
        if Question.objects.filter(document=body.document, status="asked").exists():
            raise NotAllowed(f"{document.symbol} is already before a meeting", "asked")
        for entry in body.derestricts:
            delivered = _delivered(entry)
            if not delivered.is_restricted:
                raise NotAllowed(f"entry {entry} is not a restricted statement", "not_restricted")
            if _meeting(delivered.meeting)[1].entry_index != edition.entry_index:
                raise NotAllowed(
                    f"{delivered.symbol} was delivered at another edition; only a decision of the"
                    " edition it was delivered at derestricts it",
                    "another_edition",
                )
        del meeting

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(DecisionAsked)
        window = timedelta(minutes=dialogue_rules().objection_minutes)
        Question.objects.create(
            entry_index=ctx.index,
            meeting=body.meeting,
            item=body.item,
            document=body.document,
            revision=body.revision,
            derestricts=body.derestricts,
            asked_at=format_time(ctx.logged_at),
            closes_at=format_time(ctx.logged_at + window),
        )


@statement_kind("dialogue.objection.made", 1)
class ObjectionMade(Body):
    """A participating party present at the meeting (its credentials provisional or accepted)
    objects to the decision asked, before the window closes: consensus is then not reached."""

    question: int = Field(ge=0)
    reason: str = Field(default="", max_length=10_000)

    _plain_texts = field_validator("reason")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ObjectionMade)
        question = _question(body.question)
        meeting, edition = _meeting(question.meeting)
        party = forum_queries.party(ctx.actor)
        if party is None or party.status != "participating":
            raise NotAllowed(
                f"{ctx.actor} is not a participating party; only they object", "not_participating"
            )
        _credentials(edition, ctx.actor)
        if question.status != "asked":
            raise NotAllowed(f"the question was {question.status}", "decided")
        if ctx.logged_at > parse_time(question.closes_at):
            raise NotAllowed(
                f"objections to the question closed at {question.closes_at}", "window_closed"
            )
        if Objection.objects.filter(question=question.entry_index, party=ctx.actor).exists():
            raise NotAllowed(f"{ctx.actor} has objected already", "objected")
        del meeting

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ObjectionMade)
        Objection.objects.create(
            entry_index=ctx.index,
            question=body.question,
            party=ctx.actor,
            reason=body.reason,
            objected_at=format_time(ctx.logged_at),
        )


@statement_kind("dialogue.decision.declared", 1)
class DecisionDeclared(Body):
    """The chair declares the outcome once the window has passed: adopted only if no objection
    was recorded and the document was not revised meanwhile, and then the draft becomes a
    decision of the forum, with its own symbol and the charter's window for interpretative
    statements; or not adopted, which the chair may declare before the window closes only once
    an objection is recorded, so no question is closed before the parties could object."""

    question: int = Field(ge=0)
    outcome: Literal["adopted", "not_adopted"]

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(DecisionDeclared)
        question = _question(body.question)
        meeting, edition = _meeting(question.meeting)
        _chair_only(edition, ctx.actor, "declares a decision")
        if question.status != "asked":
            raise NotAllowed(f"the question was {question.status}", "decided")
        objections = sorted(
            Objection.objects.filter(question=question.entry_index).values_list("party", flat=True)
        )
        if body.outcome == "not_adopted" and objections:
            return  # one objection is enough: consensus cannot be reached
        if ctx.logged_at <= parse_time(question.closes_at):
            raise NotAllowed(f"the parties may object until {question.closes_at}", "window_open")
        if body.outcome == "not_adopted":
            return
        if objections:
            raise NotAllowed(
                f"{', '.join(objections)} objected; there is no consensus to declare",
                "objection_recorded",
            )
        document = _draft(question.document)
        if document.revision != question.revision:
            raise NotAllowed(
                f"{document.symbol} was revised after the question was asked", "stale_revision"
            )
        del meeting

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(DecisionDeclared)
        question = _question(body.question)
        question.declared = ctx.index
        question.status = body.outcome
        if body.outcome == "adopted":
            document = _draft(question.document)
            charter_statements.adopt(
                document, question.revision, ctx, path="meeting", source=question.entry_index
            )
            question.decision = ctx.index
        question.save(update_fields=["declared", "status", "decision"])


# -- outcomes, journals, follow-up ---------------------------------------------------------------


@statement_kind("dialogue.summary.issued", 1)
class SummaryIssued(Body):
    """The chair issues a chair's summary or a perception paper of an edition under its own
    responsibility: it has a symbol (``<prefix>.GAL/<n>/<yy>``) but was not agreed by the
    parties, and every page and export says so."""

    edition: int = Field(ge=0)
    form: Literal["chairs_summary", "perception_paper"] = "chairs_summary"
    title: str = Field(min_length=1, max_length=300)
    language: str = Language
    text: str = Field(min_length=1, max_length=MAX_TEXT)

    _plain_texts = field_validator("title", "text")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(SummaryIssued)
        _chair_only(_edition(body.edition), ctx.actor, "issues a chair's summary")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(SummaryIssued)
        Summary.objects.create(
            entry_index=ctx.index,
            edition=body.edition,
            kind=body.form,
            symbol=charter_statements.allocate_symbol("GAL", ctx),
            title=body.title,
            language=body.language,
            text=body.text,
            chair=ctx.actor,
            issued_at=format_time(ctx.logged_at),
        )


@statement_kind("dialogue.journal.issued", 1)
class JournalIssued(Body):
    """The secretariat issues a meeting's journal: who spoke under each item with the symbols
    of their statements, the decisions adopted and the interpretative statements attached.
    The body carries the SHA-256 of the journal's canonical JSON, which ``check`` recomputes
    from the log, so a journal that says what did not happen is refused, on replay too. It
    takes the next symbol of the journals' series (``<prefix>.JOUR/<n>/<yy>``)."""

    meeting: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(JournalIssued)
        meeting, _edition_of = _meeting(body.meeting)
        if ctx.actor != ctx.log.secretariat:
            raise NotAllowed("the secretariat issues the journal", "not_secretariat")
        if Journal.objects.filter(meeting=meeting.entry_index).exists():
            raise NotAllowed(
                f"the journal of meeting {meeting.number} was issued", "journal_issued"
            )
        expected = journal.sha256_of(journal.content(meeting.entry_index))
        if body.sha256 != expected:
            raise NotAllowed(
                f"the journal of meeting {meeting.number} as the log has it hashes to"
                f" {expected}, not {body.sha256}",
                "journal_mismatch",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(JournalIssued)
        Journal.objects.create(
            entry_index=ctx.index,
            meeting=body.meeting,
            symbol=charter_statements.allocate_symbol("JOUR", ctx),
            sha256=body.sha256,
            issued_at=format_time(ctx.logged_at),
        )


@statement_kind("dialogue.followup.recorded", 1)
class FollowUpRecorded(Body):
    """The chair records a recommendation or commitment of an edition, with the party that
    owns it; the agenda of a later edition reviews it."""

    edition: int = Field(ge=0)
    category: Literal["recommendation", "commitment"]
    text: str = Field(min_length=1, max_length=10_000)
    owner: str = Code

    _plain_texts = field_validator("text")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(FollowUpRecorded)
        _chair_only(_edition(body.edition), ctx.actor, "records its follow-up")
        _parties([body.owner])

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(FollowUpRecorded)
        FollowUp.objects.create(
            entry_index=ctx.index,
            edition=body.edition,
            kind=body.category,
            text=body.text,
            owner=body.owner,
        )


@statement_kind("dialogue.followup.updated", 1)
class FollowUpUpdated(Body):
    """The party that owns a follow-up item (or the chair of its edition) reports its status,
    with the evidence."""

    followup: int = Field(ge=0)
    status: Literal["open", "in_progress", "done", "dropped"]
    evidence: str = Field(default="", max_length=10_000)

    _plain_texts = field_validator("evidence")(_plain)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(FollowUpUpdated)
        found = FollowUp.objects.filter(entry_index=body.followup).first()
        if found is None:
            raise NotAllowed(f"entry {body.followup} is not a follow-up item", "no_followup")
        if ctx.actor not in (found.owner, _edition(found.edition).chair):
            raise NotAllowed(
                f"the follow-up is {found.owner}'s; its owner or the chair reports on it",
                "not_owner",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(FollowUpUpdated)
        FollowUp.objects.filter(entry_index=body.followup).update(
            status=body.status,
            evidence=body.evidence,
            updated=ctx.index,
            updated_at=format_time(ctx.logged_at),
        )
