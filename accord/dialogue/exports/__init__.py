"""Exports of the conference's documents: a meeting's journal, a delivered statement and an
edition's list of participants, in the reader's language.

``journal(meeting, fmt, language)`` (text, pdf, docx) prints ``accord.dialogue.journal.content``
with the journal's symbol once the secretariat has issued it; ``statement(entry, fmt,
language, reader_party)`` (pdf, docx) prints a delivered statement's text, refused with
``PermissionError`` to a reader ``accord.dialogue.statements.readable`` does not entitle;
``participants(edition, fmt, language)`` (pdf, csv) lists the delegations by standing, each
member with function, level and precedence, and the credentials' status. Parties are named,
not coded (``accord.ledger.names``), dates are written in the edition's time zone as the
language writes them, and every page carries the document's symbol and distribution level.
The same projections give the same bytes (``paper``).

Cost: a fixed number of queries per export (the journal's eight, and a handful more).
"""

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from django.utils import translation
from django.utils.translation import gettext as _

from accord.dialogue import journal as journals
from accord.dialogue.exports.paper import Block, Paper, as_docx, as_pdf, as_text, moment
from accord.dialogue.models import (
    Circulated,
    Credentials,
    Delegation,
    DeliveredStatement,
    Edition,
    Journal,
    Meeting,
)
from accord.dialogue.statements import readable
from accord.ledger.names import PartyNames, language_name, party_names
from accord.people.models import Person

JOURNAL_FORMATS = ("text", "pdf", "docx")
STATEMENT_FORMATS = ("pdf", "docx")
PARTICIPANTS_FORMATS = ("pdf", "csv")

MEDIA_TYPES = {
    "text": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}
"""What a download sends as Content-Type for each format."""

EXTENSIONS = {"text": "txt", "pdf": "pdf", "docx": "docx", "csv": "csv"}

STANDINGS = ("participating", "observer", "partner")
"""The order of delegations in the list of participants; any other standing comes last."""


def _choose(fmt: str, choices: Sequence[str]) -> None:
    if fmt not in choices:
        raise ValueError(
            f"{fmt!r} is not an export format here; choose one of {', '.join(choices)}"
        )


def _writer(fmt: str) -> Callable[[Paper], bytes]:
    return {"text": as_text, "pdf": as_pdf, "docx": as_docx}[fmt]


def _zone(edition: Edition) -> ZoneInfo:
    try:
        return ZoneInfo(edition.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _when(value: str, edition: Edition, language: str, pattern: str = "d MMMM y, HH:mm") -> str:
    """A logged time as the language writes it, in the edition's time zone."""
    return format_datetime(moment(value), pattern, tzinfo=_zone(edition), locale=language)


def _name(names: PartyNames, code: str) -> str:
    return names.name(code) or code


def _distribution(level: str) -> str:
    shown = _("restricted") if level == "restricted" else _("public")
    return _("Distribution: %(level)s") % {"level": shown}


def _speaker_kind(kind: str) -> str:
    if kind == "point_of_order":
        return _("point of order")
    if kind == "reply":
        return _("right of reply")
    return _("statement")


def _outcome(status: str) -> str:
    if status == "adopted":
        return _("adopted by consensus")
    if status == "not_adopted":
        return _("not adopted")
    return _("question asked, not yet declared")


def journal(meeting: int, fmt: str, language: str = "en") -> bytes:
    """The journal of ``meeting`` in ``fmt`` (text, pdf or docx), labelled in ``language``."""
    _choose(fmt, JOURNAL_FORMATS)
    data = journals.content(meeting)
    row = Meeting.objects.get(entry_index=meeting)
    edition = Edition.objects.get(entry_index=row.edition)
    issued = Journal.objects.filter(meeting=meeting).first()
    with translation.override(language):
        names = party_names()
        title = _("Journal of meeting %(number)s") % {"number": row.number}
        running = issued.symbol if issued else _("%(title)s, not yet issued") % {"title": title}
        lines = [
            edition.title,
            row.title,
            _("%(start)s to %(end)s (local time), %(room)s")
            % {
                "start": _when(row.starts_at, edition, language),
                "end": _when(row.ends_at, edition, language, "HH:mm"),
                "room": row.room,
            },
            _("Chair: %(party)s") % {"party": _name(names, edition.chair)},
            _("Symbol: %(symbol)s") % {"symbol": issued.symbol}
            if issued
            else _("This journal is not yet issued."),
        ]
        if data["agenda_adopted"]:
            lines.append(
                _("The agenda (%(symbol)s) was adopted.") % {"symbol": data["agenda_adopted"]}
            )
        blocks = [block for item in data["items"] for block in _journal_item(item, names, edition)]
        if not blocks:
            blocks.append(Block("text", _("Nothing is recorded for this meeting yet.")))
        paper = Paper(
            title=title,
            running=running,
            distribution=_distribution("public"),
            language=language,
            dated=moment(issued.issued_at if issued else row.starts_at),
            lines=tuple(lines),
            blocks=tuple(blocks),
        )
        return _writer(fmt)(paper)


def _journal_item(item: dict[str, Any], names: PartyNames, edition: Edition) -> list[Block]:
    language = translation.get_language() or "en"
    blocks = [
        Block(
            "heading",
            _("Item %(number)s: %(title)s") % {"number": item["number"], "title": item["title"]},
        )
    ]
    if item["speakers"]:
        blocks.append(Block("text", _("Speakers, in the order they took the floor:")))
    for turn in item["speakers"]:
        said = _("%(party)s (%(kind)s, %(at)s)") % {
            "party": _name(names, turn["party"]),
            "kind": _speaker_kind(turn["kind"]),
            "at": _when(turn["at"], edition, language, "HH:mm"),
        }
        if turn["replying_to"]:
            said += " " + _("in reply to %(party)s") % {"party": _name(names, turn["replying_to"])}
        if turn["on_behalf_of"]:
            said += " " + _("on behalf of %(group)s") % {"group": turn["on_behalf_of"]}
        blocks.append(Block("note", said))
    if item["statements"]:
        blocks.append(Block("text", _("Statements delivered:")))
    blocks.extend(Block("note", _delivered_line(row, names)) for row in item["statements"])
    for decision in item["decisions"]:
        text = _("Draft %(document)s, %(title)s: %(outcome)s") % {
            "document": decision["document"],
            "title": decision["title"],
            "outcome": _outcome(decision["outcome"]),
        }
        if decision["symbol"]:
            text += " " + _("(decision %(symbol)s)") % {"symbol": decision["symbol"]}
        blocks.append(Block("text", text))
        blocks.extend(
            Block(
                "note",
                _("Interpretative statement by %(party)s: %(text)s")
                % {"party": _name(names, said["party"]), "text": said["text"]},
            )
            for said in decision["interpretations"]
        )
    return blocks


def _delivered_line(delivered: dict[str, Any], names: PartyNames) -> str:
    return _("%(symbol)s: %(party)s, in %(language)s, %(distribution)s") % {
        "symbol": delivered["symbol"],
        "party": _name(names, delivered["party"]),
        "language": language_name(delivered["language"]),
        "distribution": _("restricted")
        if delivered["distribution"] == "restricted"
        else _("public"),
    }


def statement(entry: int, fmt: str, language: str, reader_party: str | None) -> bytes:
    """A delivered statement in ``fmt`` (pdf or docx); a restricted one only for a reader
    ``readable`` entitles, else ``PermissionError``."""
    _choose(fmt, STATEMENT_FORMATS)
    delivered = DeliveredStatement.objects.get(entry_index=entry)
    names = party_names()
    if not readable(delivered, reader_party, names.secretariat or ""):
        raise PermissionError(
            f"{delivered.symbol} is restricted: only its delegation, the secretariat and the "
            "participating parties read it"
        )
    circulated = Circulated.objects.get(entry_index=delivered.circulated)
    meeting = Meeting.objects.get(entry_index=delivered.meeting)
    edition = Edition.objects.get(entry_index=meeting.edition)
    level = "restricted" if delivered.is_restricted else "public"
    versions: dict[str, str] = dict(circulated.versions or {})
    text = versions.get(delivered.language) or circulated.text
    with translation.override(language):
        lines = [
            _("Statement by %(party)s") % {"party": _name(names, delivered.party)},
            _("%(edition)s, meeting %(number)s, item %(item)s")
            % {"edition": edition.title, "number": meeting.number, "item": delivered.item},
            _("Delivered on %(when)s (local time), in %(language)s")
            % {
                "when": _when(delivered.delivered_at, edition, language),
                "language": language_name(delivered.language),
            },
        ]
        if delivered.on_behalf_of:
            lines.append(_("On behalf of %(group)s") % {"group": delivered.on_behalf_of})
        if delivered.aligning:
            lines.append(
                _("Aligning themselves: %(parties)s")
                % {"parties": ", ".join(_name(names, code) for code in delivered.aligning)}
            )
        if circulated.check_against_delivery:
            lines.append(_("Check against delivery"))
        blocks = [Block("text", paragraph) for paragraph in text.split("\n") if paragraph.strip()]
        paper = Paper(
            title=circulated.title or delivered.symbol,
            running=delivered.symbol,
            distribution=_distribution(level),
            language=language,
            dated=moment(delivered.delivered_at),
            lines=tuple(lines),
            blocks=tuple(blocks),
        )
        return _writer(fmt)(paper)


def _function(function: str) -> str:
    if function == "head":
        return _("head of delegation")
    if function == "alternate":
        return _("alternate")
    return _("adviser")


def _level(level: str) -> str:
    return {
        "head_of_state": _("Head of State"),
        "head_of_government": _("Head of Government"),
        "minister": _("Minister"),
        "ambassador": _("Ambassador"),
    }.get(level, _("other level"))


def _standing(standing: str) -> str:
    return {
        "participating": _("Participating"),
        "observer": _("Observers"),
        "partner": _("Partners"),
    }.get(standing, _("Guests of the chair"))


def _credentials(status: str | None) -> str:
    if status is None:
        return _("no credentials submitted")
    if status == "accepted":
        return _("credentials accepted")
    return _("credentials provisional")


def _rows(edition: Edition, names: PartyNames) -> list[tuple[Delegation, str | None]]:
    delegations = list(Delegation.objects.filter(edition=edition.entry_index))
    status: dict[str, str] = {}
    for row in Credentials.objects.filter(edition=edition.entry_index).order_by("entry_index"):
        status[row.party] = row.status
    rank = {standing: position for position, standing in enumerate(STANDINGS)}
    delegations.sort(
        key=lambda d: (rank.get(d.standing, len(STANDINGS)), _name(names, d.party), d.party)
    )
    return [(delegation, status.get(delegation.party)) for delegation in delegations]


def _member_line(member: dict[str, Any], people: dict[str, str]) -> str:
    name = people.get(member["handle"]) or member["handle"]
    return (
        f"{member['precedence']}. {name}, {_function(member['function'])}, "
        f"{_level(member['level'])}"
    )


def participants(edition: int, fmt: str, language: str, *, with_names: bool = False) -> bytes:
    """The list of participants of ``edition`` in ``fmt`` (pdf, or csv one row per member).

    People's names are personal data the host keeps beside the log, never in it: they are
    printed only ``with_names`` (for a reader accredited in the forum); anyone else reads each
    member by handle, function and level, as the log has them."""
    _choose(fmt, PARTICIPANTS_FORMATS)
    found = Edition.objects.get(entry_index=edition)
    with translation.override(language):
        names = party_names()
        rows = _rows(found, names)
        handles = [
            member["handle"] for delegation, _status in rows for member in delegation.members
        ]
        people = (
            dict(Person.objects.filter(handle__in=handles).values_list("handle", "name"))
            if with_names
            else {}
        )
        if fmt == "csv":
            return _csv(found, rows, names, people)
        blocks: list[Block] = []
        shown = None
        for delegation, status in rows:
            if delegation.standing != shown:
                shown = delegation.standing
                blocks.append(Block("heading", _standing(delegation.standing)))
            blocks.append(
                Block(
                    "text",
                    f"{_name(names, delegation.party)} ({_credentials(status)})",
                )
            )
            blocks.extend(
                Block("note", _member_line(member, people))
                for member in sorted(delegation.members, key=lambda m: int(m["precedence"]))
            )
        if not rows:
            blocks.append(Block("text", _("No delegation has been named yet.")))
        paper = Paper(
            title=_("List of participants"),
            running=found.participants_symbol,
            distribution=_distribution("public"),
            language=language,
            dated=moment(found.created_at),
            lines=(
                found.title,
                f"{found.city}, {_when(found.starts_on, found, language, 'd MMMM y')}",
                _("Chair: %(party)s") % {"party": _name(names, found.chair)},
            ),
            blocks=tuple(blocks),
        )
        return as_pdf(paper)


def _csv(
    edition: Edition,
    rows: list[tuple[Delegation, str | None]],
    names: PartyNames,
    people: dict[str, str],
) -> bytes:
    """RFC 4180 CSV in UTF-8: a header row, then one row per member, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Symbol"),
            _("Standing"),
            _("Party code"),
            _("Party"),
            _("Credentials"),
            _("Precedence"),
            _("Handle"),
            _("Name"),
            _("Function"),
            _("Level"),
        ]
    )
    for delegation, status in rows:
        for member in sorted(delegation.members, key=lambda m: int(m["precedence"])):
            writer.writerow(
                _inert(cell)
                for cell in [
                    edition.participants_symbol,
                    _standing(delegation.standing),
                    delegation.party,
                    _name(names, delegation.party),
                    _credentials(status),
                    member["precedence"],
                    member["handle"],
                    people.get(member["handle"]) or member["handle"],
                    _function(member["function"]),
                    _level(member["level"]),
                ]
            )
    return out.getvalue().encode()


def _inert(cell: object) -> str:
    """A CSV cell a spreadsheet shows as text: one that begins like a formula (``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe (OWASP's advice on CSV
    injection), so a name typed as ``=HYPERLINK(…)`` is never run when the list is opened."""
    text = str(cell)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


__all__ = [
    "EXTENSIONS",
    "JOURNAL_FORMATS",
    "MEDIA_TYPES",
    "PARTICIPANTS_FORMATS",
    "STATEMENT_FORMATS",
    "journal",
    "participants",
    "statement",
]
