"""Checkpoints (c2sp.org/tlog-checkpoint): the text a log signs for its (size, root).

::

    <origin>\\n
    <tree size, ASCII decimal, no leading zeros>\\n
    <base64 of the 32-byte root hash>\\n
    [<extension line>\\n]*

The log must never sign two checkpoints for one origin that are not
consistent; witnesses cosign a checkpoint to say they saw no such split.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from accord.tlog import note
from accord.tlog._encoding import (
    MAX_UINT63,
    b64encode,
    check_size,
    check_text,
    decimal,
    hash32,
)
from accord.tlog.errors import FormatError
from accord.tlog.merkle import HASH_SIZE

MAX_CHECKPOINT_BYTES = 1 << 16
"""A checkpoint's text is three short lines and a few extensions; more is refused unread."""


@dataclass(frozen=True)
class Checkpoint:
    """A log's claim that its tree of ``size`` leaves has ``root``."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for line, what in [
            (self.origin, "origin"),
            *((e, "extension line") for e in self.extensions),
        ]:
            if not line or "\n" in line:
                raise FormatError(f"checkpoint {what}: expected one non-empty line, found {line!r}")
            check_text(line, f"checkpoint {what}")
        if not 0 <= self.size <= MAX_UINT63:
            raise FormatError(f"checkpoint size: expected 0..{MAX_UINT63}, found {self.size}")
        if len(self.root) != HASH_SIZE:
            raise FormatError(
                f"checkpoint root: expected {HASH_SIZE} bytes, found {len(self.root)}"
            )

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        """The checkpoint in a note's text (without the blank line and signatures)."""
        check_size(text, MAX_CHECKPOINT_BYTES, "checkpoint")
        if not text.endswith("\n"):
            raise FormatError("checkpoint: expected text ending in a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise FormatError(f"checkpoint: expected at least 3 lines, found {len(lines)}")
        origin, size, root, *extensions = lines
        return cls(
            origin,
            decimal(size, "checkpoint size"),
            hash32(root, "checkpoint root"),
            tuple(extensions),
        )

    def text(self) -> str:
        body = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in body)

    def sign(self, *signers: note.NoteSigner) -> str:
        """This checkpoint as a signed note."""
        return note.sign(self.text(), *signers)


def open_checkpoint(
    signed: str | bytes, verifiers: Sequence[note.NoteVerifier], origin: str | None = None
) -> tuple[Checkpoint, note.Note]:
    """Verify a signed checkpoint and parse it, checking its origin when one is given.

    The origin is checked against the expected one, not against the key's
    name: they may differ (sum.golang.org signs "go.sum database tree").
    """
    opened = note.open(signed, verifiers)
    checkpoint = Checkpoint.parse(opened.text)
    if origin is not None and checkpoint.origin != origin:
        raise FormatError(f"checkpoint origin: expected {origin!r}, found {checkpoint.origin!r}")
    return checkpoint, opened
