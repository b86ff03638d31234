"""A party's CSBM deadlines as iCalendar (RFC 5545), for its verification centre's calendar.

``deadlines_ics(party)`` holds one ``VEVENT`` (§3.6.1) for each acknowledgement the party
still owes and each reply it owes to a request made of it, whether or not the deadline has
passed (a missed deadline is still owed, and says so). Each event has:

- ``UID`` (§3.8.4.7): what is owed, the notification's entry and the log's origin, so a
  re-download updates the event instead of adding a second one;
- ``DTSTAMP`` (§3.8.7.2): when the log took the notification, never the time of the download,
  so the same log gives the same bytes;
- ``DTSTART`` (§3.8.2.4): the deadline, a UTC DATE-TIME (§3.3.5, ``Z`` form, no
  ``VTIMEZONE``), with no ``DTEND``: a deadline is an instant (§3.6.1 lets such an event end
  where it starts);
- ``SUMMARY`` and ``DESCRIPTION`` (§3.8.1.12, §3.8.1.5): what is owed on which format from
  whom, the rule that set the deadline (its period, paragraph and confidence, and the
  profile version it was computed under), and ``URL`` (§3.8.4.6) the notification's page.

Nothing restricted goes in: the format, the sender, the entry and the deadline are in the
public log. Lines end with CRLF and are folded at 75 octets (§3.1), never inside a UTF-8
character; TEXT values are escaped (§3.3.11). Written by hand like the conference's
calendar (``accord.dialogue.calendar``), which this app does not import: apps share only
actions, queries and statements.

Cost: six queries and one per profile version the deadlines were computed under.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from accord.csbm.formats import FORMATS
from accord.csbm.models import Case, Delivery, Notification
from accord.csbm.notices import link
from accord.csbm.rules import CsbmRules, Period, rules_at
from accord.csbm.statements import REPLY_PERIODS
from accord.ledger.envelope import parse_time
from accord.ledger.models import LogState
from accord.ledger.names import PartyNames, party_names

PRODID = "-//Accord//CSBM deadlines//EN"
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
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > LIMIT:
            pieces.append(current)
            current = b" "
        current += encoded
    pieces.append(current)
    return b"".join(piece + b"\r\n" for piece in pieces)


def stamp(value: str) -> str:
    """A log time as a UTC DATE-TIME (§3.3.5)."""
    return parse_time(value).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Deadline:
    """One acknowledgement or reply a party owes, with the rule that set its deadline."""

    what: str
    notification: Notification
    due_at: str
    period: Period
    version: int
    missed: bool


def owed_by(party: str) -> list[Deadline]:
    """What ``party`` owes, by deadline then entry. Three queries and one a profile version."""
    deliveries = list(Delivery.objects.filter(recipient=party, ack_entry__isnull=True))
    cases = list(
        Case.objects.filter(counterpart=party, reply_entry__isnull=True)
        .exclude(reply_due="")
        .exclude(state="closed")
    )
    found = Notification.objects.in_bulk(
        [row.notification for row in deliveries] + [case.entry_index for case in cases]
    )
    profiles: dict[int, CsbmRules] = {}

    def rules(version: int) -> CsbmRules:
        if version not in profiles:
            profiles[version] = rules_at(version)
        return profiles[version]

    owed: list[Deadline] = []
    for row in deliveries:
        notification = found.get(row.notification)
        if notification is None:
            continue
        version = notification.profile_version
        period = rules(version).acknowledgement.within
        missed = row.overdue_entry is not None
        owed.append(Deadline("acknowledgement", notification, row.ack_due, period, version, missed))
    for case in cases:
        notification = found.get(case.entry_index)
        if notification is None:
            continue
        period = REPLY_PERIODS[case.kind](rules(case.profile_version))
        missed = case.state == "reply_overdue"
        owed.append(
            Deadline("reply", notification, case.reply_due, period, case.profile_version, missed)
        )
    return sorted(owed, key=lambda one: (one.due_at, one.notification.entry_index, one.what))


def _title(notification: Notification) -> str:
    fmt = FORMATS.get(notification.format)
    return str(fmt.title) if fmt is not None else notification.format


def _event(deadline: Deadline, party: str, origin: str, names: PartyNames) -> list[str]:
    notification = deadline.notification
    values = {
        "format": _title(notification),
        "sender": names.name(notification.sender) or notification.sender,
        "entry": notification.entry_index,
        "period": deadline.period.words(),
        "ref": deadline.period.cite(),
        "version": deadline.version,
    }
    if deadline.what == "acknowledgement":
        summary = _("Acknowledge entry %(entry)s: %(format)s from %(sender)s") % values
        rule = _(
            "Acknowledgement due %(period)s after the log took the notification (%(ref)s),"
            " under profile version %(version)s."
        )
    else:
        summary = _("Reply to entry %(entry)s: %(format)s from %(sender)s") % values
        rule = _(
            "Reply due %(period)s after the log took the request (%(ref)s), under profile"
            " version %(version)s."
        )
    lines = [rule % values]
    if deadline.missed:
        lines.append(_("The deadline passed; the secretariat recorded it as missed."))
    url = link(notification.entry_index)
    lines.append(url)
    event = [
        "BEGIN:VEVENT",
        f"UID:csbm-{deadline.what}-{notification.entry_index}-{party}@{escape(origin)}",
        f"DTSTAMP:{stamp(notification.sent_at)}",
        f"DTSTART:{stamp(deadline.due_at)}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(chr(10).join(lines))}",
    ]
    if url.startswith(("https://", "http://")):
        event.append(f"URL:{url}")  # a URI (§3.3.13): only once the site's address is set
    return [*event, "END:VEVENT"]


def deadlines_ics(party: str, *, language: str = "en") -> bytes:
    """``party``'s deadlines as one iCalendar object (§3.4), in ``language``."""
    origin = "".join(
        (LogState.objects.values_list("origin", flat=True).first() or "accord").split()
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    with translation.override(language):
        names = party_names()
        lines.append(f"X-WR-CALNAME:{escape(_('CSBM deadlines of %(party)s') % {'party': party})}")
        for deadline in owed_by(party):
            lines.extend(_event(deadline, party, origin, names))
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)
