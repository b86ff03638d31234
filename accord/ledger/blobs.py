"""Large bodies kept beside the log, by their SHA-256 (DESIGN.md §3).

A statement whose entry would pass 65,535 bytes carries ``{"blob": "sha256:<hex>",
"size": N}`` as its body, which its signature covers; the body's canonical
bytes are written here, fsynced, and only then is the entry committed, so an
entry never refers to a blob that a crash could lose. A blob written for a
statement that is then refused is harmless: nothing refers to it. Writing one
costs a file write and two fsyncs; checking one against its reference, one SHA-256.
"""

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings

from accord.ledger.errors import Malformed
from accord.ledger.models import Blob
from accord.lib import canonical

_REFERENCE = re.compile(r"sha256:([0-9a-f]{64})")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""2 MiB: a whole revision's text or a year's exchange of military information fits many
times over, and every blob is kept for ever, served publicly and fetched by every verifier."""


def root() -> Path:
    return Path(getattr(settings, "ACCORD_BLOB_DIR", Path(settings.VAR_DIR) / "blobs"))


def path_of(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def reference(data: bytes) -> dict[str, object]:
    """The body that stands in the log for ``data``."""
    return {"blob": f"sha256:{hashlib.sha256(data).hexdigest()}", "size": len(data)}


def parse_reference(body: dict[str, object]) -> tuple[str, int] | None:
    """(hex digest, size) if ``body`` is exactly a blob reference, else None."""
    if set(body) != {"blob", "size"}:
        return None
    found = isinstance(body["blob"], str) and _REFERENCE.fullmatch(body["blob"])
    size = body["size"]
    if not found or not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    return found[1], size


def write(data: bytes) -> str:
    """Store ``data`` durably; returns its hex SHA-256. Idempotent."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return digest


def read(sha256: str) -> bytes:
    """The blob's bytes, checked against its name; LookupError if missing or altered."""
    target = path_of(sha256)
    if not target.exists():
        raise LookupError(f"blob {sha256} is missing")
    data = target.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise LookupError(f"blob {sha256} does not match its hash: the file was altered")
    return data


def max_bytes() -> int:
    """The largest blob (or restricted body) a submission may carry: ``ACCORD_MAX_BLOB_BYTES``."""
    return int(getattr(settings, "ACCORD_MAX_BLOB_BYTES", DEFAULT_MAX_BYTES))


def unpack(body: dict[str, Any], blob: bytes | None) -> dict[str, Any]:
    """The body a statement signs: itself, or the blob it refers to, checked and parsed."""
    found = parse_reference(body)
    if found is None:
        return body
    digest, size = found
    if blob is None:
        raise Malformed("the body is a blob reference but no blob was sent", "blob_missing")
    if hashlib.sha256(blob).hexdigest() != digest or len(blob) != size:
        raise Malformed(
            "the blob sent does not match the hash and size the statement signs", "blob_mismatch"
        )
    try:
        value = canonical.parse(blob)
    except canonical.CanonicalError as exc:
        raise Malformed(f"the blob is not a canonical JSON body: {exc}", "non_canonical") from None
    if not isinstance(value, dict):
        raise Malformed("the blob must hold a JSON object", "bad_body")
    return value


def keep(data: bytes) -> None:
    """Write ``data`` durably and record it, so ``/log/blob/`` serves it. Idempotent."""
    digest = write(data)
    Blob.objects.get_or_create(sha256=digest, defaults={"size": len(data)})
