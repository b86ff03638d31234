"""What pages, the API and the CLI call to exchange CSBM notifications; each act is one
transaction.

A notification is sealed and sent in one transaction: if the notification is refused (a
quota, a deadline, a recipient) its sealed content is not kept either. A party with its own
key signs the same two statements itself (``accord csbm notify … --url URL --key FILE``).
The scheduler's job (``conclude_due``) records, as the secretariat, every deadline that
passed unmet; each conclusion's ``check`` recomputes the deadline from the log.
"""

from datetime import datetime
from typing import Any

from django.db import transaction

from accord.csbm.formats import FORMATS
from accord.csbm.models import Case, Delivery, Missed, Notification
from accord.csbm.statements import payload_of, recipients_for
from accord.forum.actions import Actor
from accord.ledger.envelope import format_time
from accord.ledger.errors import Malformed, Rejected
from accord.ledger.submit import Accepted, submit_hosted


def _act(actor: Actor, kind: str, body: dict[str, Any], distribution: str = "public") -> Accepted:
    return submit_hosted(
        actor=actor.party, kind=kind, v=1, body=body, by=actor.person, distribution=distribution
    )


def envelope(
    fmt_name: str, actor: str, payload: dict[str, Any]
) -> tuple[int, list[str], dict[str, Any]]:
    """The schema version, recipients and public facts of a payload of ``fmt_name`` sent by
    ``actor``: what the public notification says (a party signing with its own key computes
    the same, ``accord csbm notify --key``)."""
    fmt = FORMATS.get(fmt_name)
    if fmt is None:
        raise Malformed(
            f"{fmt_name!r} is not a notification format ({', '.join(sorted(FORMATS))})",
            "unknown_format",
        )
    model = payload_of(fmt, payload)
    facts = fmt.facts_of(model)
    return fmt.v, recipients_for(fmt, actor, model, facts), facts


def seal(
    actor: Actor,
    *,
    format: str,  # noqa: A002 -- the body's field
    payload: dict[str, Any],
    distribution: str = "restricted",
) -> Accepted:
    """Seal a notification's content (restricted unless said otherwise)."""
    fmt = FORMATS.get(format)
    body = {"format": format, "schema_version": fmt.v if fmt else 1, "payload": payload}
    return _act(actor, "csbm.content.sealed", body, distribution)


def send(
    actor: Actor,
    *,
    format: str,  # noqa: A002 -- the body's field
    content: int,
    to: list[str],
    facts: dict[str, Any],
) -> Accepted:
    """Send the public notification of a sealed content."""
    fmt = FORMATS.get(format)
    body = {
        "format": format,
        "schema_version": fmt.v if fmt else 1,
        "content": content,
        "to": to,
        "facts": facts,
    }
    return _act(actor, "csbm.notification.sent", body)


def notify(
    actor: Actor,
    *,
    format: str,  # noqa: A002 -- the body's field
    payload: dict[str, Any],
    distribution: str = "restricted",
) -> list[Accepted]:
    """Seal and send a notification in one transaction; the second entry's index names the
    notification from then on."""
    _v, to, facts = envelope(format, actor.party, payload)
    with transaction.atomic():
        sealed = seal(actor, format=format, payload=payload, distribution=distribution)
        sent = send(actor, format=format, content=sealed.index, to=to, facts=facts)
    return [sealed, sent]


def acknowledge(actor: Actor, notification: int) -> Accepted:
    return _act(actor, "csbm.notification.acknowledged", {"notification": notification})


def close_case(actor: Actor, case: int, *, outcome: str, note: str = "") -> Accepted:
    return _act(actor, "csbm.case.closed", {"case": case, "outcome": outcome, "note": note})


def register_webhook(actor: Actor, url: str) -> Accepted:
    """Register (or, with an empty address, stop) the party's webhook; restricted."""
    return _act(actor, "csbm.webhook.registered", {"url": url}, "restricted")


def record_missed(actor: Actor, notification: int, *, party: str, what: str) -> Accepted:
    body = {"notification": notification, "party": party, "what": what}
    return _act(actor, "csbm.deadline.missed", body)


def conclude_due(now: datetime) -> list[str]:
    """The scheduler's job: record, as the secretariat, each acknowledgement and reply whose
    deadline passed unmet. Two queries to find them, one statement each."""
    from accord.forum import queries as forum_queries  # noqa: PLC0415 -- a round, not import time

    secretariat = forum_queries.secretariat()
    if secretariat is None:
        return []
    moment = format_time(now)
    done: list[str] = []
    owed: list[tuple[int, str, str]] = [
        (row.notification, row.recipient, "acknowledgement")
        for row in Delivery.objects.filter(
            ack_entry__isnull=True, overdue_entry__isnull=True, ack_due__lt=moment
        ).order_by("notification", "recipient")
    ]
    recorded = set(Missed.objects.filter(what="reply").values_list("notification", flat=True))
    owed += [
        (case.entry_index, case.counterpart, "reply")
        for case in Case.objects.filter(
            reply_entry__isnull=True, reply_due__lt=moment, state="reply_due"
        ).order_by("entry_index")
        if case.entry_index not in recorded
    ]
    for notification, party, what in owed:
        try:
            accepted = record_missed(Actor(secretariat), notification, party=party, what=what)
        except Rejected as refusal:
            done.append(
                f"The {what} of entry {notification} by {party} was not recorded: {refusal}"
            )
            continue
        done.append(
            f"Recorded that {party} missed the {what} of entry {notification}"
            f" (entry {accepted.index})."
        )
    return done


def notification(entry: int) -> Notification | None:
    return Notification.objects.filter(entry_index=entry).first()
