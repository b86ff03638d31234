"""Offline inclusion receipts (c2sp.org/tlog-proof)::

    c2sp.org/tlog-proof@v1
    [extra <base64 opaque data>]
    index <decimal>
    <base64 hash>            (the audit path, leaf to root)
    <blank line>
    <signed checkpoint, verbatim, with any cosignatures>

A party keeps one as proof that its statement was logged; anyone holding the
log's key (and, through a policy, the witnesses' keys) checks it without
contacting the log. The extra data is not authenticated and is never trusted.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from accord.tlog import note
from accord.tlog._encoding import b64decode, b64encode, check_size, decimal, hash32
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from accord.tlog.errors import FormatError
from accord.tlog.merkle import verify_inclusion

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PROOF_HASHES = 63
"""An audit path in a tree of at most 2^63 leaves has at most 63 hashes."""
MAX_RECEIPT_BYTES = note.MAX_NOTE_BYTES + 64 * 64 + 1024
"""A note, at most 63 hash lines, and room for the header, index and extra lines."""


@dataclass(frozen=True)
class Receipt:
    """An entry's index, its audit path and the checkpoint the path leads to."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None

    def __post_init__(self) -> None:
        if self.extra == b"":
            raise FormatError("receipt extra: expected None or non-empty data, found b''")
        if len(self.proof) > MAX_PROOF_HASHES:
            raise FormatError(
                f"receipt: expected at most {MAX_PROOF_HASHES} hashes, found {len(self.proof)}"
            )

    @classmethod
    def parse(cls, text: str) -> "Receipt":
        check_size(text, MAX_RECEIPT_BYTES, "receipt")
        head, separator, checkpoint = text.partition("\n\n")
        if not separator:
            raise FormatError("receipt: expected a blank line before the checkpoint")
        lines = head.split("\n")
        if lines[0] != HEADER:
            raise FormatError(f"receipt: expected {HEADER!r} first, found {lines[0][:80]!r}")
        extra = None
        position = 1
        if len(lines) > 1 and lines[1].startswith("extra "):
            extra = b64decode(lines[1][6:], "receipt extra")
            position = 2
        if len(lines) <= position or not lines[position].startswith("index "):
            raise FormatError("receipt: expected an 'index <decimal>' line")
        index = decimal(lines[position][6:], "receipt index")
        proof = tuple(
            hash32(line, f"receipt hash {n}") for n, line in enumerate(lines[position + 1 :])
        )
        note.split(checkpoint)
        return cls(index, proof, checkpoint, extra)

    def format(self) -> str:
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {b64encode(self.extra)}")
        lines.append(f"index {self.index}")
        lines.extend(b64encode(h) for h in self.proof)
        return "".join(line + "\n" for line in lines) + "\n" + self.checkpoint

    def verify(
        self,
        leaf_hash: bytes,
        verifiers: Sequence[note.NoteVerifier],
        origin: str | None = None,
    ) -> Checkpoint:
        """Check the checkpoint's signatures and the leaf's inclusion; returns the checkpoint.

        Raises SignatureError, FormatError or ProofError. Costs one signature
        check per known key and one hash per proof element.
        """
        checkpoint, _ = open_checkpoint(self.checkpoint, verifiers, origin)
        verify_inclusion(leaf_hash, self.index, checkpoint.size, self.proof, checkpoint.root)
        return checkpoint
