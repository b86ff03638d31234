"""A submission as it arrives off the wire, parsed before any signature is checked.

The API and ``accord submit`` send a signed statement with, beside it, the blob
its body refers to or the salted body its commitment covers. What cannot be a
submission (not canonical JSON, unknown fields, oversized beside-the-log parts)
is refused here, with no database read: parsing costs one pass over the bytes.
"""

import base64
from dataclasses import dataclass
from typing import Any

from accord.ledger import blobs
from accord.ledger.envelope import EnvelopeError, SignedStatement
from accord.ledger.errors import Malformed
from accord.lib import canonical


@dataclass(frozen=True)
class Submission:
    """A signed statement and what it refers to beside the log."""

    signed: SignedStatement
    blob: bytes | None = None
    restricted_salt: str | None = None
    restricted_body: dict[str, Any] | None = None
    withheld: bool = False
    """A restricted statement replayed without its body: only the envelope is judged."""


def parse_submission(raw: bytes) -> Submission:
    """A submission as the API and ``accord submit`` send it::

        {"statement": {...}, "signature": "<base64>", "key": "<vkey>",
         "blob": "<base64 of the body's canonical bytes>",          (optional)
         "restricted": {"salt": "<base64>", "body": {...}}}          (optional)

    Floats, duplicate keys, text not in NFC and blobs or restricted bodies
    larger than ``blobs.max_bytes()`` are refused here, before any signature
    is checked, with the rule they break as the code.
    """
    try:
        value = canonical.loads(raw)
    except canonical.CanonicalError as exc:
        raise Malformed(f"the submission is not acceptable JSON: {exc}", exc.code) from None
    if not isinstance(value, dict) or not set(value) <= {
        "statement",
        "signature",
        "key",
        "blob",
        "restricted",
    }:
        raise Malformed(
            "expected an object with statement, signature, key and optionally blob, restricted"
        )
    try:
        signed = SignedStatement.from_json(value)
    except EnvelopeError as exc:
        raise Malformed(str(exc), exc.code) from None
    blob = None
    if "blob" in value:
        if not isinstance(value["blob"], str):
            raise Malformed("the blob must be base64 text", "blob_mismatch")
        try:
            blob = base64.b64decode(value["blob"], validate=True)
        except ValueError:
            raise Malformed("the blob must be base64", "blob_mismatch") from None
        _within_limit("blob", len(blob))
    restricted = value.get("restricted")
    if restricted is None:
        return Submission(signed, blob)
    if not isinstance(restricted, dict) or set(restricted) != {"salt", "body"}:
        raise Malformed('restricted must be {"salt": …, "body": {…}}', "restricted_missing")
    salt, body = restricted["salt"], restricted["body"]
    if not isinstance(salt, str) or not isinstance(body, dict):
        raise Malformed("restricted salt must be text and body an object", "restricted_missing")
    _within_limit("restricted body", len(canonical.dumps(body)))
    return Submission(signed, blob, salt, body)


def _within_limit(what: str, size: int) -> None:
    if size > blobs.max_bytes():
        raise Malformed(
            f"the {what} is {size} bytes; this log keeps at most {blobs.max_bytes()}",
            "too_large",
        )
