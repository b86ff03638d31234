"""The charter's JSON API: read documents, compilations, amendments, silence and decisions, and
act on them with a personal token.

Reads are public, as the log is. Each act route (at its declaration's ``api`` path in
``accord.charter.acts``) takes every field of its kind's body, in the path or the JSON
body, calls the act's ``perform`` as the token's person, and answers 201 with the receipts
(``Receipt``) or the ``Refusal`` with the status its ``Rejected`` subclass carries. An
own-key chair signs the body ``GET …/next-revision`` computes; an own-key tool finds a
document or decision by its symbol with ``?symbol=``. Every read costs the fixed number of
queries its ``accord.charter.queries`` function states.
"""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from accord.charter import actions, queries
from accord.charter import acts as charter_acts
from accord.charter.models import Decision, Document, SilenceProcedure
from accord.charter.statements import ProvisionBody, brackets_open
from accord.charter.text import Compilation
from accord.forum import queries as forum_queries
from accord.forum.acted import ACTED, acted
from accord.ledger.api import refusal_of
from accord.ledger.errors import NotAllowed, Rejected
from accord.people.api import TOKEN

router = Router(tags=["charter"])


class CharterProblem(Schema):
    detail: str


READ = {404: CharterProblem}


def _missing(what: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": what})


# -- what the reads answer ---------------------------------------------------------------------


class DocumentOut(Schema):
    entry_index: int
    symbol: str = Field(description="The base symbol, shared by every language version.")
    current_symbol: str = Field(description="The symbol of the current revision.")
    title: str
    language: str = Field(description="The original language.")
    status: str
    revision: int
    introduced_by: str
    introduced_at: str
    decision: int | None = Field(description="The adopting decision's entry, once adopted.")


class RevisionOut(Schema):
    number: int
    entry_index: int
    issued_by: str
    issued_at: str
    sha256: str
    incorporated: list[int]
    dropped: list[int]
    brackets: int


class BreakOut(Schema):
    entry_index: int
    party: str
    reason: str
    counter_proposal: str
    broken_at: str


class ProcedureOut(Schema):
    entry_index: int
    document: int
    revision: int
    until: str
    opened_by: str
    opened_at: str
    status: str
    concluded_at: int | None
    breaks: list[BreakOut]


class DocumentDetail(DocumentOut):
    brackets: int = Field(description="Provisions with open amendments.")
    revisions: list[RevisionOut]
    procedures: list[ProcedureOut]


class OptionOut(Schema):
    amendment: int
    action: str
    text: str
    heading: str
    rationale: str
    sponsors: list[str]
    positions: list[tuple[str, str]] = Field(description="(party name, stance) pairs.")
    tally: dict[str, int]
    agreeable: bool


class CompiledOut(Schema):
    eid: str
    element: str
    num: str
    heading: str
    text: str
    parent: str
    options: list[OptionOut]
    agreeable: bool


class CompilationOut(Schema):
    symbol: str
    title: str
    language: str
    original_language: str
    status: str
    revision: int
    forum: str
    introduced_on: str
    revised_on: str
    decision: str
    brackets: int
    provisions: list[CompiledOut]


class PositionOut(Schema):
    entry_index: int
    party: str
    stance: str
    note: str
    stated_at: str
    current: bool


class AmendmentOut(Schema):
    entry_index: int
    document: int
    provision: str
    action: str
    text: str
    heading: str
    rationale: str
    sponsor: str
    cosponsors: list[str]
    proposed_at: str
    revision: int
    status: str
    closed_at: int | None
    new_eid: str
    tally: dict[str, int]
    agreeable: bool
    positions: list[PositionOut] = Field(description="Every position stated, oldest first.")


class MatrixRow(Schema):
    amendment: int
    provision: str
    action: str
    sponsors: list[str]
    stances: dict[str, str] = Field(description="Party code → its current stance, or ''.")
    tally: dict[str, int]
    agreeable: bool


class PartyName(Schema):
    code: str
    name: str


class ConvergencePoint(Schema):
    label: str
    brackets: int


class PositionsOut(Schema):
    parties: list[PartyName]
    amendments: list[MatrixRow]
    objections: dict[str, list[int]] = Field(description="Party code → amendments it objects to.")
    convergence: list[ConvergencePoint]


class InterpretationOut(Schema):
    entry_index: int
    party: str
    text: str
    attached_at: str


class DecisionOut(Schema):
    entry_index: int
    symbol: str
    document: int
    revision: int
    path: str
    source: int
    adopted_at: str
    joined: list[str]


class DecisionDetail(DecisionOut):
    document_symbol: str
    title: str
    interpretations: list[InterpretationOut]


def document_summary(found: Document) -> dict[str, Any]:
    """A document as ``DocumentOut``: what the list and ``accord charter list`` show."""
    return {
        "entry_index": found.entry_index,
        "symbol": found.symbol,
        "current_symbol": found.current_symbol,
        "title": found.title,
        "language": found.language,
        "status": found.status,
        "revision": found.revision,
        "introduced_by": found.introduced_by,
        "introduced_at": found.introduced_at,
        "decision": found.decision,
    }


def _procedure_out(procedure: SilenceProcedure) -> dict[str, Any]:
    return {
        "entry_index": procedure.entry_index,
        "document": procedure.document,
        "revision": procedure.revision,
        "until": procedure.until,
        "opened_by": procedure.opened_by,
        "opened_at": procedure.opened_at,
        "status": procedure.status,
        "concluded_at": procedure.concluded_at,
        "breaks": [
            {
                "entry_index": b.entry_index,
                "party": b.party,
                "reason": b.reason,
                "counter_proposal": b.counter_proposal,
                "broken_at": b.broken_at,
            }
            for b in queries.breaks(procedure.entry_index)
        ],
    }


def _compilation_out(compiled: Compilation) -> dict[str, Any]:
    return {
        "symbol": compiled.symbol,
        "title": compiled.title,
        "language": compiled.language,
        "original_language": compiled.original_language,
        "status": compiled.status,
        "revision": compiled.revision,
        "forum": compiled.forum,
        "introduced_on": compiled.introduced_on,
        "revised_on": compiled.revised_on,
        "decision": compiled.decision,
        "brackets": compiled.brackets,
        "provisions": [
            {
                **c.provision.to_json(),
                "agreeable": c.agreeable,
                "options": [
                    {
                        "amendment": o.amendment,
                        "action": o.action,
                        "text": o.text,
                        "heading": o.heading,
                        "rationale": o.rationale,
                        "sponsors": list(o.sponsors),
                        "positions": [list(pair) for pair in o.positions],
                        "tally": o.tally,
                        "agreeable": o.agreeable,
                    }
                    for o in c.options
                ],
            }
            for c in compiled.provisions
        ],
    }


def decision_summary(decision: Decision) -> dict[str, Any]:
    """A decision as ``DecisionOut``: what the list and ``accord charter decisions`` show."""
    return {
        "entry_index": decision.entry_index,
        "symbol": decision.symbol,
        "document": decision.document,
        "revision": decision.revision,
        "path": decision.path,
        "source": decision.source,
        "adopted_at": decision.adopted_at,
        "joined": list(decision.joined),
    }


def _found(document: int, symbol: str | None) -> Document | None:
    """The document of entry ``document``, or the one ``symbol`` names when given."""
    return queries.resolve(symbol) if symbol else queries.document(document)


def _no_document(document: int, symbol: str | None) -> Status[dict[str, Any]]:
    return _missing(f"{symbol or f'entry {document}'} is not a document of this forum")


# -- reads -------------------------------------------------------------------------------------


@router.get("/charter/documents", response=list[DocumentOut])
def documents(request: HttpRequest) -> list[dict[str, Any]]:
    """Every document, newest first; one query."""
    return [document_summary(found) for found in queries.documents()]


@router.get("/charter/documents/{int:document}", response={200: DocumentDetail, **READ})
def document(
    request: HttpRequest, document: int, symbol: str | None = None
) -> Status[dict[str, Any]]:
    """A document by its entry index, or by its symbol (``?symbol=FD.L/1/25``, with or
    without ``/Rev.N``; the path's index is then not read): what it is, its revisions and
    silence procedures."""
    found = _found(document, symbol)
    if found is None:
        return _no_document(document, symbol)
    return Status(
        200,
        document_summary(found)
        | {
            "brackets": brackets_open(found.entry_index),
            "revisions": [
                {
                    "number": r.number,
                    "entry_index": r.entry_index,
                    "issued_by": r.issued_by,
                    "issued_at": r.issued_at,
                    "sha256": r.sha256,
                    "incorporated": list(r.incorporated),
                    "dropped": list(r.dropped),
                    "brackets": r.brackets,
                }
                for r in queries.revisions(found)
            ],
            "procedures": [_procedure_out(p) for p in queries.procedures(found)],
        },
    )


@router.get("/charter/documents/{document}/compilation", response={200: CompilationOut, **READ})
def compilation(
    request: HttpRequest,
    document: int,
    revision: int | None = None,
    language: str | None = None,
) -> Status[dict[str, Any]]:
    """The document at a revision (default: the current one), in a language (default: the
    original), each provision with the open amendments to it (only at the current revision):
    the bracketed text as data."""
    found = queries.document(document)
    if found is None:
        return _no_document(document, None)
    if revision is not None and not 0 <= revision <= found.revision:
        return _missing(f"{found.symbol} has no revision {revision}")
    compiled = queries.compilation(found, revision=revision, language=language or None)
    return Status(200, _compilation_out(compiled))


EXPORTED = {
    "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in (
            "text/plain",
            "text/markdown",
            "application/akn+xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "text/html",
            "application/pdf",
        )
    },
    "description": "The document in the format asked for.",
}


@router.get(
    "/charter/documents/{document}/export",
    response={404: CharterProblem, 422: CharterProblem},
    openapi_extra={"responses": {200: EXPORTED}},
)
def export(  # noqa: PLR0913, PLR0917 -- the export's choices
    request: HttpRequest,
    document: int,
    fmt: str = Query("text", alias="format"),  # type: ignore[type-arg]
    brackets: bool = False,  # noqa: FBT001, FBT002 -- a query flag
    revision: int | None = None,
    language: str | None = None,
) -> HttpResponse | Status[dict[str, Any]]:
    """The document as a file: ``format`` is text, md, akn, docx, html or pdf; ``brackets``
    exports the bracketed text (and, for Word, the compilation of amendments). Linear in the
    text's length."""
    from accord.charter import exports  # noqa: PLC0415 -- fonts and writers load on first export

    found = queries.document(document)
    if found is None:
        return _no_document(document, None)
    if fmt not in exports.FORMATS:
        return Status(
            422, {"detail": f"{fmt!r} is not an export format; choose {', '.join(exports.FORMATS)}"}
        )
    if revision is not None and not 0 <= revision <= found.revision:
        return _missing(f"{found.symbol} has no revision {revision}")
    compiled = queries.compilation(found, revision=revision, language=language or None)
    data = exports.export(compiled, fmt, brackets=brackets)
    answer = HttpResponse(data, content_type=exports.MEDIA_TYPES[fmt])
    name = compiled.symbol.replace("/", "-").replace(".", "_")
    answer["Content-Disposition"] = f'attachment; filename="{name}.{exports.EXTENSIONS[fmt]}"'
    return answer


@router.get("/charter/documents/{document}/positions", response={200: PositionsOut, **READ})
def positions(request: HttpRequest, document: int) -> Status[dict[str, Any]]:
    """The positions matrix (participating parties × open amendments), the objections each
    party still holds and the brackets remaining per revision; a fixed number of queries."""
    found = queries.document(document)
    if found is None:
        return _no_document(document, None)
    matrix = queries.matrix(found)
    codes = [code for code, _name in matrix.parties]
    return Status(
        200,
        {
            "parties": [{"code": code, "name": name} for code, name in matrix.parties],
            "amendments": [
                {
                    "amendment": view.amendment.entry_index,
                    "provision": view.amendment.eid,
                    "action": view.amendment.action,
                    "sponsors": list(view.sponsors),
                    "stances": {code: matrix.stance(code, view) for code in codes},
                    "tally": view.tally,
                    "agreeable": view.agreeable,
                }
                for view in matrix.amendments
            ],
            "objections": {
                code: [view.amendment.entry_index for view in held]
                for code, held in sorted(queries.objections(found).items())
            },
            "convergence": [
                {"label": label, "brackets": count} for label, count in queries.convergence(found)
            ],
        },
    )


@router.get("/charter/documents/{document}/next-revision", response={200: dict[str, Any], **ACTED})
def next_revision(
    request: HttpRequest, document: int, incorporate: str = "", drop: str = ""
) -> Status[dict[str, Any]]:
    """The whole body of the next revision for the chair's choices (comma-separated entry
    indexes): number, complete text and its hash, as ``actions.revision_body`` makes it and
    an own-key chair signs it. A choice that cannot be made is refused as the revision would
    be. Linear in the text's length."""
    try:
        chosen = (_entries(incorporate), _entries(drop))
        return Status(200, actions.revision_body(document, *chosen))
    except Rejected as refusal:
        return refusal_of(refusal)


def _entries(listed: str) -> list[int]:
    try:
        return [int(part) for part in listed.split(",") if part.strip()]
    except ValueError:
        raise NotAllowed(
            f"{listed!r} is not a list of entry indexes separated by commas", "bad_choice"
        ) from None


@router.get("/charter/amendments/{amendment}", response={200: AmendmentOut, **READ})
def amendment(request: HttpRequest, amendment: int) -> Status[dict[str, Any]]:
    """An amendment with its sponsors, the tally of current positions and every position
    stated on it, oldest first."""
    view = queries.amendment(amendment)
    if view is None:
        return _missing(f"entry {amendment} is not an amendment of this forum")
    row = view.amendment
    return Status(
        200,
        {
            "entry_index": row.entry_index,
            "document": row.document,
            "provision": row.eid,
            "action": row.action,
            "text": row.text,
            "heading": row.heading,
            "rationale": row.rationale,
            "sponsor": row.sponsor,
            "cosponsors": list(view.cosponsors),
            "proposed_at": row.proposed_at,
            "revision": row.revision,
            "status": row.status,
            "closed_at": row.closed_at,
            "new_eid": row.new_eid,
            "tally": view.tally,
            "agreeable": view.agreeable,
            "positions": [
                {
                    "entry_index": p.entry_index,
                    "party": p.party,
                    "stance": p.stance,
                    "note": p.note,
                    "stated_at": p.stated_at,
                    "current": p.current,
                }
                for p in queries.history(amendment)
            ],
        },
    )


@router.get("/charter/silence/{procedure}", response={200: ProcedureOut, **READ})
def silence(request: HttpRequest, procedure: int) -> Status[dict[str, Any]]:
    """A silence procedure: its deadline, its status and the breaks, oldest first."""
    found = queries.procedure(procedure)
    if found is None:
        return _missing(f"entry {procedure} is not a silence procedure")
    return Status(200, _procedure_out(found))


@router.get("/charter/decisions", response=list[DecisionOut])
def decisions(request: HttpRequest) -> list[dict[str, Any]]:
    """Every decision, newest first; one query."""
    return [decision_summary(found) for found in queries.decisions()]


@router.get("/charter/decisions/{decision}", response={200: DecisionDetail, **READ})
def decision(
    request: HttpRequest, decision: int, symbol: str | None = None
) -> Status[dict[str, Any]]:
    """A decision by its entry index (the silence conclusion's), or by its symbol
    (``?symbol=FD.DEC/1/25``), with the adopted document and its interpretative statements."""
    found = queries.decision(symbol or decision)
    if found is None:
        return _missing(f"{symbol or f'entry {decision}'} is not a decision of this forum")
    adopted = queries.document(found.document)
    return Status(
        200,
        decision_summary(found)
        | {
            "document_symbol": adopted.symbol if adopted is not None else "",
            "title": adopted.title if adopted is not None else "",
            "interpretations": [
                {
                    "entry_index": i.entry_index,
                    "party": i.party,
                    "text": i.text,
                    "attached_at": i.attached_at,
                }
                for i in queries.interpretations(found.entry_index)
            ],
        },
    )


# -- acts --------------------------------------------------------------------------------------


class DocumentIn(Schema):
    title: str
    language: str
    provisions: list[ProvisionBody]


class TranslationIn(Schema):
    provision: str
    language: str
    text: str = ""
    heading: str = ""


class AmendmentIn(Schema):
    provision: str
    action: Literal["replace", "insert_before", "insert_after", "delete"]
    text: str = ""
    heading: str = ""
    rationale: str = ""


class PositionIn(Schema):
    stance: Literal["support", "accept", "reserve", "object"]
    note: str = ""


class RevisionIn(Schema):
    """The chair's choices; the text, its hash and the number are computed from them (any
    given are ignored: an own-key tool signs them, and the log checks them anyway)."""

    incorporate: list[int] = Field(default_factory=list)
    drop: list[int] = Field(default_factory=list)
    number: int | None = None
    provisions: list[ProvisionBody] | None = None
    sha256: str | None = None


class SilenceIn(Schema):
    revision: int
    until: str = Field(description="RFC 3339, UTC: 2025-03-01T12:00:00Z")


class BreakIn(Schema):
    reason: str
    counter_proposal: str = ""


class ConclusionIn(Schema):
    outcome: Literal["adopted", "broken"] | None = Field(
        default=None, description="Default: the outcome the log shows."
    )


class InterpretationIn(Schema):
    text: str


@router.post("/charter/documents", auth=TOKEN, response=ACTED)
def introduce(request: HttpRequest, data: DocumentIn) -> Status[dict[str, Any]]:
    """Introduce a document: its title, original language and provisions in reading order.
    A large text travels in the log as a blob."""
    return acted(charter_acts.INTRODUCE, request, data.model_dump())


@router.post("/charter/documents/import", auth=TOKEN, response=ACTED)
def import_document(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    language: Form[str] = "",
) -> Status[dict[str, Any]]:
    """Introduce a document read from a file (Markdown, Word .docx or Akoma Ntoso XML);
    ``title`` defaults to the file's own, ``language`` (the original, when the file states
    none) to the forum's first official language. A file that cannot be read is refused
    (422, code ``bad_file``) with a sentence naming where it is wrong."""
    from accord.charter import formats  # noqa: PLC0415 -- the importers load on first import

    forum = forum_queries.forum()
    assumed = language or (forum.languages[0] if forum is not None and forum.languages else "en")
    try:
        draft = formats.read(file.read(), file.name or "document", language=assumed)
    except formats.ImportRefused as exc:
        return Status(422, {"code": "bad_file", "reason": str(exc), "refusal": None})
    fields = {
        "title": title or draft.title,
        "language": draft.language,
        "provisions": actions.provisions_of(draft.provisions),
    }
    return acted(charter_acts.INTRODUCE, request, fields)


@router.post("/charter/documents/{document}/translations", auth=TOKEN, response=ACTED)
def translate(request: HttpRequest, document: int, data: TranslationIn) -> Status[dict[str, Any]]:
    return acted(charter_acts.TRANSLATE, request, {"document": document, **data.model_dump()})


@router.post("/charter/documents/{document}/amendments", auth=TOKEN, response=ACTED)
def amend(request: HttpRequest, document: int, data: AmendmentIn) -> Status[dict[str, Any]]:
    """Propose to replace a provision's text, insert one before or after it, or delete it."""
    return acted(charter_acts.AMEND, request, {"document": document, **data.model_dump()})


@router.post("/charter/amendments/{amendment}/cosponsor", auth=TOKEN, response=ACTED)
def cosponsor(request: HttpRequest, amendment: int) -> Status[dict[str, Any]]:
    return acted(charter_acts.COSPONSOR, request, {"amendment": amendment})


@router.post("/charter/amendments/{amendment}/withdraw", auth=TOKEN, response=ACTED)
def withdraw(request: HttpRequest, amendment: int) -> Status[dict[str, Any]]:
    """The sponsor withdraws its amendment. It cannot be undone."""
    return acted(charter_acts.WITHDRAW, request, {"amendment": amendment})


@router.post("/charter/amendments/{amendment}/positions", auth=TOKEN, response=ACTED)
def state_position(
    request: HttpRequest, amendment: int, data: PositionIn
) -> Status[dict[str, Any]]:
    """State (or change) the party's position; the earlier ones stay in the history."""
    return acted(charter_acts.POSITION, request, {"amendment": amendment, **data.model_dump()})


@router.post("/charter/documents/{document}/revisions", auth=TOKEN, response=ACTED)
def revise(request: HttpRequest, document: int, data: RevisionIn) -> Status[dict[str, Any]]:
    """The chair issues the next revision: the amendments to incorporate and to drop (the
    rest stay in brackets)."""
    fields = {"document": document, "incorporate": data.incorporate, "drop": data.drop}
    return acted(charter_acts.REVISE, request, fields)


@router.post("/charter/documents/{document}/silence", auth=TOKEN, response=ACTED)
def open_silence(request: HttpRequest, document: int, data: SilenceIn) -> Status[dict[str, Any]]:
    """The chair puts the current, clean revision under silence until ``until``."""
    return acted(charter_acts.SILENCE, request, {"document": document, **data.model_dump()})


@router.post("/charter/silence/{procedure}/break", auth=TOKEN, response=ACTED)
def break_silence(request: HttpRequest, procedure: int, data: BreakIn) -> Status[dict[str, Any]]:
    """A participating party breaks silence before the deadline, once."""
    return acted(charter_acts.BREAK, request, {"procedure": procedure, **data.model_dump()})


@router.post("/charter/silence/{procedure}/conclude", auth=TOKEN, response=ACTED)
def conclude_silence(
    request: HttpRequest, procedure: int, data: ConclusionIn
) -> Status[dict[str, Any]]:
    """The secretariat concludes a procedure whose deadline has passed (the scheduler
    normally does)."""
    return acted(charter_acts.CONCLUDE, request, {"procedure": procedure, **data.model_dump()})


@router.post("/charter/decisions/{decision}/interpretations", auth=TOKEN, response=ACTED)
def interpret(
    request: HttpRequest, decision: int, data: InterpretationIn
) -> Status[dict[str, Any]]:
    """A party that joined the decision attaches an interpretative statement, within the
    window of ``charter.interpretation_hours``."""
    return acted(charter_acts.INTERPRET, request, {"decision": decision, **data.model_dump()})
