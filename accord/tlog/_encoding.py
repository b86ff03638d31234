"""Strict decoding shared by the C2SP parsers.

C2SP formats use standard, padded base64 (RFC 4648 §4) and ASCII decimals
without leading zeros. Python's decoders are lenient (they accept ``+07``,
``٣`` and non-canonical base64), so each format goes through these instead.
"""

import base64
import binascii
import re

from accord.tlog.errors import FormatError

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")

MAX_UINT63 = 2**63 - 1
"""Largest size, index or timestamp any C2SP format admits (Go's int64)."""


def check_size(text: str | bytes, limit: int, what: str) -> None:
    """Refuse input larger than ``limit`` before spending any work on it."""
    if len(text) > limit:
        raise FormatError(f"{what}: expected at most {limit} bytes, found {len(text)}")


def b64decode(text: str, what: str) -> bytes:
    """Decode canonical standard base64, or raise FormatError naming ``what``."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise FormatError(f"{what}: expected standard base64, found {text[:80]!r}") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise FormatError(f"{what}: expected canonical base64, found {text[:80]!r}")
    return raw


def b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def decimal(text: str, what: str, maximum: int = MAX_UINT63) -> int:
    """Parse an ASCII decimal with no sign and no leading zeros (``0`` itself is allowed)."""
    if not text or not text.isascii() or not text.isdigit():
        raise FormatError(f"{what}: expected an ASCII decimal, found {text[:80]!r}")
    if len(text) > 1 and text[0] == "0":
        raise FormatError(f"{what}: expected no leading zeros, found {text[:80]!r}")
    if len(text) > len(str(maximum)) or int(text) > maximum:
        raise FormatError(f"{what}: expected at most {maximum}, found {text[:80]!r}")
    return int(text)


def hash32(text: str, what: str) -> bytes:
    """Decode one base64 SHA-256 hash."""
    raw = b64decode(text, what)
    if len(raw) != 32:
        raise FormatError(f"{what}: expected a 32-byte hash, found {len(raw)} bytes")
    return raw


def check_text(text: str, what: str) -> None:
    """Reject control characters other than newline, and text that is not valid UTF-8."""
    found = _CONTROL.search(text)
    if found:
        raise FormatError(f"{what}: control character U+{ord(found[0]):04X} is not allowed")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FormatError(f"{what}: expected valid UTF-8 text ({exc.reason})") from exc
