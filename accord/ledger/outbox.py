"""Deliveries decided inside a transaction, sent after commit by the worker (DESIGN.md §2).

A row is written in the same transaction as the act that decides it, so a crash
between commit and sending loses nothing: the next round sends it. Sending is at
least once (a crash after sending and before marking sends it again). Secrets in
a payload (a sign-in link) are blanked once the message has gone.
"""

from collections.abc import Callable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accord.ledger.models import OutboxMessage

EMAIL = "email"


def _email(payload: dict[str, Any]) -> None:
    send_mail(payload["subject"], payload["body"], None, [payload["to"]])


CHANNELS: dict[str, Callable[[dict[str, Any]], None]] = {EMAIL: _email}


def queue_email(to: str, subject: str, body: str, *, entry_index: int | None = None) -> None:
    """Queue an e-mail inside the caller's transaction."""
    OutboxMessage.objects.create(
        entry_index=entry_index,
        channel=EMAIL,
        payload={"to": to, "subject": subject, "body": body},
    )


def deliver(limit: int = 100) -> int:
    """Send up to ``limit`` pending messages, oldest first; returns how many went.

    One query to find them, then one send and one update each. A message whose
    sending fails stays pending and is tried again next round; the error goes up
    only after the others have been tried.
    """
    pending = list(OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk")[:limit])
    sent, failure = 0, None
    for message in pending:
        try:
            CHANNELS[message.channel](message.payload)
        except Exception as exc:  # noqa: BLE001 -- reported after the rest are tried
            failure = failure or exc
            continue
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message.pk).update(
                sent_at=timezone.now(), payload={"to": message.payload.get("to", ""), "sent": True}
            )
        sent += 1
    if failure is not None:
        raise failure
    return sent
