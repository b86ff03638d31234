"""``accord conference …``: running a conference from a terminal.

Every acting command collects its kind's body fields and hands them to
``accord.cli.acting.perform`` with one of the three ways to act (``--as CODE
[--person HANDLE]``, ``--url`` with ``ACCORD_TOKEN``, ``--url --key FILE``); it prints
its receipts, the last ending with the entry that names what it made (an edition, a
meeting, a statement, a question), which the next command takes. Where a body holds
something the log computes (the next speaker, the journal's hash, the document's current
revision), the host computes it with ``--as`` or a token, and an own-key command reads it
from the API before signing. ``list``, ``show`` and ``journal`` read on the host (``list``
and ``show`` also from the API with ``--url``) and write to stdout or ``--out FILE``.
"""

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.acting import (
    As,
    DryRun,
    KeyOpt,
    LogKeyOpt,
    PersonOpt,
    Url,
    Way,
    acting,
    perform,
    print_receipts,
)
from accord.cli.charter import document_entry
from accord.cli.client import (
    OutOpt,
    binary_stdout,
    fail,
    served,
    written_to,
)
from accord.cli.ledger import django_setup

conference_app = typer.Typer(
    help="Run a conference: editions, meetings, agenda, delegations, speakers, statements.",
    no_args_is_help=True,
)
meeting_app = typer.Typer(help="The meetings of an edition.", no_args_is_help=True)
agenda_app = typer.Typer(help="The agenda of an edition.", no_args_is_help=True)
delegation_app = typer.Typer(help="A party's delegation to an edition.", no_args_is_help=True)
credentials_app = typer.Typer(help="Credentials to an edition.", no_args_is_help=True)
speakers_app = typer.Typer(help="The speakers' list of an item.", no_args_is_help=True)
statement_app = typer.Typer(help="Statements: circulated, delivered.", no_args_is_help=True)
followup_app = typer.Typer(help="The follow-up of an edition.", no_args_is_help=True)
for _name, _group in (
    ("meeting", meeting_app),
    ("agenda", agenda_app),
    ("delegation", delegation_app),
    ("credentials", credentials_app),
    ("speakers", speakers_app),
    ("statement", statement_app),
    ("followup", followup_app),
):
    conference_app.add_typer(_group, name=_name)

EditionArg = Annotated[int, typer.Argument(help="The edition's entry index.")]
MeetingArg = Annotated[int, typer.Argument(help="The meeting's entry index.")]
ItemArg = Annotated[str, typer.Argument(help="The agenda item's number, e.g. 2.1.")]
QuestionArg = Annotated[int, typer.Argument(help="The question's entry index.")]
MeetingOpt = Annotated[int, typer.Option("--meeting", help="The meeting's entry index.")]
ReadUrl = Annotated[str | None, typer.Option("--url", help="Read from this server.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LEVELS = ("head_of_state", "head_of_government", "minister", "ambassador", "other")
JOURNAL_FORMATS = ("text", "pdf", "docx")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text") from None


# -- editions and meetings -------------------------------------------------------------------


@conference_app.command("create")
@acting("dialogue.edition.created")
def create(
    series: Annotated[str, typer.Option("--series", help="The series' code.")],
    series_title: Annotated[str, typer.Option("--series-title", help="The series' title.")],
    title: Annotated[str, typer.Option("--title", help="The edition's title.")],
    city: Annotated[str, typer.Option("--city", help="The host city.")],
    time_zone: Annotated[str, typer.Option("--time-zone", help="IANA, e.g. Europe/Minsk.")],
    starts_on: Annotated[str, typer.Option("--starts-on", help="First day, YYYY-MM-DD.")],
    ends_on: Annotated[str, typer.Option("--ends-on", help="Last day, YYYY-MM-DD.")],
    chair: Annotated[str, typer.Option("--chair", help="The chairing party's code.")],
    language: Annotated[
        list[str], typer.Option("--language", help="A working language (repeat for each).")
    ],
    venue: Annotated[str, typer.Option("--venue", help="The venue.")] = "",
) -> dict[str, Any]:
    """Convene an edition of a conference series; prints the edition's entry, which the
    other ``conference`` commands take."""
    return {
        "series": series,
        "series_title": series_title,
        "title": title,
        "city": city,
        "venue": venue,
        "time_zone": time_zone,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "chair": chair,
        "languages": list(language),
    }


@meeting_app.command("add")
@acting("dialogue.meeting.added")
def add_meeting(
    edition: EditionArg,
    title: Annotated[str, typer.Option("--title", help="The meeting's title.")],
    starts_at: Annotated[str, typer.Option("--starts-at", help="RFC 3339, UTC.")],
    ends_at: Annotated[str, typer.Option("--ends-at", help="RFC 3339, UTC.")],
    room: Annotated[str, typer.Option("--room", help="The room.")],
    language: Annotated[
        list[str], typer.Option("--language", help="A language offered (repeat for each).")
    ],
    meeting_format: Annotated[
        str, typer.Option("--format", help="plenary, working_group, informal or closed.")
    ] = "plenary",
    record: Annotated[
        str, typer.Option("--record", help="verbatim, summary, communique or none.")
    ] = "summary",
    interpretation: Annotated[
        list[str] | None,
        typer.Option("--interpretation", help="An interpretation pair, e.g. en-ru (repeat)."),
    ] = None,
) -> dict[str, Any]:
    """Add a meeting to EDITION; prints the meeting's entry."""
    return {
        "edition": edition,
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "room": room,
        "format": meeting_format,
        "record": record,
        "languages": list(language),
        "interpretation": list(interpretation or []),
    }


# -- the agenda ------------------------------------------------------------------------------


def agenda_items(text: str) -> list[dict[str, Any]]:
    """The items of an agenda file: a JSON list of items (``number``, ``title``, and
    optionally ``documents`` and ``followups``, lists of entries), or one item a line,
    its number, a space and its title (``2.1 Principles``); blank lines are skipped."""
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except ValueError as exc:
            raise fail(f"the agenda file is not valid JSON: {exc}") from None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise fail("a JSON agenda is a list of items, each with a number and a title")
        return items
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        code, _, title = line.strip().partition(" ")
        if not title.strip():
            raise fail(f"line {number} of the agenda has no title after its number: {line!r}")
        found.append({"number": code, "title": title.strip()})
    return found


@agenda_app.command("propose")
@acting("dialogue.agenda.proposed")
def propose_agenda(
    edition: EditionArg,
    file: Annotated[
        Path, typer.Argument(help="The items: one a line (2.1 Title), or a JSON list.")
    ],
) -> dict[str, Any]:
    """The chair proposes EDITION's agenda from FILE (proposed again, it replaces the earlier
    one); prints the proposal's entry."""
    return {"edition": edition, "items": agenda_items(_read(file))}


@agenda_app.command("adopt")
@acting("dialogue.agenda.adopted")
def adopt_agenda(edition: EditionArg, meeting: MeetingOpt) -> dict[str, Any]:
    """The chair declares the agenda adopted at the edition's opening meeting. It cannot be
    undone."""
    return {"edition": edition, "meeting": meeting}


# -- delegations and credentials -------------------------------------------------------------


def _member(given: str, function: str) -> dict[str, str]:
    handle, _, level = given.partition(":")
    if not handle or level not in LEVELS:
        raise fail(f"{given!r} is not HANDLE:LEVEL, the level one of {', '.join(LEVELS)}")
    return {"handle": handle, "function": function, "level": level}


@delegation_app.command("name")
@acting("dialogue.delegation.named")
def name_delegation(
    edition: EditionArg,
    head: Annotated[str, typer.Option("--head", help="HANDLE:LEVEL, e.g. aa.head:minister.")],
    alternate: Annotated[
        list[str] | None, typer.Option("--alternate", help="HANDLE:LEVEL (repeat for each).")
    ] = None,
    adviser: Annotated[
        list[str] | None, typer.Option("--adviser", help="HANDLE:LEVEL (repeat for each).")
    ] = None,
) -> dict[str, Any]:
    """Name the party's delegation to EDITION, in order of precedence (named again, it
    replaces the earlier list); prints the entry."""
    members = [_member(head, "head")]
    members += [_member(one, "alternate") for one in alternate or []]
    members += [_member(one, "adviser") for one in adviser or []]
    return {"edition": edition, "members": members}


@credentials_app.command("submit")
@acting("dialogue.credentials.submitted")
def submit_credentials(
    edition: EditionArg,
    issuer: Annotated[
        str,
        typer.Option("--issuer", help="head_of_state, head_of_government or foreign_minister."),
    ],
    instrument: Annotated[str, typer.Option("--instrument", help="formal, note_verbale or cable.")],
    dated: Annotated[str, typer.Option("--dated", help="The instrument's date, YYYY-MM-DD.")],
) -> dict[str, Any]:
    """Submit the delegation's credentials to EDITION; they are provisional until accepted."""
    return {"edition": edition, "issuer": issuer, "instrument": instrument, "dated": dated}


@credentials_app.command("accept")
@acting("dialogue.credentials.accepted")
def accept_credentials(
    edition: EditionArg,
    parties: Annotated[list[str], typer.Option("--party", help="A party accepted (repeat).")],
    report: Annotated[Path, typer.Option("--report", help="The report's text, a UTF-8 file.")],
) -> dict[str, Any]:
    """The chair reports on the credentials and accepts those of the parties named. It cannot
    be undone."""
    return {"edition": edition, "parties": list(parties), "report": _read(report)}


# -- the speakers' list ----------------------------------------------------------------------


@speakers_app.command("open")
@acting("dialogue.speakers.opened")
def open_list(
    meeting: MeetingArg,
    item: ItemArg,
    seconds: Annotated[
        int, typer.Option("--seconds", help="A statement's time in seconds; 0: the rules' default.")
    ] = 0,
) -> dict[str, Any]:
    """The chair opens the speakers' list of ITEM in MEETING."""
    return {"meeting": meeting, "item": item, "seconds": seconds}


@speakers_app.command("close")
@acting("dialogue.speakers.closed")
def close_list(meeting: MeetingArg, item: ItemArg) -> dict[str, Any]:
    """The chair closes the list: nobody more inscribes, rights of reply still come."""
    return {"meeting": meeting, "item": item}


@speakers_app.command("inscribe")
@acting("dialogue.speaker.inscribed")
def inscribe(
    meeting: MeetingArg,
    item: ItemArg,
    speaker: Annotated[str, typer.Option("--speaker", help="The delegation member speaking.")],
    point_of_order: Annotated[  # noqa: FBT002 -- a Typer flag
        bool, typer.Option("--point-of-order", help="A point of order (to the top).")
    ] = False,
    on_behalf_of: Annotated[str, typer.Option("--on-behalf-of", help="The group spoken for.")] = "",
    aligning: Annotated[
        list[str] | None, typer.Option("--aligning", help="A party aligning (repeat).")
    ] = None,
) -> dict[str, Any]:
    """Inscribe the party's speaker on the list of ITEM; prints the inscription's entry."""
    return {
        "meeting": meeting,
        "item": item,
        "speaker": speaker,
        "point_of_order": point_of_order,
        "on_behalf_of": on_behalf_of,
        "aligning": list(aligning or []),
    }


@speakers_app.command("next")
@acting("dialogue.floor.given")
def give_floor(
    meeting: MeetingArg,
    item: ItemArg,
    *,
    way: Way,
) -> dict[str, Any]:
    """The chair gives the floor to the speaker the list's order names next (an own key
    signs the inscription the server's list names first)."""
    inscription = None
    if way.url is not None and way.key is not None:
        answer = served(way.url, f"/conference/meetings/{meeting}/speakers?item={item}")
        if not answer["waiting"]:
            raise fail(f"nobody waits for the floor on item {item} (nobody_waiting)")
        inscription = int(answer["waiting"][0]["entry_index"])
    return {"meeting": meeting, "item": item, "inscription": inscription}


@conference_app.command("reply")
@acting("dialogue.reply.requested")
def reply(
    meeting: MeetingArg,
    item: ItemArg,
    to: Annotated[str, typer.Option("--to", help="The party replied to.")],
    speaker: Annotated[str, typer.Option("--speaker", help="The delegation member replying.")],
) -> dict[str, Any]:
    """Ask for the right of reply to a party that spoke on ITEM; replies come at the end."""
    return {"meeting": meeting, "item": item, "to": to, "speaker": speaker}


# -- statements ------------------------------------------------------------------------------


def _distribution(*, restricted: bool) -> dict[str, str]:
    """The distribution field: the host (or an own key, which then sends the text beside the
    commitment it signs) makes the statement restricted or public."""
    return {"distribution": "restricted" if restricted else "public"}


@statement_app.command("circulate")
@acting("dialogue.statement.circulated")
def circulate(
    text: Annotated[Path, typer.Argument(help="The statement's text, a UTF-8 file.")],
    title: Annotated[str, typer.Option("--title", help="The statement's title.")],
    language: Annotated[str, typer.Option("--language", help="The language it is in.")],
    restricted: Annotated[  # noqa: FBT002 -- a Typer flag
        bool, typer.Option("--restricted", help="Restricted: the log holds a commitment only.")
    ] = False,
) -> dict[str, Any]:
    """Circulate a statement's text (the copy for the interpreters) before delivering it;
    prints the circulated text's entry, which ``statement deliver --circulated`` takes."""
    return {
        "title": title,
        "language": language,
        "text": _read(text),
        "versions": {},
        "check_against_delivery": True,
        **_distribution(restricted=restricted),
    }


def _made(kind: str, fields: dict[str, Any], way: Way) -> int:
    """Perform an act, echo its receipts, and return the entry it made (the last word)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        perform(kind, fields, way)
    typer.echo(printed.getvalue(), nl=False)
    return int(printed.getvalue().split()[-1])


@statement_app.command("deliver")
def deliver(
    file: Annotated[
        Path | None, typer.Argument(help="The text, a UTF-8 file (not with --circulated).")
    ] = None,
    meeting: MeetingOpt = 0,
    item: Annotated[str, typer.Option("--item", help="The agenda item's number.")] = "",
    language: Annotated[str, typer.Option("--language", help="The language delivered in.")] = "",
    title: Annotated[str, typer.Option("--title", help="The title (default: FILE's name).")] = "",
    restricted: Annotated[  # noqa: FBT002 -- a Typer flag
        bool, typer.Option("--restricted", help="Restricted distribution.")
    ] = False,
    circulated: Annotated[
        int | None, typer.Option("--circulated", help="Deliver this circulated text instead.")
    ] = None,
    revises: Annotated[
        int | None, typer.Option("--revises", help="The statement this one revises.")
    ] = None,
    lineage: Annotated[str, typer.Option("--lineage", help="Rev., Corr. or Add.")] = "",
    speaker: Annotated[str, typer.Option("--speaker", help="The member delivering it.")] = "",
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
    key: KeyOpt = None,
    log_key: LogKeyOpt = None,
    dry_run: DryRun = False,  # noqa: FBT002 -- a Typer flag
) -> None:
    """Deliver a statement at MEETING under ITEM: FILE's text is circulated and then
    delivered (on the host in one transaction), or with ``--circulated ENTRY`` a text
    circulated before; prints the statement's entry, which takes its symbol."""
    way = Way(url, party, person, key, log_key, dry_run)
    if not meeting or not item or not language:
        raise fail("give --meeting M, --item I and --language L")
    delivery: dict[str, Any] = {
        "meeting": meeting,
        "item": item,
        "language": language,
        "speaker": speaker,
        "on_behalf_of": "",
        "aligning": [],
        "revises": revises,
        "lineage": lineage,
    }
    if circulated is not None:
        perform("dialogue.statement.delivered", {**delivery, "circulated": circulated}, way)
        return
    if file is None:
        raise fail("give the text FILE, or --circulated ENTRY for a text circulated before")
    text = {
        "title": title or file.stem,
        "language": language,
        "text": _read(file),
        "versions": {},
        "check_against_delivery": True,
        **_distribution(restricted=restricted),
    }
    if party is not None and url is None:
        _on_host_together(way, text, delivery)
        return
    if dry_run:
        typer.echo("The circulation is shown; deliver it with --circulated ENTRY.", err=True)
        perform("dialogue.statement.circulated", text, way)
        return
    entry = _made("dialogue.statement.circulated", text, way)
    perform("dialogue.statement.delivered", {**delivery, "circulated": entry}, way)


def _on_host_together(way: Way, text: dict[str, Any], delivery: dict[str, Any]) -> None:
    """Circulate and deliver on the host in one transaction (``circulate_and_deliver``)."""
    assert way.party is not None
    if way.key is not None or way.log_key is not None or way.dry_run:
        raise fail("--key, --log-key and --dry-run go with --url URL, not --as CODE")
    django_setup()
    from accord.dialogue import actions  # noqa: PLC0415
    from accord.dialogue.acts import DELIVER  # noqa: PLC0415
    from accord.forum.actions import as_party  # noqa: PLC0415
    from accord.ledger.api import receipt_of  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    fields = dict(delivery)
    meeting, item = fields.pop("meeting"), fields.pop("item")
    fields.pop("language")
    try:
        accepted = actions.circulate_and_deliver(
            as_party(way.party, way.person), meeting, item, **text, **fields
        )
    except Rejected as refusal:
        raise fail(f"{refusal} ({refusal.code})") from None
    print_receipts(DELIVER, [receipt_of(one) for one in accepted], delivery)


@statement_app.command("derestrict")
@acting("dialogue.statement.derestricted")
def derestrict(
    statement: Annotated[int, typer.Argument(help="The delivered statement's entry.")],
    decision: Annotated[int, typer.Option("--decision", help="The question that provided it.")],
) -> dict[str, Any]:
    """Carry out the derestriction a decision provided. It cannot be undone."""
    return {"statement": statement, "decision": decision}


# -- decisions -------------------------------------------------------------------------------


def _current_revision(document: int, url: str | None) -> int:
    if url is not None:
        return int(served(url, f"/charter/documents/{document}")["revision"])
    django_setup()
    from accord.dialogue.api import current_revision  # noqa: PLC0415

    return current_revision(document)


@conference_app.command("decide")
@acting("dialogue.decision.asked")
def decide(
    item: ItemArg,
    meeting: MeetingOpt,
    document: Annotated[str, typer.Option("--document", help="The draft: entry or symbol.")],
    revision: Annotated[
        int | None, typer.Option("--revision", help="Default: the document's current.")
    ] = None,
    derestrict: Annotated[
        list[int] | None,
        typer.Option("--derestrict", help="A restricted statement it derestricts (repeat)."),
    ] = None,
    *,
    way: Way,
) -> dict[str, Any]:
    """The chair asks MEETING to adopt a draft by consensus under ITEM; prints the
    question's entry, which ``object`` and ``declare`` take."""
    entry = document_entry(document, way.url)
    return {
        "meeting": meeting,
        "item": item,
        "document": entry,
        "revision": revision if revision is not None else _current_revision(entry, way.url),
        "derestricts": list(derestrict or []),
    }


@conference_app.command("object")
@acting("dialogue.objection.made")
def object_to(
    decision: Annotated[int, typer.Argument(help="The question's entry.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, for the record.")] = "",
) -> dict[str, Any]:
    """A participating party objects: there is no consensus. It cannot be undone."""
    return {"question": decision, "reason": reason}


@conference_app.command("declare")
@acting("dialogue.decision.declared")
def declare(
    question: QuestionArg,
    outcome: Annotated[str, typer.Option("--outcome", help="adopted or not_adopted.")] = "adopted",
) -> dict[str, Any]:
    """The chair declares the question's outcome once the time for objections has passed."""
    return {"question": question, "outcome": outcome}


@conference_app.command("summary")
@acting("dialogue.summary.issued")
def summary(
    edition: EditionArg,
    file: Annotated[Path, typer.Option("--file", help="The summary's text, a UTF-8 file.")],
    title: Annotated[str, typer.Option("--title", help="Its title.")],
    language: Annotated[str, typer.Option("--language", help="Its language.")],
    perception_paper: Annotated[  # noqa: FBT002 -- a Typer flag
        bool, typer.Option("--perception-paper", help="A perception paper, not a summary.")
    ] = False,
) -> dict[str, Any]:
    """The chair issues a summary under its own responsibility; nobody adopts it."""
    return {
        "edition": edition,
        "form": "perception_paper" if perception_paper else "chairs_summary",
        "title": title,
        "language": language,
        "text": _read(file),
    }


@conference_app.command("issue-journal")
@acting("dialogue.journal.issued")
def issue_journal(meeting: MeetingArg, *, way: Way) -> dict[str, Any]:
    """The secretariat issues MEETING's journal with the hash of the journal the log implies
    (an own key signs the hash the server computes, which the log checks again)."""
    sha256 = ""
    if way.url is not None and way.key is not None:
        sha256 = str(served(way.url, f"/conference/meetings/{meeting}/journal")["sha256"])
    return {"meeting": meeting, "sha256": sha256}


@followup_app.command("record")
@acting("dialogue.followup.recorded")
def record_followup(
    edition: EditionArg,
    category: Annotated[str, typer.Option("--category", help="recommendation or commitment.")],
    text: Annotated[str, typer.Option("--text", help="What is to be done.")],
    owner: Annotated[str, typer.Option("--owner", help="The party that owns it.")],
) -> dict[str, Any]:
    """The chair records a follow-up item of EDITION; prints its entry."""
    return {"edition": edition, "category": category, "text": text, "owner": owner}


@followup_app.command("update")
@acting("dialogue.followup.updated")
def update_followup(
    followup: Annotated[int, typer.Argument(help="The follow-up item's entry.")],
    status: Annotated[str, typer.Option("--status", help="open, in_progress, done, dropped.")],
    evidence: Annotated[str, typer.Option("--evidence", help="What shows it.")] = "",
) -> dict[str, Any]:
    """Its owner (or the chair) reports on a follow-up item."""
    return {"followup": followup, "status": status, "evidence": evidence}


# -- reading ---------------------------------------------------------------------------------


def _editions(url: str | None) -> list[dict[str, Any]]:
    if url is not None:
        return list(served(url, "/conference/editions"))
    django_setup()
    from accord.dialogue.api import edition_summary  # noqa: PLC0415
    from accord.dialogue.models import Edition  # noqa: PLC0415

    return [edition_summary(e) for e in Edition.objects.order_by("-entry_index")]


def _edition(edition: int, url: str | None) -> dict[str, Any]:
    if url is not None:
        return dict(served(url, f"/conference/editions/{edition}"))
    django_setup()
    from accord.dialogue import api  # noqa: PLC0415

    found = api.edition_detail(edition)
    if found is None:
        raise fail(f"entry {edition} is not an edition of a conference; accord conference list")
    return found


@conference_app.command("list")
def list_editions(
    as_json: JsonOpt = False,  # noqa: FBT002 -- a Typer flag
    url: ReadUrl = None,
    out: OutOpt = None,
) -> None:
    """List the editions, newest first: entry, dates, city, chair, title."""
    with written_to(out):
        rows = _editions(url)
        if as_json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            typer.echo(
                f"{row['entry_index']:>6}  {row['starts_on']} – {row['ends_on']}  {row['city']}"
                f"  chair {row['chair']}  {row['title']}"
            )


@conference_app.command("show")
def show(
    edition: EditionArg,
    as_json: JsonOpt = False,  # noqa: FBT002 -- a Typer flag
    url: ReadUrl = None,
    out: OutOpt = None,
) -> None:
    """Show an edition: its agenda, its meetings and the delegations named to it."""
    with written_to(out):
        found = _edition(edition, url)
        if as_json:
            typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
            return
        typer.echo(
            f"{found['title']} ({found['series_title']}), {found['city']},"
            f" {found['starts_on']} – {found['ends_on']}; chair {found['chair']}"
        )
        typer.echo("Agenda" + (f" {found['agenda_symbol']}" if found["agenda_symbol"] else ""))
        for item in found["agenda"]:
            typer.echo(f"  {item['number']:<6} {item['title']}")
        typer.echo("Meetings")
        for meeting in found["meetings"]:
            typer.echo(
                f"  {meeting['entry_index']:>6}  {meeting['starts_at']}  {meeting['room']}"
                f"  {meeting['title']}"
            )
        typer.echo("Delegations")
        for delegation in found["delegations"]:
            heads = [m["handle"] for m in delegation["members"] if m["function"] == "head"]
            typer.echo(
                f"  {delegation['party']:<6} {delegation['standing']:<14} {', '.join(heads)}"
            )


@conference_app.command("journal")
def journal(
    meeting: MeetingArg,
    fmt: Annotated[str, typer.Option("--format", help="text, pdf or docx.")] = "text",
    language: Annotated[str, typer.Option("--language", help="en or ru.")] = "en",
    out: OutOpt = None,
) -> None:
    """Write MEETING's journal, read on the host; pdf and docx need --out FILE or stdout
    sent to a file or pipe."""
    if fmt not in JOURNAL_FORMATS:
        raise fail(f"{fmt!r} is not a journal format; choose one of {', '.join(JOURNAL_FORMATS)}")
    if language not in ("en", "ru"):
        raise fail(f"{language!r} is not a language the journal is written in; choose en or ru")
    if fmt != "text" and out is None and sys.stdout.isatty():
        raise fail(f"{fmt} is binary; give --out FILE or send stdout to a file")
    with written_to(out):
        django_setup()
        from accord.dialogue import exports  # noqa: PLC0415 -- writers load when used
        from accord.dialogue.models import Meeting  # noqa: PLC0415

        if not Meeting.objects.filter(entry_index=meeting).exists():
            raise fail(f"entry {meeting} is not a meeting of a conference")
        write = getattr(exports, "journal", None)
        if write is None:
            raise fail("this host cannot write journals yet: accord.dialogue.exports has none")
        binary_stdout().write(write(meeting, fmt, language))
