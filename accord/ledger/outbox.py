"""Deliveries decided inside a transaction, sent after commit by the worker (DESIGN.md §2).

A row is written in the same transaction as the act that decides it, so a crash
between commit and sending loses nothing: the next round sends it. Sending is at
least once (a crash after sending and before marking sends it again). A secret in
a payload (a sign-in link) is held in the row until the message has gone, then
blanked.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

from accord.ledger.models import OutboxMessage

EMAIL = "email"


def _email(payload: dict[str, Any]) -> None:
    send_mail(payload["subject"], payload["body"], None, [payload["to"]])


CHANNELS: dict[str, Callable[[dict[str, Any]], None]] = {EMAIL: _email}


def queue_email(
    to: str, subject: str, body: str, *, entry_index: int | None = None, about: str = ""
) -> None:
    """Queue an e-mail inside the caller's transaction. ``about`` names what the message is
    for (a reminder of one deadline), kept after it is sent so it is never queued twice."""
    payload = {"to": to, "subject": subject, "body": body}
    OutboxMessage.objects.create(
        entry_index=entry_index,
        channel=EMAIL,
        payload={**payload, "about": about} if about else payload,
    )


def queued_about(about: str) -> bool:
    """Whether a message about ``about`` was ever queued (sent or not); one query."""
    return OutboxMessage.objects.filter(payload__about=about).exists()


MAX_ATTEMPTS = 5
"""After this many failures a message is left for the operator (``last_error`` says why)."""
CLAIM_TIMEOUT = timedelta(minutes=10)
"""A claim older than this is a worker that died mid-send; the message is sent again."""


def deliver(limit: int = 100) -> int:
    """Send up to ``limit`` pending messages, the least tried first; returns how many went.

    Each message is claimed with a compare-and-set update before it is sent, so
    `accord tick` and the worker in `accord serve` never send one twice at once,
    and no lock is held while the mail server answers. A failure is counted and
    recorded on its row; the first failure is raised after the others are tried.
    """
    now = timezone.now()
    pending = (
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .order_by("attempts", "pk")[:limit]
    )
    sent, failure = 0, None
    for message in list(pending):
        rows = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True)
        if not rows.filter(claimed_at=message.claimed_at).update(claimed_at=timezone.now()):
            continue  # another worker claimed it first
        try:
            CHANNELS[message.channel](message.payload)
        except Exception as exc:  # noqa: BLE001 -- recorded, and raised after the rest
            rows.update(claimed_at=None, attempts=F("attempts") + 1, last_error=str(exc)[:500])
            failure = failure or exc
            continue
        rows.update(
            sent_at=timezone.now(),
            claimed_at=None,
            payload={
                "to": message.payload.get("to", ""),
                "sent": True,
                **({"about": message.payload["about"]} if "about" in message.payload else {}),
            },
        )
        sent += 1
    if failure is not None:
        raise failure
    return sent
