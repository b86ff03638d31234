"""E-mails the charter owes the participating delegations, queued in the outbox.

Silence opened, silence ending within a day, silence concluded: each goes to
every accredited person of every participating party, written in the same
transaction as the act (or, for the reminder, by the scheduler's round) and
sent after commit by the worker. A message carries a link, the symbol and the
deadline; nothing restricted. The reminder is queued once per procedure: the
outbox row it leaves is how the next round knows.
"""

from datetime import datetime, timedelta

from django.conf import settings

from accord.charter.models import Document, SilenceBreak, SilenceProcedure
from accord.forum import queries as forum_queries
from accord.ledger import outbox
from accord.ledger.envelope import parse_time

REMINDER_BEFORE = timedelta(days=1)


def _addresses() -> list[str]:
    """Every accredited person of the participating parties; two queries."""
    members = {party.code for party in forum_queries.parties_by_status().get("participating", [])}
    handles = {
        accreditation.handle
        for accreditation in forum_queries.accreditations()
        if accreditation.party in members
    }
    return sorted({person.email for person in forum_queries.accounts() if person.handle in handles})


def _link(procedure: int) -> str:
    base = str(settings.SITE_URL or "").rstrip("/")
    return f"{base}/charter/silence/{procedure}"


def _tell_all(procedure: int, subject: str, text: str, about: str = "") -> None:
    body = f"{text}\n\n{_link(procedure)}\n"
    for address in _addresses():
        outbox.queue_email(address, subject, body, entry_index=procedure, about=about)


def _symbol(procedure: SilenceProcedure) -> str:
    document = Document.objects.get(entry_index=procedure.document)
    return f"{document.symbol}/Rev.{procedure.revision}" if procedure.revision else document.symbol


def silence_opened(procedure: int) -> None:
    found = SilenceProcedure.objects.get(entry_index=procedure)
    symbol = _symbol(found)
    _tell_all(
        procedure,
        f"{symbol} is under silence until {found.until}",
        f"The chair has put {symbol} under silence until {found.until} (UTC). It is adopted then"
        " unless a participating party breaks silence before that time.",
    )


def silence_concluded(procedure: int) -> None:
    found = SilenceProcedure.objects.get(entry_index=procedure)
    symbol = _symbol(found)
    breaks = SilenceBreak.objects.filter(procedure=procedure).count()
    if breaks:
        subject = f"Silence on {symbol} was broken"
        text = f"Silence on {symbol} was broken by {breaks} part{'ies' if breaks > 1 else 'y'}."
    else:
        subject = f"{symbol} was adopted under silence"
        text = f"No party broke silence on {symbol} before {found.until}: it is adopted."
    _tell_all(procedure, subject, text)


def remind(now: datetime) -> int:
    """Queue the day-before reminder of each open procedure ending within a day, once;
    returns how many procedures were reminded. A few queries per open procedure."""
    reminded = 0
    for found in SilenceProcedure.objects.filter(status="open"):
        ends = parse_time(found.until)
        if not now < ends <= now + REMINDER_BEFORE:
            continue
        about = f"charter.silence.reminder:{found.entry_index}"
        if outbox.queued_about(about):
            continue
        _tell_all(
            found.entry_index,
            f"Silence on {_symbol(found)} ends within a day",
            f"Silence on {_symbol(found)} ends at {found.until} (UTC); break it before then"
            " if your party cannot join the decision.",
            about,
        )
        reminded += 1
    return reminded
