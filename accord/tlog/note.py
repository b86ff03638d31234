"""Signed notes (c2sp.org/signed-note) with Ed25519 keys.

A note is UTF-8 text ending in a newline, a blank line, then one signature
line per signer: ``— <key name> <base64(key ID || signature)>``. Keys are
written as golang.org/x/mod/sumdb/note writes them, so keys made by Go tools
work here and the other way round:

- verifier key ``<name>+<8 hex key ID>+base64(0x01 || 32-byte public key)``
- signer key ``PRIVATE+KEY+<name>+<8 hex key ID>+base64(0x01 || 32-byte seed)``

with key ID = the first four bytes of SHA-256(name || 0x0A || 0x01 || public key).

``open`` follows the spec's verification rules: a signature counts only when
both its name and key ID match a configured key; a known key whose signature
fails rejects the whole note; at least one known key must have signed. Beyond
the spec, it refuses a second signature line from the same key (name and key
ID), since a note that carries two is at best a mistake, and it refuses more
than 100 signature lines, as Go's implementation does.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, cast, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from accord.tlog._encoding import b64decode, b64encode, check_size, check_text
from accord.tlog.errors import FormatError, NoteError, SignatureError, TlogError

ED25519 = 0x01
"""Signature type of an Ed25519 note signature."""

MAX_SIGNATURES = 100
"""Signature lines beyond this make a note malformed (as in golang.org/x/mod)."""

MAX_NOTE_BYTES = 1 << 20
"""A note larger than this is refused before it is parsed."""

SIGNATURE_PREFIX = "— "
_NAME = re.compile(r"[^\s+]+")


@runtime_checkable
class NoteVerifier(Protocol):
    """What ``open`` needs of a key: its name, its key ID and a verify method.

    ``verify`` receives the note text (the signed message) and the signature
    bytes after the 4-byte key ID.
    """

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


@runtime_checkable
class TimestampedVerifier(NoteVerifier, Protocol):
    """A verifier whose signatures carry a time, such as a witness cosignature."""

    def timestamp(self, signature: bytes) -> int: ...


class NoteSigner(Protocol):
    """What ``sign`` needs of a key."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, message: bytes) -> bytes: ...


def key_id(name: str, key: bytes) -> int:
    """The key ID of ``key`` (signature type byte followed by the public key)."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + key).digest()
    return int.from_bytes(digest[:4], "big")


def check_name(name: str) -> None:
    """A key name is non-empty, with no Unicode white space and no ``+``."""
    if not _NAME.fullmatch(name):
        raise FormatError(
            f"key name: expected a non-empty name without spaces or '+', found {name[:80]!r}"
        )


def format_vkey(name: str, key: bytes) -> str:
    """A verifier key string for a type byte followed by a public key."""
    return f"{name}+{key_id(name, key):08x}+{b64encode(key)}"


def parse_vkey(vkey: str, expected_type: int, key_size: int) -> tuple[str, int, bytes]:
    """Split a verifier key into (name, key ID, public key), checking its type and ID."""
    # base64 may itself contain '+', so only the first two '+' separate fields.
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise FormatError(f"verifier key: expected name+keyid+key, found {vkey[:80]!r}")
    name, id_hex, key_b64 = parts
    check_name(name)
    key = b64decode(key_b64, "verifier key")
    _check_type(key, expected_type, key_size, "verifier key")
    return name, _check_id(name, id_hex, key, "verifier key"), key[1:]


def parse_skey(skey: str, key_size: int = 32) -> tuple[str, int, bytes]:
    """Split an Ed25519 signer key into (name, key ID, 32-byte seed)."""
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise FormatError("signer key: expected PRIVATE+KEY+name+keyid+key")
    name, id_hex, key_b64 = parts[2:]
    check_name(name)
    key = b64decode(key_b64, "signer key")
    if len(key) != 1 + key_size or key[0] != ED25519:
        raise FormatError(
            f"signer key: expected type 0x01 and a {key_size}-byte Ed25519 seed,"
            f" found {len(key)} bytes of type 0x{key[:1].hex() or '??'}"
        )
    seed = key[1:]
    public = bytes([ED25519]) + _public_bytes(Ed25519PrivateKey.from_private_bytes(seed))
    return name, _check_id(name, id_hex, public, "signer key"), seed


def _check_type(key: bytes, kind: int, size: int, what: str) -> None:
    if len(key) != 1 + size or key[0] != kind:
        raise FormatError(
            f"{what}: expected signature type 0x{kind:02x} and a {size}-byte key,"
            f" found type 0x{key[:1].hex() or '??'} and {len(key) - 1} bytes"
        )


def _check_id(name: str, id_hex: str, key: bytes, what: str) -> int:
    if not re.fullmatch(r"[0-9a-f]{8}", id_hex):
        raise FormatError(f"{what}: expected an 8-digit lower-case hex key ID, found {id_hex!r}")
    expected = key_id(name, key)
    if int(id_hex, 16) != expected:
        raise FormatError(
            f"{what}: key ID {id_hex} does not match the key (expected {expected:08x})"
        )
    return expected


def _public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def format_skey(name: str, seed: bytes) -> str:
    """The signer key string for an Ed25519 ``seed`` (32 bytes)."""
    check_name(name)
    if len(seed) != 32:
        raise FormatError(f"seed: expected 32 bytes, found {len(seed)}")
    public = bytes([ED25519]) + _public_bytes(Ed25519PrivateKey.from_private_bytes(seed))
    return f"PRIVATE+KEY+{name}+{key_id(name, public):08x}+{b64encode(bytes([ED25519]) + seed)}"


def generate_key(name: str) -> tuple[str, str]:
    """A new Ed25519 key pair as (signer key, verifier key) strings."""
    skey = format_skey(name, Ed25519PrivateKey.generate().private_bytes_raw())
    return skey, Signer(skey).vkey


class Signer:
    """An Ed25519 note signer made from a signer key string."""

    def __init__(self, skey: str) -> None:
        self.name, self.key_id, seed = parse_skey(skey)
        self._private = Ed25519PrivateKey.from_private_bytes(seed)

    @property
    def vkey(self) -> str:
        """The verifier key that checks this signer's signatures."""
        return format_vkey(self.name, bytes([ED25519]) + _public_bytes(self._private))

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


class Verifier:
    """An Ed25519 note verifier made from a verifier key string."""

    def __init__(self, vkey: str) -> None:
        self.name, self.key_id, public = parse_vkey(vkey, ED25519, 32)
        self.vkey = vkey
        self._public = Ed25519PublicKey.from_public_bytes(public)

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        try:
            self._public.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signature:
    """One signature line: who signed (name, key ID) and the bytes after the key ID.

    ``timestamp`` is set for verified signatures from a TimestampedVerifier
    (witness cosignatures), else None.
    """

    name: str
    key_id: int
    signature: bytes
    timestamp: int | None = None

    def line(self) -> str:
        raw = self.key_id.to_bytes(4, "big") + self.signature
        return f"{SIGNATURE_PREFIX}{self.name} {b64encode(raw)}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures that verified, and those from unknown keys."""

    text: str
    signatures: tuple[Signature, ...]
    unverified: tuple[Signature, ...]


def _check_note_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text: expected text ending in a newline")
    try:
        check_text(text, "note text")
    except FormatError as exc:
        raise NoteError(str(exc)) from exc


def sign(text: str, *signers: NoteSigner) -> str:
    """The signed note of ``text`` with one signature line per signer, in order."""
    _check_note_text(text)
    if not signers:
        raise NoteError("signers: expected at least one signer, found none")
    seen = set()
    message = text.encode("utf-8")
    lines = []
    for signer in signers:
        if (signer.name, signer.key_id) in seen:
            raise NoteError(f"signers: {signer.name} ({signer.key_id:08x}) is given twice")
        seen.add((signer.name, signer.key_id))
        lines.append(Signature(signer.name, signer.key_id, signer.sign(message)).line())
    return text + "\n" + "".join(lines)


def open(note: str | bytes, verifiers: Sequence[NoteVerifier]) -> Note:  # noqa: A001
    """Parse ``note`` and verify its signatures against ``verifiers``.

    Raises NoteError when the note is malformed and SignatureError when a
    known key's signature fails or no known key signed. Costs one signature
    verification per line from a known key; lines from unknown keys are only
    decoded.
    """
    text, lines = _split(note)
    known = _index(verifiers)
    message = text.encode("utf-8")
    signatures: list[Signature] = []
    unverified: list[Signature] = []
    seen: set[tuple[str, int]] = set()
    for line in lines:
        name, identity, signature = _parse_signature_line(line)
        if (name, identity) in seen:
            raise NoteError(f"note: two signature lines from {name} ({identity:08x})")
        seen.add((name, identity))
        verifier = known.get((name, identity))
        if verifier is None:
            unverified.append(Signature(name, identity, signature))
            continue
        if not verifier.verify(message, signature):
            raise SignatureError(f"note: the signature of {name} ({identity:08x}) does not verify")
        signatures.append(Signature(name, identity, signature, _timestamp(verifier, signature)))
    if not signatures:
        names = ", ".join(sorted({v.name for v in verifiers})) or "none given"
        raise SignatureError(f"note: expected a signature from a known key ({names}), found none")
    return Note(text, tuple(signatures), tuple(unverified))


def _timestamp(verifier: NoteVerifier, signature: bytes) -> int | None:
    # A duck-typed check: isinstance() against a runtime Protocol costs more
    # than the rest of parsing a signature line.
    timestamp = getattr(verifier, "timestamp", None)
    return cast("TimestampedVerifier", verifier).timestamp(signature) if timestamp else None


def split(note: str | bytes) -> tuple[str, tuple[Signature, ...]]:
    """Parse a note without verifying it: its text and every signature line.

    For formats that carry a note verbatim (receipts, witness requests) and
    must reject a malformed one before anyone verifies it.
    """
    text, lines = _split(note)
    return text, tuple(Signature(*_parse_signature_line(line)) for line in lines)


def _split(note: str | bytes) -> tuple[str, list[str]]:
    try:
        check_size(note, MAX_NOTE_BYTES, "note")
    except FormatError as exc:
        raise NoteError(str(exc)) from exc
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError(f"note: expected UTF-8, found an invalid byte at {exc.start}") from exc
    _check_note_text(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("note: expected a blank line before the signatures, found none")
    text, block = note[: split + 1], note[split + 2 :]
    lines = block.split("\n")[:-1]
    if not lines:
        raise NoteError("note: expected at least one signature line after the blank line")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note: expected at most {MAX_SIGNATURES} signatures, found {len(lines)}")
    return text, lines


def _parse_signature_line(line: str) -> tuple[str, int, bytes]:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"signature line: expected '— name signature', found {line[:80]!r}")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    try:
        check_name(name)
        raw = b64decode(encoded, "signature")
    except FormatError as exc:
        raise NoteError(f"signature line: {exc}") from exc
    if len(raw) < 5:
        raise NoteError(
            f"signature line: expected a key ID and a signature, found {len(raw)} bytes"
        )
    return name, int.from_bytes(raw[:4], "big"), raw[4:]


def _index(verifiers: Sequence[NoteVerifier]) -> dict[tuple[str, int], NoteVerifier]:
    known: dict[tuple[str, int], NoteVerifier] = {}
    for verifier in verifiers:
        identity = (verifier.name, verifier.key_id)
        if identity in known:
            raise TlogError(
                f"verifiers: two keys named {verifier.name} with ID {verifier.key_id:08x}"
            )
        known[identity] = verifier
    return known
