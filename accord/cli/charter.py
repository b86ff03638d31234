"""``accord charter …``: co-drafting the charter from a terminal.

Every acting command collects its kind's body fields and hands them to
``accord.cli.acting.perform`` with one of the three ways to act (``--as CODE``,
``--url`` with ``ACCORD_TOKEN``, ``--url --key FILE``); it prints its receipts,
the last ending with the entry that names what it made, which the next command
takes. A document is named by its entry index or its symbol (``FD.L/1/25``, with
or without ``/Rev.N``), a decision by its entry index or its symbol
(``FD.DEC/1/25``): a symbol is resolved on the host, or through the API with
``--url``. An own-key chair revises by signing the whole body the host computes
(``GET …/next-revision``) after checking its hash here. Show commands read on the
host, or from the API with ``--url``, and write to stdout or ``--out FILE``.
"""

import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.acting import Way, acting
from accord.cli.client import (
    OutOpt,
    api_base,
    binary_stdout,
    fail,
    http_json,
    refused,
    served,
    written_to,
)
from accord.cli.ledger import django_setup
from accord.lib import canonical

charter_app = typer.Typer(
    help="Co-draft the charter: import, amend, state positions, revise, silence, decide.",
    no_args_is_help=True,
)

FORMATS = ("text", "md", "akn", "docx", "html", "pdf")
"""The export formats (``accord.charter.exports.FORMATS``), named here so that ``--url``
needs none of the writers."""
BINARY = ("docx", "pdf")

Doc = Annotated[str, typer.Argument(help="The document: its entry index or its symbol.")]
AmendmentArg = Annotated[int, typer.Argument(help="The amendment's entry index.")]
ProcedureArg = Annotated[int, typer.Argument(help="The silence procedure's entry index.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


# -- names ---------------------------------------------------------------------------------------


def _by_symbol(url: str, what: str, symbol: str) -> int:
    query = urllib.parse.urlencode({"symbol": symbol})
    return int(served(url, f"/charter/{what}/0?{query}")["entry_index"])


def document_entry(reference: str, url: str | None) -> int:
    """The entry index a document's index or symbol names; one request or one query."""
    if reference.isdigit():
        return int(reference)
    if url is not None:
        return _by_symbol(url, "documents", reference)
    django_setup()
    from accord.charter import queries  # noqa: PLC0415

    found = queries.resolve(reference)
    if found is None:
        raise fail(f"{reference} is not a document of this forum; accord charter list shows them")
    return found.entry_index


def decision_entry(reference: str, url: str | None) -> int:
    """The entry index a decision's index or symbol names; one request or one query."""
    if reference.isdigit():
        return int(reference)
    if url is not None:
        return _by_symbol(url, "decisions", reference)
    django_setup()
    from accord.charter import queries  # noqa: PLC0415

    found = queries.decision(reference)
    if found is None:
        raise fail(f"{reference} is not a decision of this forum; accord charter decisions")
    return found.entry_index


def _entries(option: str, listed: str) -> list[int]:
    try:
        return [int(part) for part in listed.split(",") if part.strip()]
    except ValueError:
        raise fail(f"{option} takes entry indexes separated by commas, e.g. 31,35") from None


# -- importing -----------------------------------------------------------------------------------


def _first_language(url: str | None) -> str:
    """The forum's first official language: what a file that states none is taken to be in."""
    if url is not None:
        status, summary, _wait = http_json(f"{api_base(url)}/forum")
        languages = summary.get("languages") if status == 200 else None
    else:
        django_setup()
        from accord.forum import queries as forum_queries  # noqa: PLC0415

        forum = forum_queries.forum()
        languages = list(forum.languages) if forum is not None else None
    return str(languages[0]) if languages else "en"


@charter_app.command("import")
@acting("charter.document.introduced")
def import_document(
    file: Annotated[Path, typer.Argument(help="Markdown, Word (.docx) or Akoma Ntoso XML.")],
    title: Annotated[
        str | None, typer.Option("--title", help="The title (default: the file's own).")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="The original language if the file states none (default: the forum's first).",
        ),
    ] = None,
    *,
    way: Way,
) -> dict[str, Any]:
    """Read FILE and introduce it as a document (the chair or a participating party); prints
    the document's entry, which every other ``charter`` command takes. A large text travels
    as a blob."""
    from accord.charter import formats  # noqa: PLC0415 -- the importers load when used

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror}") from None
    try:
        draft = formats.read(data, file.name, language=language or _first_language(way.url))
    except formats.ImportRefused as exc:
        raise fail(f"{file} cannot be imported: {exc}") from None
    for notice in draft.notes:
        typer.echo(f"Note: {notice}", err=True)
    return {
        "title": title or draft.title,
        "language": draft.language,
        "provisions": [provision.to_json() for provision in draft.provisions],
    }


@charter_app.command("translate")
@acting("charter.translation.given")
def translate(
    doc: Doc,
    provision: Annotated[str, typer.Option("--provision", help="The provision's eId.")],
    lang: Annotated[str, typer.Option("--lang", help="The official language translated into.")],
    text: Annotated[str, typer.Option("--text", help="The provision's text in that language.")],
    heading: Annotated[str, typer.Option("--heading", help="Its heading, if it has one.")] = "",
    *,
    way: Way,
) -> dict[str, Any]:
    """Give a provision's translation into another official language."""
    return {
        "document": document_entry(doc, way.url),
        "provision": provision,
        "language": lang,
        "heading": heading,
        "text": text,
    }


# -- amendments and positions -------------------------------------------------------------------


def _change(
    replace_text: str | None, insert_after: str | None, insert_before: str | None, *, delete: bool
) -> tuple[str, str]:
    """(action, text) from the one change option given."""
    given = [
        (action, text)
        for action, text in (
            ("replace", replace_text),
            ("insert_after", insert_after),
            ("insert_before", insert_before),
            ("delete", "" if delete else None),
        )
        if text is not None
    ]
    if len(given) != 1:
        raise fail("give one of --replace-text T, --insert-after T, --insert-before T, --delete")
    return given[0]


@charter_app.command("amend")
@acting("charter.amendment.proposed")
def amend(
    doc: Doc,
    provision: Annotated[str, typer.Option("--provision", help="The provision's eId.")],
    replace_text: Annotated[
        str | None, typer.Option("--replace-text", help="Replace its text with T.")
    ] = None,
    insert_after: Annotated[
        str | None, typer.Option("--insert-after", help="Insert a provision with T after it.")
    ] = None,
    insert_before: Annotated[
        str | None, typer.Option("--insert-before", help="Insert a provision with T before it.")
    ] = None,
    delete: Annotated[bool, typer.Option("--delete", help="Delete it.")] = False,  # noqa: FBT002
    heading: Annotated[str, typer.Option("--heading", help="A new heading.")] = "",
    rationale: Annotated[str, typer.Option("--rationale", help="Why, for the record.")] = "",
    *,
    way: Way,
) -> dict[str, Any]:
    """Propose to amend a provision of DOC; prints the amendment's entry, which
    ``cosponsor``, ``withdraw``, ``position`` and ``revise`` take."""
    action, text = _change(replace_text, insert_after, insert_before, delete=delete)
    return {
        "document": document_entry(doc, way.url),
        "provision": provision,
        "action": action,
        "text": text,
        "heading": heading,
        "rationale": rationale,
    }


@charter_app.command("cosponsor")
@acting("charter.amendment.cosponsored")
def cosponsor(
    amendment: AmendmentArg,
) -> dict[str, Any]:
    """Co-sponsor another party's amendment."""
    return {"amendment": amendment}


@charter_app.command("withdraw")
@acting("charter.amendment.withdrawn")
def withdraw(
    amendment: AmendmentArg,
) -> dict[str, Any]:
    """The sponsor withdraws its amendment. It cannot be undone."""
    return {"amendment": amendment}


@charter_app.command("position")
@acting("charter.position.stated")
def position(
    amendment: AmendmentArg,
    stance: Annotated[str, typer.Option("--stance", help="support, accept, reserve or object.")],
    note: Annotated[str, typer.Option("--note", help="A note with the position.")] = "",
) -> dict[str, Any]:
    """State (or change) the party's position on an amendment."""
    if stance not in ("support", "accept", "reserve", "object"):
        raise fail("the stance is support, accept, reserve or object")
    return {"amendment": amendment, "stance": stance, "note": note}


# -- revisions, silence, decisions -----------------------------------------------------------


def _next_revision(url: str, document: int, incorporate: list[int], drop: list[int]) -> Any:
    """The host's next-revision body for these choices, its hash checked here: an own-key
    chair signs only a text whose hash it computed itself. One request."""
    query = urllib.parse.urlencode(
        {"incorporate": ",".join(map(str, incorporate)), "drop": ",".join(map(str, drop))}
    )
    status, body, _wait = http_json(
        f"{api_base(url)}/charter/documents/{document}/next-revision?{query}"
    )
    if status != 200:
        raise refused(body, status)
    asked = (document, sorted(incorporate), sorted(drop))
    if (body.get("document"), body.get("incorporate"), body.get("drop")) != asked:
        raise fail("the server's next revision is not for the choices asked; nothing was signed")
    provisions = body.get("provisions")
    if hashlib.sha256(canonical.dumps(provisions)).hexdigest() != body.get("sha256"):
        raise fail("the server's next revision does not hash to its sha256; nothing was signed")
    return body


@charter_app.command("revise")
@acting("charter.revision.issued")
def revise(
    doc: Doc,
    incorporate: Annotated[
        str, typer.Option("--incorporate", help="Amendments to take in, e.g. 31,35.")
    ] = "",
    drop: Annotated[str, typer.Option("--drop", help="Amendments to drop, e.g. 33.")] = "",
    *,
    way: Way,
) -> dict[str, Any]:
    """The chair issues the next revision of DOC, incorporating and dropping amendments (the
    rest stay in brackets); prints the revision's entry."""
    document = document_entry(doc, way.url)
    taken, dropped = _entries("--incorporate", incorporate), _entries("--drop", drop)
    fields: dict[str, Any] = {"document": document, "incorporate": taken, "drop": dropped}
    if way.url is not None and way.key is not None:
        fields = _next_revision(way.url, document, taken, dropped)
    return fields


@charter_app.command("silence")
@acting("charter.silence.opened")
def silence(
    doc: Doc,
    revision: Annotated[int, typer.Option("--revision", help="The current revision's number.")],
    until: Annotated[str, typer.Option("--until", help="The deadline, RFC 3339 UTC.")],
    *,
    way: Way,
) -> dict[str, Any]:
    """The chair puts revision N of DOC under silence until the deadline; prints the
    procedure's entry, which ``break-silence`` and ``conclude`` take."""
    fields = {"document": document_entry(doc, way.url), "revision": revision, "until": until}
    if way.key is not None:
        fields["until"] = _normal(until)
    return fields


def _normal(moment: str) -> str:
    """A deadline as the log writes it, for a statement signed here."""
    from accord.ledger.envelope import format_time, parse_time  # noqa: PLC0415

    try:
        return format_time(parse_time(moment))
    except ValueError:
        raise fail(f"{moment!r} is not an RFC 3339 time, e.g. 2025-03-01T12:00:00Z") from None


@charter_app.command("break-silence")
@acting("charter.silence.broken")
def break_silence(
    procedure: ProcedureArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the party breaks silence.")],
    counter_proposal: Annotated[
        str, typer.Option("--counter-proposal", help="The wording the party proposes instead.")
    ] = "",
) -> dict[str, Any]:
    """A participating party breaks silence before the deadline. It cannot be undone."""
    return {"procedure": procedure, "reason": reason, "counter_proposal": counter_proposal}


def _outcome_served(url: str, procedure: int) -> str:
    found = served(url, f"/charter/silence/{procedure}")
    return "broken" if found.get("breaks") else "adopted"


@charter_app.command("conclude")
@acting("charter.silence.concluded")
def conclude(
    procedure: ProcedureArg,
    *,
    way: Way,
) -> dict[str, Any]:
    """The secretariat concludes a silence procedure whose deadline has passed, with the
    outcome the log shows (``accord tick`` normally does it); prints the conclusion's entry,
    which names the decision when adopted."""
    outcome = (
        _outcome_served(way.url, procedure) if way.url is not None and way.key is not None else None
    )
    return {"procedure": procedure, "outcome": outcome}


@charter_app.command("interpret")
@acting("charter.interpretation.attached")
def interpret(
    decision: Annotated[str, typer.Argument(help="The decision: its entry index or symbol.")],
    text: Annotated[str, typer.Option("--text", help="The interpretative statement.")],
    *,
    way: Way,
) -> dict[str, Any]:
    """A party that joined the decision attaches an interpretative statement to it. It
    cannot be undone."""
    return {"decision": decision_entry(decision, way.url), "text": text}


# -- showing -------------------------------------------------------------------------------------


def _fetched(address: str) -> bytes:
    """The bytes a GET answers with 200, or the server's refusal as the command's failure."""
    try:
        with urllib.request.urlopen(address, timeout=60) as response:  # noqa: S310 -- the operator's URL
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        raise refused(answer if isinstance(answer, dict) else {}, exc.code) from None
    except urllib.error.URLError as exc:
        raise fail(f"cannot reach {address}: {exc.reason}") from None
    except OSError as exc:
        raise fail(f"the connection to {address} failed: {exc}") from None


def _exported(
    doc: str, fmt: str, *, brackets: bool, lang: str | None, revision: int | None, url: str | None
) -> bytes:
    document = document_entry(doc, url)
    named = doc.rsplit("/Rev.", 1)
    if revision is None and len(named) == 2 and named[1].isdigit():
        revision = int(named[1])  # a revision's symbol names that revision
    if url is not None:
        query = {"format": fmt, "brackets": "true" if brackets else "false"}
        query |= {"language": lang} if lang else {}
        query |= {"revision": str(revision)} if revision is not None else {}
        address = f"{api_base(url)}/charter/documents/{document}/export"
        return _fetched(f"{address}?{urllib.parse.urlencode(query)}")
    django_setup()
    from accord.charter import exports, queries  # noqa: PLC0415

    found = queries.document(document)
    if found is None:
        raise fail(f"entry {document} is not a document of this forum; accord charter list")
    if revision is not None and not 0 <= revision <= found.revision:
        raise fail(
            f"{found.symbol} has no revision {revision}; its current one is {found.revision}"
        )
    compiled = queries.compilation(found, revision=revision, language=lang)
    return exports.export(compiled, fmt, brackets=brackets)


@charter_app.command("show")
def show(
    doc: Doc,
    fmt: Annotated[
        str, typer.Option("--format", help="text, md, akn, docx, html or pdf.")
    ] = "text",
    brackets: Annotated[  # noqa: FBT002 -- a Typer flag
        bool, typer.Option("--brackets", help="The bracketed text, with sponsors and tallies.")
    ] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="In this language.")] = None,
    revision: Annotated[
        int | None, typer.Option("--revision", help="This revision (default: the current).")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Read from this server.")] = None,
    out: OutOpt = None,
) -> None:
    """Show DOC in a format; docx and pdf need --out FILE or stdout sent to a file or pipe."""
    if fmt not in FORMATS:
        raise fail(f"{fmt!r} is not a format; choose one of {', '.join(FORMATS)}")
    if fmt in BINARY and out is None and sys.stdout.isatty():
        raise fail(f"{fmt} is binary; give --out FILE or send stdout to a file")
    with written_to(out):
        data = _exported(doc, fmt, brackets=brackets, lang=lang, revision=revision, url=url)
        binary_stdout().write(data)


def _listed(url: str | None, what: str) -> list[dict[str, Any]]:
    """Every document or decision, newest first, as the API serves it."""
    if url is not None:
        raw = _fetched(f"{api_base(url)}/charter/{what}")
        try:
            rows = json.loads(raw)
        except ValueError:
            raise fail("the server answered with something other than JSON") from None
        return list(rows)
    django_setup()
    from accord.charter import api, queries  # noqa: PLC0415

    if what == "documents":
        return [api.document_summary(found) for found in queries.documents()]
    return [api.decision_summary(found) for found in queries.decisions()]


@charter_app.command("list")
def list_documents(
    as_json: JsonOpt = False,  # noqa: FBT002 -- a Typer flag
    url: Annotated[str | None, typer.Option("--url", help="Read from this server.")] = None,
    out: OutOpt = None,
) -> None:
    """List the documents, newest first: entry, current symbol, status, title."""
    with written_to(out):
        rows = _listed(url, "documents")
        if as_json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            typer.echo(
                f"{row['entry_index']:>6}  {row['current_symbol']:<20} {row['status']:<14}"
                f" {row['title']}"
            )


@charter_app.command("decisions")
def list_decisions(
    as_json: JsonOpt = False,  # noqa: FBT002 -- a Typer flag
    url: Annotated[str | None, typer.Option("--url", help="Read from this server.")] = None,
    out: OutOpt = None,
) -> None:
    """List the decisions, newest first: entry, symbol, adopted at, the parties that joined."""
    with written_to(out):
        rows = _listed(url, "decisions")
        if as_json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            typer.echo(
                f"{row['entry_index']:>6}  {row['symbol']:<16} {row['adopted_at']}"
                f"  joined by {', '.join(row['joined'])}"
            )
