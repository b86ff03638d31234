"""The conference's meetings as iCalendar (RFC 5545), for a delegate's own calendar.

``edition_ics(edition)`` is every meeting of an edition, ``meeting_ics(meeting)`` one meeting;
both are an iCalendar object (§3.4: ``BEGIN:VCALENDAR`` with ``VERSION:2.0`` §3.7.4 and a
``PRODID`` §3.7.3) holding one ``VEVENT`` (§3.6.1) per meeting with:

- ``UID`` (§3.8.4.7): the meeting's entry index and the log's origin, so a re-download
  updates the event a calendar already holds instead of adding a second one;
- ``DTSTAMP`` (§3.8.7.2): when the log recorded the meeting, not the time of the download,
  so the same log always gives the same bytes;
- ``DTSTART`` and ``DTEND`` (§3.8.2.4, §3.8.2.2) in UTC, the ``Z`` form of DATE-TIME (§3.3.5),
  which needs no ``VTIMEZONE``; the calendar shows them in its reader's own time zone;
- ``SUMMARY``, ``LOCATION`` and ``DESCRIPTION`` (§3.8.1.12, §3.8.1.7, §3.8.1.5), TEXT values
  (§3.3.11) with backslash, semicolon and comma escaped and line ends written ``\\n``.

Lines end with CRLF and are folded (§3.1) so that none is longer than 75 octets, a
continuation line starting with one space; a fold never splits a UTF-8 character.
Written by hand: the format is small and a library would add a dependency for it.

Cost: a fixed number of queries (seven) whatever the number of meetings.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import translation
from django.utils.translation import gettext as _

from accord.dialogue.models import Edition, Meeting
from accord.ledger.models import Entry, LogState
from accord.ledger.names import PartyNames, party_names

PRODID = "-//Accord//Conference calendar//EN"
LIMIT = 75
"""Octets a content line may hold before it is folded, its CRLF not counted (§3.1)."""


def escape(text: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon and comma escaped, a line end as ``\\n``."""
    out = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded after at most 75 octets (§3.1), CRLF-terminated."""
    pieces: list[bytes] = []
    current = b""
    room = LIMIT
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > room:
            pieces.append(current)
            current = b" "
            room = LIMIT
        current += encoded
    pieces.append(current)
    return b"".join(piece + b"\r\n" for piece in pieces)


def stamp(value: str) -> str:
    """A logged time (``2025-10-30T07:00:00Z``, or with microseconds) as a UTC DATE-TIME."""
    parsed = datetime.fromisoformat(value)
    moment = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _format(value: str) -> str:
    return {
        "plenary": _("plenary meeting"),
        "working_group": _("working group"),
        "informal": _("informal meeting"),
        "closed": _("closed meeting"),
    }.get(value, value)


def _event(
    meeting: Meeting, edition: Edition, logged: str, origin: str, names: PartyNames
) -> list[str]:
    where = ", ".join(part for part in (meeting.room, edition.venue, edition.city) if part)
    description = "\n".join(
        [
            _("Meeting %(number)s of the %(edition)s, %(format)s.")
            % {
                "number": meeting.number,
                "edition": edition.title,
                "format": _format(meeting.format),
            },
            _("Chair: %(party)s") % {"party": names.name(edition.chair) or edition.chair},
        ]
    )
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.entry_index}@{escape(origin)}",
        f"DTSTAMP:{stamp(logged)}",
        f"DTSTART:{stamp(meeting.starts_at)}",
        f"DTEND:{stamp(meeting.ends_at)}",
        f"SUMMARY:{escape(f'{edition.title}: {meeting.title}')}",
        f"LOCATION:{escape(where)}",
        f"DESCRIPTION:{escape(description)}",
        "END:VEVENT",
    ]


def _calendar(meetings: Iterable[Meeting], editions: dict[int, Edition], language: str) -> bytes:
    rows = list(meetings)
    logged = dict(
        Entry.objects.filter(index__in=[m.entry_index for m in rows]).values_list(
            "index", "logged_at"
        )
    )
    origin = "".join(
        (LogState.objects.values_list("origin", flat=True).first() or "accord").split()
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    with translation.override(language):
        names = party_names()
        for meeting in rows:
            lines.extend(
                _event(
                    meeting, editions[meeting.edition], logged[meeting.entry_index], origin, names
                )
            )
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


def edition_ics(edition: int, *, language: str = "en") -> bytes:
    """Every meeting of ``edition``, in the order they start."""
    found = Edition.objects.get(entry_index=edition)
    meetings = Meeting.objects.filter(edition=edition).order_by("starts_at", "entry_index")
    return _calendar(meetings, {found.entry_index: found}, language)


def meeting_ics(meeting: int, *, language: str = "en") -> bytes:
    """One meeting."""
    found = Meeting.objects.get(entry_index=meeting)
    edition = Edition.objects.get(entry_index=found.edition)
    return _calendar([found], {edition.entry_index: edition}, language)
