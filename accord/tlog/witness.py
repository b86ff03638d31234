"""The rules of a C2SP tlog-witness (c2sp.org/tlog-witness): ``add-checkpoint``.

A log asks a witness to cosign a new checkpoint, sending the size of the
checkpoint the witness last cosigned, a consistency proof from it, and the
log-signed checkpoint::

    old <size>\\n
    <base64 hash>\\n            (0 to 63 lines)
    \\n
    <signed checkpoint note>

``add_checkpoint`` decides the answer as the spec's status codes: 200 with
the cosignature line; 400 for a malformed request or an old size beyond the
checkpoint; 403 when no trusted log key signed (or one failed); 404 for an
unknown origin; 409 with the stored size when ``old`` is not what the witness
last cosigned, or the same size arrives with another root; 422 for a proof
that does not verify, a proof sent with ``old 0``, or a size-0 checkpoint whose
root is not SHA-256 of nothing.

The stored state lives behind ``WitnessStore``, whose ``compare_and_swap`` must
be atomic, or two concurrent requests can roll the witness back (the race the
spec spells out). The store keeps the whole log-signed checkpoint, not only
its size and root, so a witness can later prove to others what the log signed.
The HTTP server is not here; this module has no clock and no I/O.
"""

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from accord.tlog import note
from accord.tlog._encoding import b64encode, check_size, decimal, hash32
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.errors import FormatError, ProofError, SignatureError
from accord.tlog.merkle import EMPTY_ROOT, verify_consistency

MAX_PROOF_LINES = 63
MAX_REQUEST_BYTES = note.MAX_NOTE_BYTES + 64 * 64
"""A request is a note plus at most 63 proof lines and the old size line."""
SIZE_CONTENT_TYPE = "text/x.tlog.size"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class AddCheckpointRequest:
    """The body of ``POST <prefix>/add-checkpoint``."""

    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: str
    """The log-signed checkpoint note, verbatim."""

    @classmethod
    def parse(cls, body: str | bytes) -> "AddCheckpointRequest":
        """Parse a request body; FormatError names the first thing wrong."""
        check_size(body, MAX_REQUEST_BYTES, "request")
        if isinstance(body, bytes):
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"request: expected UTF-8, found an invalid byte at {exc.start}"
                ) from exc
        head, separator, checkpoint = body.partition("\n\n")
        if not separator:
            raise FormatError("request: expected an old size line, proof lines and a blank line")
        lines = head.split("\n")
        if not lines[0].startswith("old "):
            raise FormatError(f"request: expected 'old <size>' first, found {lines[0][:80]!r}")
        old_size = decimal(lines[0][4:], "request old size")
        if len(lines) - 1 > MAX_PROOF_LINES:
            raise FormatError(
                f"request: expected at most {MAX_PROOF_LINES} proof lines, found {len(lines) - 1}"
            )
        proof = tuple(
            hash32(line, f"request proof line {n}") for n, line in enumerate(lines[1:], 1)
        )
        note.split(checkpoint)
        return cls(old_size, proof, checkpoint)

    def format(self) -> str:
        lines = [f"old {self.old_size}", *(b64encode(h) for h in self.proof)]
        return "".join(line + "\n" for line in lines) + "\n" + self.checkpoint


@dataclass(frozen=True)
class WitnessedCheckpoint:
    """What a witness remembers of the last checkpoint it cosigned for a log."""

    size: int
    root: bytes
    note: str
    """The checkpoint as the log signed it: evidence if the log later forks."""


@runtime_checkable
class WitnessStore(Protocol):
    """Where a witness keeps, per origin, the last checkpoint it cosigned."""

    def latest(self, origin: str) -> WitnessedCheckpoint | None:
        """The last cosigned checkpoint for ``origin``, or None if there is none."""
        ...

    def compare_and_swap(
        self, origin: str, old_size: int, new: WitnessedCheckpoint
    ) -> WitnessedCheckpoint | None:
        """Atomically store ``new`` if the stored size (0 when none) is ``old_size``.

        Returns None when stored, or the record that stands in the way.
        """
        ...


class MemoryWitnessStore:
    """A WitnessStore in memory, atomic under a lock; for tests and short-lived witnesses."""

    def __init__(self) -> None:
        self._records: dict[str, WitnessedCheckpoint] = {}
        self._lock = threading.Lock()

    def latest(self, origin: str) -> WitnessedCheckpoint | None:
        with self._lock:
            return self._records.get(origin)

    def compare_and_swap(
        self, origin: str, old_size: int, new: WitnessedCheckpoint
    ) -> WitnessedCheckpoint | None:
        with self._lock:
            current = self._records.get(origin)
            if (current.size if current else 0) != old_size:
                return current
            self._records[origin] = new
            return None


@dataclass(frozen=True)
class WitnessResponse:
    """An HTTP answer: status code, body and content type."""

    status: int
    body: str
    content_type: str = TEXT_CONTENT_TYPE


def _conflict(stored_size: int) -> WitnessResponse:
    return WitnessResponse(409, f"{stored_size}\n", SIZE_CONTENT_TYPE)


class CheckpointCosigner(Protocol):
    """A witness key that cosigns a checkpoint: Ed25519 ``Cosigner`` or ML-DSA-44
    ``MLDSACosigner``."""

    name: str

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """The signature line (with its final newline)."""


def add_checkpoint(  # noqa: PLR0911 -- one return per status the spec defines
    body: str | bytes,
    *,
    cosigner: CheckpointCosigner | Sequence[CheckpointCosigner],
    logs: Mapping[str, Sequence[note.NoteVerifier]],
    store: WitnessStore,
    timestamp: int,
) -> WitnessResponse:
    """Answer one add-checkpoint request as the spec requires.

    ``logs`` maps each origin the witness serves to the log keys it trusts;
    ``timestamp`` (POSIX seconds) goes into the cosignature. A witness with
    several keys (Ed25519 and ML-DSA-44) answers one line per key, in the order
    given. Costs one signature check per trusted key line, one consistency
    proof check and one signature per key.
    """
    try:
        request = AddCheckpointRequest.parse(body)
        origin = request.checkpoint.partition("\n")[0]
        if origin not in logs:
            return WitnessResponse(404, f"unknown log origin {origin!r}\n")
        opened = note.open(request.checkpoint, logs[origin])
        checkpoint = Checkpoint.parse(opened.text)
    except SignatureError as exc:
        return WitnessResponse(403, f"{exc}\n")
    except FormatError as exc:
        return WitnessResponse(400, f"{exc}\n")
    if request.old_size > checkpoint.size:
        return WitnessResponse(
            400, f"old size {request.old_size} is beyond the checkpoint size {checkpoint.size}\n"
        )
    refusal = _check_proof(request, checkpoint, store.latest(origin))
    if refusal:
        return refusal
    record = WitnessedCheckpoint(checkpoint.size, checkpoint.root, request.checkpoint)
    standing = store.compare_and_swap(origin, request.old_size, record)
    if standing is not None:
        return _conflict(standing.size)
    cosigners = cosigner if isinstance(cosigner, Sequence) else [cosigner]
    lines = "".join(one.cosign(opened.text, timestamp) for one in cosigners)
    return WitnessResponse(200, lines)


def _check_proof(  # noqa: PLR0911 -- one return per refusal the spec defines
    request: AddCheckpointRequest, checkpoint: Checkpoint, stored: WitnessedCheckpoint | None
) -> WitnessResponse | None:
    stored_size, stored_root = (stored.size, stored.root) if stored else (0, EMPTY_ROOT)
    if checkpoint.size == 0 and checkpoint.root != EMPTY_ROOT:
        return WitnessResponse(422, "a checkpoint of size 0 must have the empty tree's root\n")
    if request.old_size == 0 and request.proof:
        return WitnessResponse(422, "a request from old size 0 must carry no proof\n")
    if request.old_size != stored_size:
        return _conflict(stored_size)
    if request.old_size == checkpoint.size:
        if checkpoint.root != stored_root:
            return _conflict(stored_size)
        if request.proof:
            return WitnessResponse(422, "a request for the same size must carry no proof\n")
        return None
    if request.old_size == 0:
        return None
    try:
        verify_consistency(
            request.old_size, checkpoint.size, request.proof, stored_root, checkpoint.root
        )
    except ProofError as exc:
        return WitnessResponse(422, f"{exc}\n")
    return None
