"""The conference's JSON API: read editions, meetings, speakers' lists, journals and statements,
and act in them with a personal token.

Reads are public, as the log is; a restricted statement's text is given only to a reader
``accord.dialogue.statements.readable`` entitles (the token, when one is sent, names the
reader's party). Each act route (at its declaration's ``api`` path in
``accord.dialogue.acts``) takes every field of its kind's body, in the path or the JSON
body, calls the act's ``perform`` as the token's person, and answers 201 with the receipts
or the ``Refusal`` with the status its ``Rejected`` subclass carries.
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord.dialogue import acts, journal, order
from accord.dialogue.models import (
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
from accord.dialogue.statements import ItemBody, MemberBody, readable
from accord.forum import queries as forum_queries
from accord.forum.acted import ACTED, acted
from accord.forum.readership import token_party
from accord.people.api import TOKEN

router = Router(tags=["conference"])


class ConferenceProblem(Schema):
    detail: str


READ = {404: ConferenceProblem}


def _missing(what: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": what})


# -- what the reads answer ---------------------------------------------------------------------


class EditionOut(Schema):
    entry_index: int
    series: str
    series_title: str
    number: int
    title: str
    city: str
    venue: str
    time_zone: str
    starts_on: str
    ends_on: str
    chair: str
    languages: list[str]
    participants_symbol: str
    agenda_symbol: str
    agenda_adopted: int | None = Field(description="The adoption's entry, once adopted.")
    created_at: str


class ItemOut(Schema):
    number: str
    title: str
    parent: str
    documents: list[int]
    followups: list[int]


class MeetingOut(Schema):
    entry_index: int
    edition: int
    number: int
    title: str
    starts_at: str
    ends_at: str
    room: str
    format: str
    record: str
    languages: list[str]
    interpretation: list[str]


class DelegationOut(Schema):
    party: str
    standing: str
    members: list[dict[str, Any]] = Field(
        description="handle, function, level and precedence, in order."
    )
    entry_index: int


class CredentialsOut(Schema):
    entry_index: int
    party: str
    issuer: str
    instrument: str
    dated: str
    status: str
    report: int | None


class ReportOut(Schema):
    entry_index: int
    symbol: str
    text: str
    parties: list[str]
    issued_at: str


class SummaryOut(Schema):
    entry_index: int
    kind: str
    symbol: str
    title: str
    language: str
    text: str
    chair: str
    issued_at: str
    authority: Literal["chair"] = Field(
        "chair",
        description="Issued under the chair's own responsibility; never agreed by the parties.",
    )


class FollowUpOut(Schema):
    entry_index: int
    kind: str
    text: str
    owner: str
    status: str
    evidence: str
    updated: int | None
    updated_at: str


class EditionDetail(EditionOut):
    agenda: list[ItemOut]
    meetings: list[MeetingOut]
    delegations: list[DelegationOut]
    credentials: list[CredentialsOut]
    credentials_reports: list[ReportOut]
    summaries: list[SummaryOut]
    followups: list[FollowUpOut]


class StatementOut(Schema):
    entry_index: int
    meeting: int
    item: str
    party: str
    speaker: str
    symbol: str
    language: str
    distribution: str
    restricted: bool = Field(description="Restricted and not derestricted.")
    on_behalf_of: str
    aligning: list[str]
    revises: int | None
    lineage: str
    derestricted_by: int | None
    delivered_at: str
    title: str | None = Field(description="None when the reader may not read the text.")
    text: str | None = Field(description="None when the reader may not read the text.")


class ObjectionOut(Schema):
    entry_index: int
    party: str
    reason: str
    objected_at: str


class QuestionOut(Schema):
    entry_index: int
    item: str
    document: int
    revision: int
    derestricts: list[int]
    asked_at: str
    closes_at: str
    status: str
    decision: int | None
    declared: int | None
    authority: Literal["agreed"] | None = Field(
        None,
        description="``agreed`` once adopted by consensus of the parties present; else null.",
    )
    objections: list[ObjectionOut]


class MeetingDetail(MeetingOut):
    items: list[ItemOut]
    statements: list[StatementOut]
    questions: list[QuestionOut]


class InscriptionOut(Schema):
    entry_index: int
    party: str
    speaker: str
    level: str
    kind: str
    on_behalf_of: str
    aligning: list[str]
    replying_to: str
    seconds: int = Field(description="How long this turn may take, in seconds.")
    inscribed_at: str
    floor: int | None = Field(description="The entry that gave the floor, once given.")
    floor_at: str


class SpeakersOut(Schema):
    meeting: int
    item: str
    opened: int
    opened_at: str
    closed: int | None
    closed_at: str
    seconds: int
    floor: InscriptionOut | None = Field(description="Who has the floor (the last given it).")
    waiting: list[InscriptionOut] = Field(description="In the order they will have the floor.")


class JournalOut(Schema):
    meeting: int
    content: dict[str, Any] = Field(description="The journal as the log implies it.")
    sha256: str = Field(description="The SHA-256 of the content's canonical JSON.")
    issued: int | None = Field(description="The issuing entry, once issued.")
    symbol: str
    issued_sha256: str
    issued_at: str


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


EDITION_FIELDS = tuple(EditionOut.model_fields)
MEETING_FIELDS = tuple(MeetingOut.model_fields)
ITEM_FIELDS = tuple(ItemOut.model_fields)
INSCRIPTION_FIELDS = tuple(InscriptionOut.model_fields)


def _agenda(edition: int) -> list[dict[str, Any]]:
    rows = AgendaItem.objects.filter(edition=edition).order_by("position")
    return [_fields(row, ITEM_FIELDS) for row in rows]


def edition_summary(edition: Edition) -> dict[str, Any]:
    """An edition as ``EditionOut``: what the list and ``accord conference list`` show."""
    return _fields(edition, EDITION_FIELDS)


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return _fields(meeting, MEETING_FIELDS)


def statement_out(delivered: DeliveredStatement, party: str | None) -> dict[str, Any]:
    """A delivered statement; its title and text only for a reader ``readable`` entitles."""
    text = Circulated.objects.filter(entry_index=delivered.circulated).first()
    shown = text is not None and readable(delivered, party, forum_queries.secretariat() or "")
    return {
        **_fields(delivered, tuple(StatementOut.model_fields)[:6]),
        "language": delivered.language,
        "distribution": delivered.distribution,
        "restricted": delivered.is_restricted,
        "on_behalf_of": delivered.on_behalf_of,
        "aligning": list(delivered.aligning),
        "revises": delivered.revises,
        "lineage": delivered.lineage,
        "derestricted_by": delivered.derestricted_by,
        "delivered_at": delivered.delivered_at,
        "title": text.title if shown and text is not None else None,
        "text": text.text if shown and text is not None else None,
    }


# -- reads -------------------------------------------------------------------------------------


@router.get("/conference/editions", response=list[EditionOut])
def editions(request: HttpRequest) -> list[dict[str, Any]]:
    """Every edition, newest first; one query."""
    return [edition_summary(e) for e in Edition.objects.order_by("-entry_index")]


@router.get("/conference/editions/{edition}", response={200: EditionDetail, **READ})
def edition(request: HttpRequest, edition: int) -> Status[dict[str, Any]]:
    """An edition with its agenda, meetings, delegations, credentials and the chair's reports
    on them, the summaries issued under the chair's authority and the follow-up recorded."""
    found = edition_detail(edition)
    if found is None:
        return _missing(f"entry {edition} is not an edition of a conference")
    return Status(200, found)


def edition_detail(edition: int) -> dict[str, Any] | None:
    """An edition as ``EditionDetail`` (what ``accord conference show`` prints), or None."""
    found = Edition.objects.filter(entry_index=edition).first()
    if found is None:
        return None
    return edition_summary(found) | {
        "agenda": _agenda(edition),
        "meetings": [
            meeting_summary(m)
            for m in Meeting.objects.filter(edition=edition).order_by("starts_at", "number")
        ],
        "delegations": [
            {
                "party": d.party,
                "standing": d.standing,
                "members": list(d.members),
                "entry_index": d.entry_index,
            }
            for d in Delegation.objects.filter(edition=edition).order_by("party")
        ],
        "credentials": [
            _fields(c, tuple(CredentialsOut.model_fields))
            for c in Credentials.objects.filter(edition=edition).order_by("entry_index")
        ],
        "credentials_reports": [
            _fields(r, tuple(ReportOut.model_fields))
            for r in CredentialsReport.objects.filter(edition=edition).order_by("entry_index")
        ],
        "summaries": [
            _fields(s, tuple(SummaryOut.model_fields)[:-1]) | {"authority": "chair"}
            for s in Summary.objects.filter(edition=edition).order_by("entry_index")
        ],
        "followups": [
            _fields(f, tuple(FollowUpOut.model_fields))
            for f in FollowUp.objects.filter(edition=edition).order_by("entry_index")
        ],
    }


@router.get("/conference/meetings/{meeting}", response={200: MeetingDetail, **READ})
def meeting(request: HttpRequest, meeting: int) -> Status[dict[str, Any]]:
    """A meeting with its edition's agenda, the statements delivered at it (a restricted
    text only for an entitled reader's token) and the questions put to it with the
    objections made."""
    found = Meeting.objects.filter(entry_index=meeting).first()
    if found is None:
        return _missing(f"entry {meeting} is not a meeting of a conference")
    party = token_party(request)
    questions = list(Question.objects.filter(meeting=meeting).order_by("entry_index"))
    objections: dict[int, list[dict[str, Any]]] = {q.entry_index: [] for q in questions}
    for o in Objection.objects.filter(question__in=list(objections)).order_by("entry_index"):
        objections[o.question].append(_fields(o, tuple(ObjectionOut.model_fields)))
    return Status(
        200,
        meeting_summary(found)
        | {
            "items": _agenda(found.edition),
            "statements": [
                statement_out(d, party)
                for d in DeliveredStatement.objects.filter(meeting=meeting).order_by("entry_index")
            ],
            "questions": [
                {
                    **_fields(q, tuple(QuestionOut.model_fields)[:-2]),
                    "authority": "agreed" if q.status == "adopted" else None,
                    "objections": objections[q.entry_index],
                }
                for q in questions
            ],
        },
    )


@router.get("/conference/meetings/{meeting}/speakers", response={200: SpeakersOut, **READ})
def speakers(request: HttpRequest, meeting: int, item: str) -> Status[dict[str, Any]]:
    """The speakers' list of an item in a meeting: who has the floor (with when it was given
    and the speaking time, for a timer) and who waits, in the order ``accord.dialogue.order``
    computes from the log."""
    found = SpeakersList.objects.filter(meeting=meeting, item=item).first()
    if found is None:
        return _missing(f"no speakers' list was opened for item {item} in entry {meeting}")
    rows = list(Inscription.objects.filter(meeting=meeting, item=item))
    given = [row for row in rows if row.floor is not None]
    current = max(given, key=lambda row: row.floor or 0) if given else None
    return Status(
        200,
        {
            **_fields(
                found, ("meeting", "item", "opened", "opened_at", "closed", "closed_at", "seconds")
            ),
            "floor": _fields(current, INSCRIPTION_FIELDS) if current is not None else None,
            "waiting": [_fields(row, INSCRIPTION_FIELDS) for row in order.waiting(rows)],
        },
    )


@router.get("/conference/meetings/{meeting}/journal", response={200: JournalOut, **READ})
def meeting_journal(request: HttpRequest, meeting: int) -> Status[dict[str, Any]]:
    """The meeting's journal as the log implies it, its hash, and the issued journal's
    symbol and hash once the secretariat issued it (the two hashes agree: the log checked)."""
    if not Meeting.objects.filter(entry_index=meeting).exists():
        return _missing(f"entry {meeting} is not a meeting of a conference")
    content = journal.content(meeting)
    issued = Journal.objects.filter(meeting=meeting).first()
    return Status(
        200,
        {
            "meeting": meeting,
            "content": content,
            "sha256": journal.sha256_of(content),
            "issued": issued.entry_index if issued is not None else None,
            "symbol": issued.symbol if issued is not None else "",
            "issued_sha256": issued.sha256 if issued is not None else "",
            "issued_at": issued.issued_at if issued is not None else "",
        },
    )


@router.get("/conference/statements/{statement}", response={200: StatementOut, **READ})
def statement(request: HttpRequest, statement: int) -> Status[dict[str, Any]]:
    """A delivered statement by its entry; its text only for an entitled reader."""
    found = DeliveredStatement.objects.filter(entry_index=statement).first()
    if found is None:
        return _missing(f"entry {statement} is not a statement delivered at a meeting")
    return Status(200, statement_out(found, token_party(request)))


# -- acts --------------------------------------------------------------------------------------


class EditionIn(Schema):
    series: str = Field(description="The series' code, shared by its editions.")
    series_title: str
    title: str
    city: str
    venue: str = ""
    time_zone: str = Field(description="IANA, e.g. Europe/Minsk.")
    starts_on: str = Field(description="YYYY-MM-DD, local.")
    ends_on: str = Field(description="YYYY-MM-DD, local.")
    chair: str = Field(description="The chairing participating party's code.")
    languages: list[str]


class MeetingIn(Schema):
    title: str
    starts_at: str = Field(description="RFC 3339, UTC.")
    ends_at: str = Field(description="RFC 3339, UTC.")
    room: str
    format: Literal["plenary", "working_group", "informal", "closed"] = "plenary"
    record: Literal["verbatim", "summary", "communique", "none"] = "summary"
    languages: list[str]
    interpretation: list[str] = Field(default_factory=list)


class AgendaIn(Schema):
    items: list[ItemBody]


class AdoptionIn(Schema):
    meeting: int = Field(description="The edition's opening meeting, begun.")


class DelegationIn(Schema):
    members: list[MemberBody]


class CredentialsIn(Schema):
    issuer: Literal["head_of_state", "head_of_government", "foreign_minister"]
    instrument: Literal["formal", "note_verbale", "cable"]
    dated: str = Field(description="YYYY-MM-DD.")


class ReportIn(Schema):
    parties: list[str]
    report: str


class ListIn(Schema):
    item: str
    seconds: int = Field(
        default=0, description="A statement's time, in seconds; 0: the profile's statement_seconds."
    )


class ItemIn(Schema):
    item: str


class InscriptionIn(Schema):
    item: str
    speaker: str = Field(description="A member of the party's delegation.")
    point_of_order: bool = False
    on_behalf_of: str = ""
    aligning: list[str] = Field(default_factory=list)


class ReplyIn(Schema):
    item: str
    to: str = Field(description="The party replied to.")
    speaker: str


class FloorIn(Schema):
    item: str
    inscription: int | None = Field(
        default=None, description="Default: the one the list's order names next."
    )


class TextIn(Schema):
    title: str
    language: str
    text: str
    versions: dict[str, str] = Field(default_factory=dict)
    check_against_delivery: bool = True
    distribution: Literal["public", "restricted"] = "public"


class DeliveryIn(Schema):
    item: str
    circulated: int = Field(description="The circulated text's entry.")
    language: str
    speaker: str = ""
    on_behalf_of: str = ""
    aligning: list[str] = Field(default_factory=list)
    revises: int | None = None
    lineage: Literal["", "Rev.", "Corr.", "Add."] = ""


class DerestrictionIn(Schema):
    decision: int = Field(description="The adopting question's entry that derestricts it.")


class QuestionIn(Schema):
    item: str
    document: int
    revision: int | None = Field(default=None, description="Default: the document's current.")
    derestricts: list[int] = Field(default_factory=list)


class ObjectionIn(Schema):
    reason: str = ""


class DeclarationIn(Schema):
    outcome: Literal["adopted", "not_adopted"] = "adopted"


class SummaryIn(Schema):
    form: Literal["chairs_summary", "perception_paper"] = "chairs_summary"
    title: str
    language: str
    text: str


class JournalIn(Schema):
    sha256: str = Field(default="", description="Default: the journal the log implies.")


class FollowUpIn(Schema):
    category: Literal["recommendation", "commitment"]
    text: str
    owner: str


class FollowUpUpdateIn(Schema):
    status: Literal["open", "in_progress", "done", "dropped"]
    evidence: str = ""


def current_revision(document: int) -> int:
    """A charter document's current revision; 0 for an entry that is none (the check says)."""
    from accord.charter import queries as charter_queries  # noqa: PLC0415

    found = charter_queries.document(document)
    return found.revision if found is not None else 0


@router.post("/conference/editions", auth=TOKEN, response=ACTED)
def create(request: HttpRequest, data: EditionIn) -> Status[dict[str, Any]]:
    """Convene an edition; its entry names it from then on."""
    return acted(acts.CREATE, request, data.model_dump())


@router.post("/conference/editions/{edition}/meetings", auth=TOKEN, response=ACTED)
def add_meeting(request: HttpRequest, edition: int, data: MeetingIn) -> Status[dict[str, Any]]:
    return acted(acts.MEETING, request, {"edition": edition, **data.model_dump()})


@router.post("/conference/editions/{edition}/agenda", auth=TOKEN, response=ACTED)
def propose_agenda(request: HttpRequest, edition: int, data: AgendaIn) -> Status[dict[str, Any]]:
    """The chair proposes the agenda (proposed again, it replaces the earlier one)."""
    items = [item.model_dump() for item in data.items]
    return acted(acts.PROPOSE_AGENDA, request, {"edition": edition, "items": items})


@router.post("/conference/editions/{edition}/agenda/adoption", auth=TOKEN, response=ACTED)
def adopt_agenda(request: HttpRequest, edition: int, data: AdoptionIn) -> Status[dict[str, Any]]:
    return acted(acts.ADOPT_AGENDA, request, {"edition": edition, **data.model_dump()})


@router.post("/conference/editions/{edition}/delegations", auth=TOKEN, response=ACTED)
def name_delegation(
    request: HttpRequest, edition: int, data: DelegationIn
) -> Status[dict[str, Any]]:
    members = [member.model_dump() for member in data.members]
    return acted(acts.DELEGATION, request, {"edition": edition, "members": members})


@router.post("/conference/editions/{edition}/credentials", auth=TOKEN, response=ACTED)
def submit_credentials(
    request: HttpRequest, edition: int, data: CredentialsIn
) -> Status[dict[str, Any]]:
    return acted(acts.SUBMIT_CREDENTIALS, request, {"edition": edition, **data.model_dump()})


@router.post("/conference/editions/{edition}/credentials/report", auth=TOKEN, response=ACTED)
def accept_credentials(
    request: HttpRequest, edition: int, data: ReportIn
) -> Status[dict[str, Any]]:
    return acted(acts.ACCEPT_CREDENTIALS, request, {"edition": edition, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/lists", auth=TOKEN, response=ACTED)
def open_list(request: HttpRequest, meeting: int, data: ListIn) -> Status[dict[str, Any]]:
    return acted(acts.OPEN_LIST, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/lists/closing", auth=TOKEN, response=ACTED)
def close_list(request: HttpRequest, meeting: int, data: ItemIn) -> Status[dict[str, Any]]:
    return acted(acts.CLOSE_LIST, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/inscriptions", auth=TOKEN, response=ACTED)
def inscribe(request: HttpRequest, meeting: int, data: InscriptionIn) -> Status[dict[str, Any]]:
    return acted(acts.INSCRIBE, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/replies", auth=TOKEN, response=ACTED)
def reply(request: HttpRequest, meeting: int, data: ReplyIn) -> Status[dict[str, Any]]:
    return acted(acts.REPLY, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/floor", auth=TOKEN, response=ACTED)
def give_floor(request: HttpRequest, meeting: int, data: FloorIn) -> Status[dict[str, Any]]:
    """The chair gives the floor to the speaker the list's order names next."""
    return acted(acts.FLOOR, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/texts", auth=TOKEN, response=ACTED)
def circulate(request: HttpRequest, data: TextIn) -> Status[dict[str, Any]]:
    """Circulate a statement's text before delivering it; ``restricted``, the log holds only a
    commitment to it and the text stays on the host."""
    return acted(acts.CIRCULATE, request, data.model_dump())


@router.post("/conference/meetings/{meeting}/statements", auth=TOKEN, response=ACTED)
def deliver(request: HttpRequest, meeting: int, data: DeliveryIn) -> Status[dict[str, Any]]:
    """Deliver a circulated text under an item; it takes its symbol then."""
    return acted(acts.DELIVER, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/statements/{statement}/derestriction", auth=TOKEN, response=ACTED)
def derestrict(
    request: HttpRequest, statement: int, data: DerestrictionIn
) -> Status[dict[str, Any]]:
    return acted(acts.DERESTRICT, request, {"statement": statement, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/questions", auth=TOKEN, response=ACTED)
def ask(request: HttpRequest, meeting: int, data: QuestionIn) -> Status[dict[str, Any]]:
    """The chair asks the meeting to adopt a draft by consensus; the parties may object until
    the question's window closes."""
    fields = {"meeting": meeting, **data.model_dump()}
    if fields["revision"] is None:
        fields["revision"] = current_revision(data.document)
    return acted(acts.ASK, request, fields)


@router.post("/conference/questions/{question}/objections", auth=TOKEN, response=ACTED)
def object_to(request: HttpRequest, question: int, data: ObjectionIn) -> Status[dict[str, Any]]:
    return acted(acts.OBJECT, request, {"question": question, **data.model_dump()})


@router.post("/conference/questions/{question}/declaration", auth=TOKEN, response=ACTED)
def declare(request: HttpRequest, question: int, data: DeclarationIn) -> Status[dict[str, Any]]:
    return acted(acts.DECLARE, request, {"question": question, **data.model_dump()})


@router.post("/conference/editions/{edition}/summaries", auth=TOKEN, response=ACTED)
def issue_summary(request: HttpRequest, edition: int, data: SummaryIn) -> Status[dict[str, Any]]:
    """The chair issues a summary under its own responsibility; nobody adopts it."""
    return acted(acts.SUMMARY, request, {"edition": edition, **data.model_dump()})


@router.post("/conference/meetings/{meeting}/journal", auth=TOKEN, response=ACTED)
def issue_journal(request: HttpRequest, meeting: int, data: JournalIn) -> Status[dict[str, Any]]:
    return acted(acts.JOURNAL, request, {"meeting": meeting, **data.model_dump()})


@router.post("/conference/editions/{edition}/followups", auth=TOKEN, response=ACTED)
def record_followup(request: HttpRequest, edition: int, data: FollowUpIn) -> Status[dict[str, Any]]:
    return acted(acts.FOLLOWUP, request, {"edition": edition, **data.model_dump()})


@router.post("/conference/followups/{followup}/updates", auth=TOKEN, response=ACTED)
def update_followup(
    request: HttpRequest, followup: int, data: FollowUpUpdateIn
) -> Status[dict[str, Any]]:
    return acted(acts.FOLLOWUP_UPDATE, request, {"followup": followup, **data.model_dump()})
