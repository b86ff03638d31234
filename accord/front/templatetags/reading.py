"""Parties by name and times as people write them, with the exact value in a tooltip.

The log speaks in party codes and RFC 3339 times; a diplomat reads names and dates.
Each filter prints the readable form and keeps the exact one in ``title`` (and, for
times, in ``<time datetime>``), so nothing the log says is hidden, only put second.
The front app imports no domain app: the names come in as an argument, the
``parties`` value the layout's context provides.
"""

from datetime import UTC, date, datetime
from typing import Protocol

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from accord.ledger.envelope import Entry, EnvelopeError, Statement
from accord.ledger.sentences import sentence_of

register = template.Library()


class Names(Protocol):
    """What the filters need from the party register (``accord.ledger.names.PartyNames``)."""

    @property
    def secretariat(self) -> str | None: ...

    def name(self, code: str) -> str | None: ...


def secretariat_name() -> str:
    """The secretariat's name in the reader's language: it is the host, not a state."""
    return pgettext("party", "Secretariat")


def readable_party(code: str, names: Names | None) -> str:
    """The name a reader knows the party by; the code itself when the log has no name."""
    if names is None:
        return code
    if code == names.secretariat:
        return secretariat_name()
    return names.name(code) or code


@register.filter
def party(code: object, names: Names | None) -> SafeString | str:
    """``{{ entry.actor|party:parties }}``: the party's name, its code in a tooltip."""
    if not isinstance(code, str) or not code:
        return "" if code is None else str(code)
    shown = readable_party(code, names)
    if shown == code:
        return format_html('<span class="party">{}</span>', code)
    return format_html('<span class="party" title="{}">{}</span>', code, shown)


def _statement(entry: object) -> Statement | None:
    """The signed statement of a log row (its leaf bytes), a receipt or an explorer line."""
    statement = getattr(entry, "statement", None)
    if isinstance(statement, Statement):
        return statement
    leaf = getattr(entry, "leaf", None)
    if leaf is None:
        return None
    try:
        return Entry.from_bytes(bytes(leaf)).signed.statement
    except EnvelopeError:
        return None


@register.filter
def sentence(entry: object, names: Names | None) -> str:
    """``{{ entry|sentence:parties }}``: the act the entry records, as a sentence in the
    reader's language with parties by name; the kind stays for the tooltip beside it.
    Parses the leaf once; no query."""
    statement = _statement(entry)
    if statement is None:
        return ""
    return sentence_of(statement, lambda code: readable_party(code, names))


@register.filter
def party_name(code: object, names: Names | None) -> str:
    """``{{ party.code|party_name:parties }}``: the name as plain text, for titles."""
    return readable_party(str(code), names) if code else ""


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):  # a day alone (a deadline's date): its midnight, UTC
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def readable_time(moment: datetime) -> str:
    """ "28 October 2025, 09:00 UTC" / "28 октября 2025 г., 09:00 UTC" (Django's date syntax)."""
    # Translators: a Django date format; E is the month as it stands after a day.
    return dateformat.format(moment, pgettext("date format", r"j E Y, H:i \U\T\C"))


def exact_time(moment: datetime) -> str:
    """RFC 3339 in UTC with Z and microseconds, as the log writes it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@register.filter
def moment(value: object) -> SafeString | str:
    """``{{ entry.logged_at|moment }}``: a date a person reads, the exact time in a tooltip."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value is None else str(value)
    exact = value if isinstance(value, str) else exact_time(parsed)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', exact, exact, readable_time(parsed)
    )


@register.filter
def day(value: object) -> str:
    """``{{ invitation.sent_at|day }}``: the date alone, "28 October 2025"."""
    parsed = _parse(value)
    if parsed is None:
        return "" if value is None else str(value)
    return dateformat.format(parsed, pgettext("day format", "j E Y"))
