"""Deliveries of a notification to its recipients through pluggable transports.

``queue`` runs in the notification's transaction (``NotificationSent.deliver``, never on
replay) and writes one ``Dispatch`` per recipient and transport that reaches it: a refused
notification queues nothing, and a crash after commit loses nothing. The worker's rounds
(``send_due``, the scheduler's job ``csbm.deliveries``) send what is due after commit,
each dispatch claimed by compare-and-set so two workers never send it at once; sending is
at least once (a crash after sending and before marking sends it again, so a receiver
de-duplicates by the delivery id). A failure is retried with a doubling backoff and, after
``MAX_ATTEMPTS``, left ``dead`` for the operator with its ``last_error``
(``dead_letters``, ``retry``).

Three transports (``Transport``):

- ``inbox``: the web inbox reads the ``Delivery`` rows ``apply()`` writes, so a notification
  is delivered there when the log takes it; its dispatch is ``sent`` at once.
- ``email``: a link to the recipient delegation's accredited people, never the body
  (``accord.csbm.notices``).
- ``webhook``: a signed POST to the https address the recipient registered by its own
  statement (``csbm.webhook.registered``), with the notification's public entry and, when
  the recipient may read it, the sealed content's entry, salt and clear body, so its
  national system checks the commitment itself. The request is signed by the log's own
  Ed25519 key (docs/csbm-delivery.md says how to verify it); an address whose host resolves
  to anything but a global address is refused when sending.
"""

import base64
import http.client
import socket
import ssl
from datetime import datetime, timedelta
from ipaddress import IPv6Address, ip_address
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q

from accord.csbm import notices
from accord.csbm.models import Dispatch, Notification, Webhook
from accord.csbm.statements import may_read, webhook_fault
from accord.forum import queries as forum_queries
from accord.ledger import disclosure
from accord.ledger.envelope import format_time
from accord.ledger.hosted import log_signer
from accord.ledger.models import Entry, LogState
from accord.lib import canonical, clock

INBOX = "inbox"
EMAIL = "email"
WEBHOOK = "webhook"

MAX_ATTEMPTS = 6
"""Tries before a dispatch is left ``dead``; with ``BACKOFF`` doubling, about an hour."""
BACKOFF = timedelta(minutes=2)
"""The wait after the first failure; each later failure doubles it."""
CLAIM_TIMEOUT = timedelta(minutes=10)
"""A claim older than this is a worker that died mid-send; the next round sends again."""
WEBHOOK_TIMEOUT = timedelta(seconds=15)
"""How long a national system has to connect and answer one request."""
SIGNED_AS = b"accord-webhook/v1\n"
"""What a webhook signature's message starts with, so the log key's signature over a
delivery can never be taken for its signature over a checkpoint, a receipt or a refusal."""


class Undeliverable(Exception):  # noqa: N818 -- the domain's word, as the operator reads it
    """Why a transport could not deliver a dispatch now; a sentence for the operator."""


class Transport(Protocol):
    """One way a notification reaches a recipient.

    ``immediate`` transports are delivered when the log takes the notification (their
    dispatch is ``sent`` in its transaction); the others are sent after commit by
    ``send``, which returns once the recipient's end took it and raises on any failure.
    """

    name: str
    immediate: bool

    def reaches(self, notification: Notification) -> list[str]:
        """Which of the notification's recipients this transport delivers to."""

    def send(self, dispatch: Dispatch) -> None:
        """Deliver one dispatch; raise (``Undeliverable`` or any error) when it did not go."""


# -- the web inbox -------------------------------------------------------------------------------


class InboxTransport:
    """The web inbox: the ``Delivery`` row is the delivery, written with the notification."""

    name = INBOX
    immediate = True

    def reaches(self, notification: Notification) -> list[str]:
        return list(notification.recipients)

    def send(self, dispatch: Dispatch) -> None:
        """Nothing to send: the inbox page reads the log's own ``Delivery`` rows."""


# -- e-mail --------------------------------------------------------------------------------------


class EmailTransport:
    """A link by e-mail to each accredited person of the recipient's delegation; the body
    never (``notices.delivered``). One message an address; a retry after a partial failure
    writes again to the addresses that had it (at least once)."""

    name = EMAIL
    immediate = False

    def reaches(self, notification: Notification) -> list[str]:
        found = notices.reached(list(notification.recipients))
        return [code for code in notification.recipients if code in found]

    def send(self, dispatch: Dispatch) -> None:
        addresses = notices.contacts(dispatch.recipient)
        if not addresses:
            raise Undeliverable(
                f"{dispatch.recipient} has no accredited person with an e-mail address"
            )
        notification = Notification.objects.get(entry_index=dispatch.notification)
        message = notices.delivered(notification)
        for address in addresses:
            send_mail(message.subject, message.text, None, [address])


# -- the signed webhook --------------------------------------------------------------------------


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to now (tests replace this to reach their server)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in found})


def _private_allowed() -> bool:
    """Only a test setting lets a webhook reach a private or loopback address."""
    return bool(getattr(settings, "ACCORD_CSBM_WEBHOOK_PRIVATE_ADDRESSES", False))


def vetted_address(host: str, port: int) -> str:
    """The address to connect to: every address ``host`` resolves to must be global (no
    private, loopback, link-local or reserved one, nor an IPv4 one mapped into IPv6), so a
    name cannot point the host at its own network; the connection then goes to that very
    address, not to a second lookup."""
    try:
        addresses = resolve(host, port)
    except OSError as error:
        raise Undeliverable(f"{host} does not resolve: {error}") from error
    if not addresses:
        raise Undeliverable(f"{host} resolves to no address")
    if not _private_allowed():
        for text in addresses:
            address = ip_address(text.split("%", 1)[0])
            mapped = address.ipv4_mapped if isinstance(address, IPv6Address) else None
            if not address.is_global or (mapped is not None and not mapped.is_global):
                raise Undeliverable(
                    f"{host} resolves to {text}, a private, loopback or reserved address;"
                    " deliveries go only to public addresses"
                )
    return addresses[0]


def tls_context() -> ssl.SSLContext:
    """Certificate and host name always verified; ``ACCORD_CSBM_WEBHOOK_CA_FILE`` names the
    authorities to trust instead of the system's (a national PKI, or a test's own)."""
    cafile = getattr(settings, "ACCORD_CSBM_WEBHOOK_CA_FILE", None) or None
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class _PinnedConnection(http.client.HTTPSConnection):
    """HTTPS to a vetted address, the certificate checked against the host's name."""

    def __init__(self, host: str, port: int, address: str, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=WEBHOOK_TIMEOUT.total_seconds(), context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _entry(index: int) -> dict[str, Any]:
    """An entry as the log keeps it: its exact leaf bytes (base64) and what they say."""
    leaf = bytes(Entry.objects.values_list("leaf", flat=True).get(index=index))
    return {"index": index, "leaf": base64.b64encode(leaf).decode(), "entry": canonical.parse(leaf)}


def delivery_id(dispatch: Dispatch) -> str:
    """The same for every attempt at one delivery (a receiver de-duplicates by it), and for
    the same delivery on a rebuilt host, unlike a row id."""
    return f"{dispatch.notification}/{dispatch.recipient}"


def webhook_body(dispatch: Dispatch, timestamp: str) -> dict[str, Any]:
    """What a national system receives: the delivery's id and time, the notification's public
    entry, and the sealed content's entry, with its salt and clear body only when the
    recipient may read it (``statements.may_read``) and the copy matches its commitment."""
    notification = Notification.objects.get(entry_index=dispatch.notification)
    origin = LogState.objects.values_list("origin", flat=True).first() or ""
    secretariat = forum_queries.secretariat()
    content: dict[str, Any] | None = None
    if may_read(notification, dispatch.recipient, secretariat):
        content = _entry(notification.content)
        if notification.distribution == "restricted":
            copy = disclosure.copy_for(notification.content, dispatch.recipient)
            if not copy.matches:
                raise Undeliverable(
                    f"the body this host holds for entry {notification.content} does not match"
                    " its commitment; it is not sent"
                )
            content["salt"], content["body"] = copy.salt, copy.body
    return {
        "accord": "csbm.delivery/v1",
        "delivery": delivery_id(dispatch),
        "timestamp": timestamp,
        "origin": origin,
        "recipient": dispatch.recipient,
        "url": notices.link(notification.entry_index),
        "notification": _entry(notification.entry_index),
        "content": content,
    }


def signed_message(delivery: str, timestamp: str, body: bytes) -> bytes:
    """The bytes a webhook signature covers (docs/csbm-delivery.md)."""
    return SIGNED_AS + delivery.encode() + b"\n" + timestamp.encode() + b"\n" + body


def signed_request(dispatch: Dispatch) -> tuple[bytes, dict[str, str]]:
    """The canonical JSON body (RFC 8785) and the headers that sign it with the log's key."""
    timestamp = format_time(clock.now())
    body = canonical.dumps(webhook_body(dispatch, timestamp))
    delivery = delivery_id(dispatch)
    signer = log_signer()
    signature = signer.sign(signed_message(delivery, timestamp, body))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Accord",
        "Accord-Delivery": delivery,
        "Accord-Timestamp": timestamp,
        "Accord-Key": signer.vkey,
        "Accord-Signature": base64.b64encode(signature).decode(),
    }
    return body, headers


def webhook_url(party: str) -> str:
    """The address ``party`` registered last; Undeliverable when it stopped its webhook or
    never registered one."""
    found = Webhook.objects.filter(party=party).order_by("-entry_index").first()
    if found is None or not found.url:
        raise Undeliverable(f"{party} has no webhook registered now")
    return found.url


class WebhookTransport:
    """A signed POST to the recipient's own registered https address."""

    name = WEBHOOK
    immediate = False

    def reaches(self, notification: Notification) -> list[str]:
        registered = set(
            Webhook.objects.filter(party__in=notification.recipients)
            .exclude(url="")
            .values_list("party", flat=True)
        )
        return [code for code in notification.recipients if code in registered]

    def send(self, dispatch: Dispatch) -> None:
        url = webhook_url(dispatch.recipient)
        fault = webhook_fault(url)
        if fault is not None:
            raise Undeliverable(fault)
        parts = urlsplit(url)
        host, port = str(parts.hostname), parts.port or 443
        address = vetted_address(host, port)
        body, headers = signed_request(dispatch)
        connection = _PinnedConnection(host, port, address, tls_context())
        try:
            path = parts.path or "/"
            connection.request(
                "POST", f"{path}?{parts.query}" if parts.query else path, body, headers
            )
            response = connection.getresponse()
            response.read(65_536)
        except (OSError, http.client.HTTPException) as error:
            raise Undeliverable(f"{host} did not take the delivery: {error}") from error
        finally:
            connection.close()
        if not 200 <= response.status < 300:
            raise Undeliverable(f"{host} answered {response.status} {response.reason}")


TRANSPORTS: tuple[Transport, ...] = (InboxTransport(), EmailTransport(), WebhookTransport())


def transport(name: str) -> Transport:
    for found in TRANSPORTS:
        if found.name == name:
            return found
    raise LookupError(f"there is no transport {name!r}")


# -- the queue -----------------------------------------------------------------------------------


def queue(entry: int) -> None:
    """Queue the deliveries of notification ``entry``, in its transaction: one dispatch per
    recipient and transport that reaches it, the inbox's sent at once. Five queries."""
    notification = Notification.objects.get(entry_index=entry)
    now = clock.now()
    Dispatch.objects.bulk_create(
        Dispatch(
            notification=entry,
            recipient=code,
            transport=each.name,
            status="sent" if each.immediate else "pending",
            sent_at=now if each.immediate else None,
        )
        for each in TRANSPORTS
        for code in each.reaches(notification)
    )


def backoff(attempts: int) -> timedelta:
    """The wait after ``attempts`` failures: ``BACKOFF``, doubling."""
    factor: int = 2 ** max(attempts - 1, 0)
    return BACKOFF * factor


def _due(now: datetime, limit: int) -> list[Dispatch]:
    return list(
        Dispatch.objects.filter(status__in=("pending", "failed"))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .order_by("attempts", "pk")[:limit]
    )


def _failed(dispatch: Dispatch, error: Exception, now: datetime) -> str:
    attempts = dispatch.attempts + 1
    dead = attempts >= MAX_ATTEMPTS
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status="dead" if dead else "failed",
        attempts=F("attempts") + 1,
        claimed_at=None,
        next_attempt_at=None if dead else now + backoff(attempts),
        last_error=str(error)[:500] or type(error).__name__,
    )
    what = f"The {dispatch.transport} delivery of entry {dispatch.notification} to"
    if dead:
        return f"{what} {dispatch.recipient} is dead after {attempts} attempts: {error}"
    return f"{what} {dispatch.recipient} failed (attempt {attempts} of {MAX_ATTEMPTS}): {error}"


def send_due(now: datetime, limit: int = 100) -> list[str]:
    """The scheduler's job (``csbm.deliveries``): send up to ``limit`` due dispatches, the
    least tried first; one sentence for what went and one per failure. Each is claimed by a
    compare-and-set update before it is sent, and no lock is held while a mail server or a
    national system answers."""
    sent = 0
    done: list[str] = []
    for dispatch in _due(now, limit):
        claimed = Dispatch.objects.filter(
            pk=dispatch.pk, status=dispatch.status, claimed_at=dispatch.claimed_at
        ).update(claimed_at=now)
        if not claimed:
            continue  # another worker took it first
        try:
            transport(dispatch.transport).send(dispatch)
        except Exception as error:  # noqa: BLE001 -- recorded on its row; the others still go
            done.append(_failed(dispatch, error, now))
            continue
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status="sent", sent_at=clock.now(), claimed_at=None, attempts=F("attempts") + 1
        )
        sent += 1
    if sent:
        done.insert(0, f"Sent {sent} CSBM deliveries.")
    return done


# -- the operator's view -------------------------------------------------------------------------


def dead_letters() -> list[Dispatch]:
    """Dispatches left for the operator, oldest first, each with its ``last_error``."""
    return list(Dispatch.objects.filter(status="dead").order_by("created_at", "pk"))


def retry(dispatch_id: int) -> Dispatch:
    """Send a dead (or failing) dispatch again at the next round, with its attempts counted
    from zero; LookupError when there is no such dispatch, ValueError when it was sent."""
    found = Dispatch.objects.filter(pk=dispatch_id).first()
    if found is None:
        raise LookupError(f"there is no delivery {dispatch_id}")
    if found.status == "sent":
        raise ValueError(f"delivery {dispatch_id} was sent already; nothing to retry")
    Dispatch.objects.filter(pk=dispatch_id).update(
        status="pending", attempts=0, next_attempt_at=None, claimed_at=None
    )
    found.refresh_from_db()
    return found
