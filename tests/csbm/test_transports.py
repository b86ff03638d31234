"""Deliveries through the transports: one conformance suite every transport passes, then
what only the signed webhook does (its signature, the commitment a national system checks,
the addresses it refuses) and the operator's dead letters.

The world: AA notifies; BB is the recipient each transport reaches (its head has an e-mail
address; its national system is a local HTTPS server with a self-signed certificate the
test trusts through ``ACCORD_CSBM_WEBHOOK_CA_FILE``); DD is a party a bilateral message
does not go to, for "nothing restricted to a party not entitled".
"""

import base64
import http.server
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.db import transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.csbm import actions, transports
from accord.csbm.models import Delivery, Dispatch
from accord.ledger import schedule
from accord.ledger.models import LogState
from accord.ledger.restricted import commitment_of
from accord.lib import canonical, clock
from accord.tlog import note
from tests.csbm.world import AA_HEAD, BB_HEAD, DD_HEAD, CsbmWorld

HOST = "national.example.org"
RESTRICTED = ("Union Shield", "Training ranges north of the capital", "combined army group")


# -- the national system: a local HTTPS server -------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class NationalSystem:
    port: int
    received: list[Received] = field(default_factory=list)
    status: int = 200

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.port}/accord/deliveries"


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``HOST`` and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "national.pem", directory / "national.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def national(
    tmp_path: Path, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NationalSystem]:
    cert_file, key_file = _certificate(tmp_path)
    system = NationalSystem(0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            system.received.append(Received(self.path, dict(self.headers), self.rfile.read(length)))
            self.send_response(system.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    system.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ACCORD_CSBM_WEBHOOK_CA_FILE = str(cert_file)
    settings.ACCORD_CSBM_WEBHOOK_PRIVATE_ADDRESSES = True
    monkeypatch.setattr(transports, "resolve", lambda _host, _port: ["127.0.0.1"])
    try:
        yield system
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, _messages: Any) -> int:
        raise ConnectionRefusedError("the mail server refused the connection")


# -- each transport as the suite drives it -----------------------------------------------------


@dataclass
class Harness:
    """How the suite makes a transport reach BB, reads what it sent BB, and breaks it."""

    name: str
    csbm: CsbmWorld
    national: NationalSystem
    settings: SettingsWrapper

    def reach(self) -> None:
        if self.name == transports.WEBHOOK:
            self.csbm.act(lambda: actions.register_webhook(BB_HEAD, self.national.url))

    def sent(self) -> list[bytes]:
        """Everything this transport handed to BB's end, as bytes."""
        if self.name == transports.EMAIL:
            return [
                f"{m.subject}\n{m.body}".encode()
                for m in mail.outbox
                if isinstance(m, EmailMessage) and "bb.head@example.org" in m.to
            ]
        if self.name == transports.WEBHOOK:
            return [one.body for one in self.national.received]
        return [
            canonical.dumps([row.notification, row.recipient])
            for row in Delivery.objects.filter(recipient="BB")
        ]

    def break_it(self) -> None:
        if self.name == transports.EMAIL:
            self.settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
        self.national.status = 503


NAMES = (transports.INBOX, transports.EMAIL, transports.WEBHOOK)


@pytest.fixture(params=NAMES)
def harness(
    request: pytest.FixtureRequest,
    csbm: CsbmWorld,
    national: NationalSystem,
    settings: SettingsWrapper,
) -> Harness:
    found = Harness(request.param, csbm, national, settings)
    found.reach()
    return found


class UndoneError(Exception):
    """Raised to roll a transaction back."""


def a_round(csbm: CsbmWorld) -> list[str]:
    return csbm.act(lambda: transports.send_due(clock.now()))


def bb_dispatch(entry: int, name: str) -> Dispatch:
    return Dispatch.objects.get(notification=entry, recipient="BB", transport=name)


# -- the conformance suite ---------------------------------------------------------------------


def test_each_transport_satisfies_the_protocol() -> None:
    assert [each.name for each in transports.TRANSPORTS] == list(NAMES)
    for each in transports.TRANSPORTS:
        as_protocol: transports.Transport = each
        assert isinstance(as_protocol.name, str)
        assert isinstance(as_protocol.immediate, bool)
        assert callable(as_protocol.send)
        assert callable(as_protocol.reaches)


def test_it_is_queued_in_the_notifications_transaction(harness: Harness) -> None:
    csbm = harness.csbm
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    dispatch = bb_dispatch(entry, harness.name)
    assert dispatch.status == ("sent" if harness.name == transports.INBOX else "pending")
    assert dispatch.attempts == 0

    before = Dispatch.objects.count()
    inside: list[int] = []

    def undone() -> None:
        with transaction.atomic():
            csbm.notify(AA_HEAD, "general-communication", csbm.general())
            inside.append(Dispatch.objects.count())
            raise UndoneError

    with pytest.raises(UndoneError):
        undone()
    assert inside[0] > before
    assert Dispatch.objects.count() == before


def test_nothing_is_queued_when_the_notification_is_refused(harness: Harness) -> None:
    csbm = harness.csbm
    csbm.forum.refused(
        "start_in_past",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(starts_on=csbm.day(-1))
        ),
    )
    assert not Dispatch.objects.filter(transport=harness.name).exists()


def test_it_is_sent_once(harness: Harness) -> None:
    csbm = harness.csbm
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    a_round(csbm)
    a_round(csbm)
    csbm.later(24)
    a_round(csbm)
    assert len(harness.sent()) == 1
    dispatch = bb_dispatch(entry, harness.name)
    assert dispatch.status == "sent"
    assert dispatch.sent_at is not None
    assert dispatch.attempts == (0 if harness.name == transports.INBOX else 1)


def test_a_failure_is_retried_with_backoff_then_dead(harness: Harness) -> None:
    csbm = harness.csbm
    harness.break_it()
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    if harness.name == transports.INBOX:
        # The inbox cannot fail after the log took it: no round ever tries it again.
        a_round(csbm)
        csbm.later(24)
        a_round(csbm)
        inbox = bb_dispatch(entry, harness.name)
        assert (inbox.status, inbox.attempts, inbox.last_error) == ("sent", 0, "")
        return
    a_round(csbm)
    first = bb_dispatch(entry, harness.name)
    assert (first.status, first.attempts) == ("failed", 1)
    assert first.last_error
    assert first.next_attempt_at is not None
    a_round(csbm)  # before the backoff is over: not tried
    assert bb_dispatch(entry, harness.name).attempts == 1
    waits = []
    for attempt in range(2, transports.MAX_ATTEMPTS + 1):
        waiting = bb_dispatch(entry, harness.name)
        assert waiting.next_attempt_at is not None
        waits.append(waiting.next_attempt_at - clock_of(csbm))
        csbm.forum.ticking.moment = waiting.next_attempt_at
        a_round(csbm)
        assert bb_dispatch(entry, harness.name).attempts == attempt
    dead = bb_dispatch(entry, harness.name)
    assert dead.status == "dead"
    assert dead.next_attempt_at is None
    assert dead.last_error
    assert waits == sorted(waits)
    assert waits[-1] > waits[0]
    assert dead in transports.dead_letters()
    tried = transports.MAX_ATTEMPTS if harness.name == transports.WEBHOOK else 0
    assert len(harness.sent()) == tried  # each attempt reached the national system, refused


def clock_of(csbm: CsbmWorld) -> datetime:
    return csbm.forum.ticking.moment


def test_nothing_restricted_goes_to_a_party_not_entitled(harness: Harness) -> None:
    csbm = harness.csbm
    if harness.name == transports.WEBHOOK:
        csbm.act(lambda: actions.register_webhook(DD_HEAD, harness.national.url + "?dd"))
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident(["BB"]))
    prior = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    a_round(csbm)
    assert not Dispatch.objects.filter(notification=entry, recipient="DD").exists()
    everything = b"".join(harness.sent())
    if harness.name == transports.WEBHOOK:
        to_dd = [one.body for one in harness.national.received if one.path.endswith("?dd")]
        assert [canonical.loads(body)["delivery"] for body in to_dd] == [f"{prior}/DD"]
        assert b"near collision" not in b"".join(to_dd)
        stranger = Dispatch(notification=entry, recipient="DD", transport=transports.WEBHOOK)
        shown = csbm.act(lambda: canonical.dumps(transports.webhook_body(stranger, "t")))
        assert b"near collision" not in shown
        assert b"Radio" not in shown
        assert canonical.loads(shown)["content"] is None
    else:
        for text in (*RESTRICTED, "near collision"):
            assert text.encode() not in everything
        if harness.name == transports.EMAIL:
            assert f"/csbm/notifications/{prior}".encode() in everything


def incident(addressees: list[str]) -> dict[str, Any]:
    return {
        "addressees": addressees,
        "occurred_at": "2025-01-01T10:00:00Z",
        "location": "Sea",
        "description": "A near collision.",
        "point_of_contact": "Radio room duty officer",
    }


# -- the e-mail --------------------------------------------------------------------------------


def test_the_email_is_a_link_in_english_and_russian(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    a_round(csbm)
    to_bb = [m for m in mail.outbox if m.to == ["bb.head@example.org"]]
    assert len(to_bb) == 1
    text = to_bb[0].body
    assert (
        f"State A sent a prior notification of a military activity (entry {entry}); read it at"
        f" " in text
    )
    assert f"/csbm/notifications/{entry}" in text
    assert len(text.strip().split("\n\n")) in (1, 2)  # English, then Russian once translated
    for words in RESTRICTED:
        assert words not in text
        assert words not in to_bb[0].subject
    assert {m.to[0] for m in mail.outbox} == {"bb.head@example.org", "dd.head@example.org"}


# -- the webhook -------------------------------------------------------------------------------


def test_the_webhook_is_signed_by_the_log_key_and_carries_what_the_recipient_checks(
    csbm: CsbmWorld, national: NationalSystem
) -> None:
    csbm.act(lambda: actions.register_webhook(BB_HEAD, national.url))
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    a_round(csbm)
    [got] = national.received
    assert got.path == "/accord/deliveries"
    headers = {name.lower(): value for name, value in got.headers.items()}
    log_key = LogState.objects.get().log_vkey
    assert headers["accord-key"] == log_key
    assert headers["accord-delivery"] == f"{entry}/BB"
    message = transports.signed_message(
        headers["accord-delivery"], headers["accord-timestamp"], got.body
    )
    signature = base64.b64decode(headers["accord-signature"])
    assert note.Verifier(log_key).verify(message, signature)
    assert not note.Verifier(log_key).verify(message + b" ", signature)
    body = canonical.loads(got.body)
    assert canonical.dumps(body) == got.body  # canonical JSON, as signed
    assert body["delivery"] == f"{entry}/BB"
    assert body["timestamp"] == headers["accord-timestamp"]
    assert body["notification"]["index"] == entry
    content = body["content"]
    leaf = base64.b64decode(content["leaf"])
    assert canonical.parse(leaf) == content["entry"]
    commitment = content["entry"]["statement"]["body"]["commitment"]
    assert commitment_of(content["salt"], content["body"]) == commitment
    assert content["body"]["payload"]["designation"] == "Union Shield"
    assert b"Union Shield" not in leaf


def test_a_webhook_to_a_private_address_is_refused_when_sending(
    csbm: CsbmWorld,
    national: NationalSystem,
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.ACCORD_CSBM_WEBHOOK_PRIVATE_ADDRESSES = False
    csbm.act(lambda: actions.register_webhook(BB_HEAD, national.url))
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    done = a_round(csbm)
    dispatch = bb_dispatch(entry, transports.WEBHOOK)
    assert dispatch.status == "failed"
    assert "127.0.0.1, a private, loopback or reserved address" in dispatch.last_error
    assert any("failed (attempt 1" in line for line in done)
    assert national.received == []
    for address in ("10.0.0.7", "169.254.169.254", "::1", "::ffff:127.0.0.1", "240.0.0.1"):
        monkeypatch.setattr(transports, "resolve", lambda _host, _port, found=address: [found])
        with pytest.raises(transports.Undeliverable, match="private, loopback or reserved"):
            transports.vetted_address(HOST, 443)
    monkeypatch.setattr(transports, "resolve", lambda _host, _port: ["192.0.2.1", "8.8.8.8"])
    with pytest.raises(transports.Undeliverable):  # one bad address among good ones is enough
        transports.vetted_address(HOST, 443)
    monkeypatch.setattr(transports, "resolve", lambda _host, _port: ["8.8.8.8"])
    assert transports.vetted_address(HOST, 443) == "8.8.8.8"


def test_a_certificate_the_host_does_not_trust_fails_the_delivery(
    csbm: CsbmWorld, national: NationalSystem, settings: SettingsWrapper
) -> None:
    settings.ACCORD_CSBM_WEBHOOK_CA_FILE = None
    csbm.act(lambda: actions.register_webhook(BB_HEAD, national.url))
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    a_round(csbm)
    dispatch = bb_dispatch(entry, transports.WEBHOOK)
    assert dispatch.status == "failed"
    assert "CERTIFICATE_VERIFY_FAILED" in dispatch.last_error
    assert national.received == []


def test_a_stopped_webhook_is_not_written_to(csbm: CsbmWorld, national: NationalSystem) -> None:
    csbm.act(lambda: actions.register_webhook(BB_HEAD, national.url))
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    csbm.act(lambda: actions.register_webhook(BB_HEAD, ""))
    a_round(csbm)
    assert bb_dispatch(entry, transports.WEBHOOK).last_error == "BB has no webhook registered now"
    later = csbm.notify(AA_HEAD, "general-communication", csbm.general(subject="Again"))
    assert not Dispatch.objects.filter(notification=later, transport=transports.WEBHOOK).exists()
    assert national.received == []


# -- claims and the operator's view ------------------------------------------------------------


def test_a_claimed_dispatch_is_left_to_its_worker_until_the_claim_is_stale(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    now = clock_of(csbm)
    Dispatch.objects.filter(notification=entry, transport=transports.EMAIL).update(claimed_at=now)
    a_round(csbm)
    assert mail.outbox == []
    csbm.later(transports.CLAIM_TIMEOUT.total_seconds() / 3600 + 0.1)
    a_round(csbm)
    assert sorted(m.to[0] for m in mail.outbox) == ["bb.head@example.org", "dd.head@example.org"]


def test_the_operator_retries_a_dead_letter(csbm: CsbmWorld, settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    for _attempt in range(transports.MAX_ATTEMPTS):
        a_round(csbm)
        csbm.later(24)
    dead = bb_dispatch(entry, transports.EMAIL)
    assert dead.status == "dead"
    assert "refused the connection" in dead.last_error
    assert {d.recipient for d in transports.dead_letters()} == {"BB", "DD"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = transports.retry(dead.pk)
    assert (again.status, again.attempts) == ("pending", 0)
    a_round(csbm)
    assert bb_dispatch(entry, transports.EMAIL).status == "sent"
    assert [m.to for m in mail.outbox] == [["bb.head@example.org"]]
    with pytest.raises(ValueError, match="sent already"):
        transports.retry(dead.pk)
    with pytest.raises(LookupError):
        transports.retry(10**9)


def test_the_worker_runs_the_deliveries_and_the_reminders() -> None:
    names = [name for name, _job in schedule.JOBS]
    assert names.index("csbm.deadlines") < names.index("csbm.deliveries")
    assert "csbm.reminders" in names
