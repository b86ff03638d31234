"""E-mails about CSBM notifications: who receives them, what they say, and the reminders of
deadlines the scheduler queues in the outbox.

Every e-mail is a link, never a notification's body: a restricted body reaches its
recipients through the pages, the API and the webhook, each of which asks
``statements.may_read``; an e-mail leaves the host in the clear, is forwarded and archived,
so it says only what the public log says (who sent which format, its entry, a deadline)
and where to read the rest. Accord does not know a person's language, so each message is
written in English, then in Russian.

Reminders (``reminders``, the scheduler's job ``csbm.reminders``): before an acknowledgement
or a reply falls due, the delegation that owes it is reminded once; when it falls due unmet,
the secretariat is told once, before its scheduler records the missed deadline. The outbox
rows (``about``) are how the next round knows a reminder went.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accord.csbm.formats import FORMATS
from accord.csbm.models import Case, Delivery, Notification
from accord.forum import queries as forum_queries
from accord.ledger import outbox
from accord.ledger.envelope import format_time, parse_time
from accord.ledger.names import party_names

LANGUAGES = ("en", "ru")
"""The languages every e-mail is written in, in this order."""
REMINDER_BEFORE = timedelta(days=1)
"""How long before a deadline its party is reminded, at most: a deadline that runs for less
than twice this is reminded halfway through instead, so no reminder comes with the notice."""
EXPIRED_WINDOW = timedelta(days=7)
"""How long after a deadline the secretariat is still told of it: a host that was down
longer does not flood it with old news (its scheduler records each missed deadline anyway)."""


def contacts(party: str) -> list[str]:
    """The e-mail addresses of ``party``'s delegation: each person accredited to it now, for
    the party their account belongs to (as they read for it); sorted. Two queries."""
    handles = {row.handle for row in forum_queries.accreditations(party)}
    return sorted(
        {
            person.email
            for person in forum_queries.accounts()
            if person.handle in handles and person.party == party and person.email
        }
    )


def reached(parties: list[str]) -> set[str]:
    """Which of ``parties`` have at least one address to write to; two queries in all."""
    wanted = set(parties)
    handles = {
        row.handle: row.party for row in forum_queries.accreditations() if row.party in wanted
    }
    return {
        person.party
        for person in forum_queries.accounts()
        if person.email and handles.get(person.handle) == person.party
    }


def link(notification: int) -> str:
    """The notification's page, which shows its body to those entitled and to no one else."""
    base = str(settings.SITE_URL or "").rstrip("/")
    return f"{base}/csbm/notifications/{notification}/"


def _what(notification: Notification) -> str:
    """The format's title in the active language as a phrase inside a sentence, with its
    article in English ("a prior notification of a military activity")."""
    fmt = FORMATS.get(notification.format)
    title = str(fmt.title) if fmt is not None else notification.format
    phrase = title[:1].lower() + title[1:]
    if (translation.get_language() or "en").startswith("en"):
        return f"{'an' if phrase[:1] in 'aeiou' else 'a'} {phrase}"
    return phrase


def _party(code: str) -> str:
    return party_names().name(code) or code


def _both(write: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """A subject and a text written once in each of ``LANGUAGES``: the subjects joined by
    " / ", the texts one after the other."""
    subjects: list[str] = []
    texts: list[str] = []
    for language in LANGUAGES:
        with translation.override(language):
            subject, text = write()
        subjects.append(subject)
        texts.append(text)
    return " / ".join(dict.fromkeys(subjects)), "\n\n".join(dict.fromkeys(texts)) + "\n"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def delivered(notification: Notification) -> Message:
    """The e-mail a recipient's delegation receives for a notification: who sent which format
    and its entry, and the link; nothing of the payload, the facts or the recipients."""

    def write() -> tuple[str, str]:
        values = {
            "party": _party(notification.sender),
            "what": _what(notification),
            "entry": notification.entry_index,
            "url": link(notification.entry_index),
        }
        subject = _("%(party)s sent a notification (entry %(entry)s)") % values
        text = _("%(party)s sent %(what)s (entry %(entry)s); read it at %(url)s") % values
        return subject, text

    subject, text = _both(write)
    return Message(subject, text)


def _due(text: str) -> str:
    return parse_time(text).strftime("%Y-%m-%d %H:%M UTC")


def _before(notification: Notification, what: str, due_at: str) -> Message:
    def write() -> tuple[str, str]:
        values = {
            "party": _party(notification.sender),
            "what": _what(notification),
            "entry": notification.entry_index,
            "due": _due(due_at),
            "url": link(notification.entry_index),
        }
        if what == "acknowledgement":
            subject = _("Acknowledgement due by %(due)s (entry %(entry)s)") % values
            text = _(
                "The acknowledgement of entry %(entry)s, %(what)s from %(party)s, is due by"
                " %(due)s; acknowledge it at %(url)s"
            )
        else:
            subject = _("Reply due by %(due)s (entry %(entry)s)") % values
            text = _(
                "The reply to entry %(entry)s, %(what)s from %(party)s, is due by %(due)s;"
                " answer it at %(url)s"
            )
        return subject, text % values

    subject, text = _both(write)
    return Message(subject, text)


def _expired(notification: Notification, what: str, party: str, due_at: str) -> Message:
    def write() -> tuple[str, str]:
        values = {
            "party": _party(party),
            "sender": _party(notification.sender),
            "what": _what(notification),
            "entry": notification.entry_index,
            "due": _due(due_at),
            "url": link(notification.entry_index),
        }
        if what == "acknowledgement":
            subject = _("%(party)s did not acknowledge entry %(entry)s by %(due)s") % values
            text = _(
                "%(party)s did not acknowledge entry %(entry)s, %(what)s from %(sender)s, by"
                " %(due)s; see it at %(url)s"
            )
        else:
            subject = _("%(party)s did not reply to entry %(entry)s by %(due)s") % values
            text = _(
                "%(party)s did not reply to entry %(entry)s, %(what)s from %(sender)s, by"
                " %(due)s; see it at %(url)s"
            )
        return subject, text % values

    subject, text = _both(write)
    return Message(subject, text)


# -- reminders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """An acknowledgement or reply ``party`` owes on ``notification`` by ``due_at``."""

    notification: Notification
    party: str
    what: str
    due_at: str


def about(owed: Owed, stage: str) -> str:
    """What the outbox row of one reminder is for (``before`` or ``expired``)."""
    return f"csbm.reminder:{owed.what}:{owed.notification.entry_index}:{owed.party}:{stage}"


def owed_around(now: datetime) -> list[Owed]:
    """Acknowledgements and replies unmet whose deadline falls between ``EXPIRED_WINDOW``
    ago and ``REMINDER_BEFORE`` from now; three queries."""
    since, until = format_time(now - EXPIRED_WINDOW), format_time(now + REMINDER_BEFORE)
    deliveries = list(
        Delivery.objects.filter(
            ack_entry__isnull=True, ack_due__gt=since, ack_due__lte=until
        ).order_by("notification", "recipient")
    )
    cases = list(
        Case.objects.filter(reply_entry__isnull=True, reply_due__gt=since, reply_due__lte=until)
        .exclude(state="closed")
        .order_by("entry_index")
    )
    found = Notification.objects.in_bulk(
        [row.notification for row in deliveries] + [case.entry_index for case in cases]
    )
    owed = [
        Owed(found[row.notification], row.recipient, "acknowledgement", row.ack_due)
        for row in deliveries
        if row.notification in found
    ]
    owed += [
        Owed(found[case.entry_index], case.counterpart, "reply", case.reply_due)
        for case in cases
        if case.entry_index in found
    ]
    return owed


def _reminded_at(owed: Owed) -> datetime:
    """When the party is reminded: ``REMINDER_BEFORE`` before the deadline, or halfway
    through a shorter one."""
    due_at = parse_time(owed.due_at)
    allowed = due_at - parse_time(owed.notification.sent_at)
    return due_at - min(REMINDER_BEFORE, allowed / 2)


def _queue(addresses: list[str], message: Message, owed: Owed, stage: str) -> bool:
    if not addresses or outbox.queued_about(about(owed, stage)):
        return False
    for address in addresses:
        outbox.queue_email(
            address,
            message.subject,
            message.text,
            entry_index=owed.notification.entry_index,
            about=about(owed, stage),
        )
    return True


def remind(now: datetime) -> tuple[int, int]:
    """Queue each reminder that is due and was never queued: (parties reminded, deadlines
    the secretariat was told of). A party or secretariat with no address is reminded by a
    later round, once it has one. Three queries, then two or three a reminder."""
    secretariat = forum_queries.secretariat()
    reminded = told = 0
    for owed in owed_around(now):
        if parse_time(owed.due_at) <= now:
            if secretariat is not None and _queue(
                contacts(secretariat),
                _expired(owed.notification, owed.what, owed.party, owed.due_at),
                owed,
                "expired",
            ):
                told += 1
        elif _reminded_at(owed) <= now and _queue(
            contacts(owed.party),
            _before(owed.notification, owed.what, owed.due_at),
            owed,
            "before",
        ):
            reminded += 1
    return reminded, told


def reminders(now: datetime) -> list[str]:
    """The scheduler's job (``csbm.reminders``): the reminders of CSBM deadlines."""
    reminded, told = remind(now)
    done: list[str] = []
    if reminded:
        done.append(f"Reminded delegations of {reminded} CSBM deadlines falling due.")
    if told:
        done.append(f"Told the secretariat of {told} CSBM deadlines that passed unmet.")
    return done
