"""The notes the log signs besides checkpoints: receipts, refusals and state digests.

Both are C2SP signed notes under the log's key, so anyone can check them with
``accord.tlog.note`` (or Go's ``note.Open``) and the log's verifier key::

    accord-receipt/v1            accord-refusal/v1
    <origin>                     <origin>
    index <n>                    number <n>
    leaf <base64 leaf hash>      statement <hex SHA-256 of the submitted bytes>
    logged_at <time>             code <code>
                                 at <time>
                                 reason <sentence>

A receipt proves the log integrated a statement at an index and time; a
refusal proves the log turned a submission away, and why, so a host cannot
quietly sit on an objection until a deadline has passed. Refusals are
numbered consecutively from 1, so a party holding refusal *n* knows that
refusals 1 to *n* exist and an audit sees a gap or a duplicate; refusals
signed before numbering began have no ``number`` line and remain valid.

A state digest (``accord-state-digest/v1``) states the public digest of the
projections (``accord.ledger.digest``) after exactly the first ``size``
entries, whose tree has ``root``; a party's node replays the log to that size
and compares (docs/evidence.md, docs/transparency-log.md)::

    accord-state-digest/v1
    <origin>
    size <n>
    root <base64 root of the tree at that size>
    digest <hex SHA-256 public digest>
    signed_at <time>

Parsing needs no Django: a node opens the note with the log's verifier
(``accord.tlog.note.open``) and reads it with ``parse_state_digest``.

The checkpoints the log signs carry one extension line, ``signed_at <time>``,
so the time stored beside a checkpoint is the time the log signed.
"""

import base64
import binascii
import re
from dataclasses import dataclass

from accord.tlog import note
from accord.tlog.merkle import HASH_SIZE

RECEIPT = "accord-receipt/v1"
REFUSAL = "accord-refusal/v1"
STATE_DIGEST = "accord-state-digest/v1"
SIGNED_AT = "signed_at "


class NoteFormatError(ValueError):
    """A note's text is not a receipt or refusal as the log writes them."""


@dataclass(frozen=True)
class ReceiptText:
    origin: str
    index: int
    leaf_hash: bytes
    logged_at: str


@dataclass(frozen=True)
class RefusalText:
    origin: str
    number: int | None
    statement_hash: str
    code: str
    at: str
    reason: str


@dataclass(frozen=True)
class StateDigestText:
    origin: str
    size: int
    root: bytes
    digest: str
    """The hex SHA-256 public digest (``accord.ledger.digest.digest(full=False)``)."""
    signed_at: str


_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")


def receipt_text(origin: str, index: int, leaf_hash: bytes, logged_at: str) -> str:
    leaf = base64.b64encode(leaf_hash).decode()
    return f"{RECEIPT}\n{origin}\nindex {index}\nleaf {leaf}\nlogged_at {logged_at}\n"


def refusal_text(  # noqa: PLR0913 -- the note's fields, each one line
    origin: str, statement_hash: str, code: str, at: str, reason: str, *, number: int | None = None
) -> str:
    one_line = " ".join(reason.split())
    lines = [
        REFUSAL,
        origin,
        *([f"number {number}"] if number is not None else []),
        f"statement {statement_hash}",
        f"code {code}",
        f"at {at}",
        f"reason {one_line}",
    ]
    return "".join(line + "\n" for line in lines)


def state_digest_text(origin: str, size: int, root: bytes, digest: str, signed_at: str) -> str:
    """The text of a state digest note, to be signed with the log key."""
    encoded = base64.b64encode(root).decode()
    return (
        f"{STATE_DIGEST}\n{origin}\nsize {size}\nroot {encoded}\ndigest {digest}\n"
        f"signed_at {signed_at}\n"
    )


def _fields(text: str, header: str, names: list[str]) -> tuple[str, dict[str, str]]:
    lines = text.split("\n")
    if lines[-1:] != [""] or lines[0] != header or len(lines) != len(names) + 3:
        raise NoteFormatError(f"expected an {header} note with {', '.join(names)}")
    values = {}
    for name, line in zip(names, lines[2:-1], strict=True):
        prefix = f"{name} "
        if not line.startswith(prefix):
            raise NoteFormatError(f"expected a {name!r} line, found {line[:40]!r}")
        values[name] = line[len(prefix) :]
    return lines[1], values


def parse_receipt(text: str) -> ReceiptText:
    """The fields of a receipt note's text; NoteFormatError if it is not one."""
    origin, values = _fields(text, RECEIPT, ["index", "leaf", "logged_at"])
    try:
        return ReceiptText(
            origin, int(values["index"]), base64.b64decode(values["leaf"]), values["logged_at"]
        )
    except (ValueError, binascii.Error):
        raise NoteFormatError("the receipt's index or leaf hash is not well formed") from None


def parse_refusal(text: str) -> RefusalText:
    """The fields of a refusal note's text, numbered or not; NoteFormatError if it is not one."""
    numbered = "\nnumber " in text
    names = ["statement", "code", "at", "reason"]
    origin, values = _fields(text, REFUSAL, ["number", *names] if numbered else names)
    try:
        number = int(values["number"]) if numbered else None
    except ValueError:
        raise NoteFormatError("the refusal's number is not a number") from None
    return RefusalText(
        origin, number, values["statement"], values["code"], values["at"], values["reason"]
    )


def parse_state_digest(text: str) -> StateDigestText:
    """The fields of a state digest note's text; NoteFormatError naming what is malformed.

    ``text`` is the note's text (what ``accord.tlog.note.open`` returns as ``.text``);
    checking the signature is the caller's, with the log's verifier. Pure: no Django.
    """
    origin, values = _fields(text, STATE_DIGEST, ["size", "root", "digest", "signed_at"])
    if not _SIZE.fullmatch(values["size"]):
        raise NoteFormatError(
            f"the state digest's size is not a number of entries: {values['size'][:40]!r}"
        )
    try:
        root = base64.b64decode(values["root"], validate=True)
    except binascii.Error:
        root = b""
    if len(root) != HASH_SIZE:
        raise NoteFormatError("the state digest's root is not a base64 32-byte hash")
    if not _HEX_DIGEST.fullmatch(values["digest"]):
        raise NoteFormatError("the state digest's digest is not 64 lowercase hex digits")
    if not values["signed_at"]:
        raise NoteFormatError("the state digest's signed_at line gives no time")
    return StateDigestText(origin, int(values["size"]), root, values["digest"], values["signed_at"])


def checkpoint_time(extensions: tuple[str, ...]) -> str | None:
    """The ``signed_at`` extension of a checkpoint the log signed; None on older checkpoints."""
    for line in extensions:
        if line.startswith(SIGNED_AT):
            return line[len(SIGNED_AT) :]
    return None


def sign(text: str, log: note.Signer) -> str:
    return note.sign(text, log)
