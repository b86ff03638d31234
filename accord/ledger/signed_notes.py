"""The notes the log signs besides checkpoints: receipts and refusals.

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

The checkpoints the log signs carry one extension line, ``signed_at <time>``,
so the time stored beside a checkpoint is the time the log signed.
"""

import base64
import binascii
from dataclasses import dataclass

from accord.tlog import note

RECEIPT = "accord-receipt/v1"
REFUSAL = "accord-refusal/v1"
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


def checkpoint_time(extensions: tuple[str, ...]) -> str | None:
    """The ``signed_at`` extension of a checkpoint the log signed; None on older checkpoints."""
    for line in extensions:
        if line.startswith(SIGNED_AT):
            return line[len(SIGNED_AT) :]
    return None


def sign(text: str, log: note.Signer) -> str:
    return note.sign(text, log)
