"""``accord verify-proof``: check a downloaded ``entry-N.tlog-proof`` offline. No Django.

A receipt (c2sp.org/tlog-proof) holds an entry's index, its audit path and the
signed checkpoint the path leads to, but not the entry itself: the entry comes
beside it, as the JSON ``/log/entry/N`` serves (or the raw leaf bytes). The check:

1. the checkpoint's signature, against ``--log-key`` or the key ``accord verify``
   remembered for the checkpoint's origin on this machine;
2. the entry's leaf hash (RFC 9162, computed here from the entry, never taken
   from the file) up the audit path to the checkpoint's root;
3. the party's signature on the statement, with the key the entry names.

Nothing is fetched and nothing is remembered. Costs two signature checks and
one hash per audit-path element.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.client import OutOpt, written_to
from accord.ledger.envelope import Entry, EnvelopeError
from accord.ledger.memory import Memory, StateDamaged
from accord.ledger.verify import state_folder
from accord.lib import canonical
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.merkle import leaf_hash
from accord.tlog.proof import Receipt


class ProofRefused(Exception):  # noqa: N818 -- what the auditor is told
    """The receipt does not prove what it claims; the message says which part failed."""


@dataclass(frozen=True)
class ProvenEntry:
    """What a receipt proved: which entry, in which log, under which key."""

    index: int
    origin: str
    size: int
    log_key: str
    key_source: str
    entry: Entry


def read_receipt(path: Path) -> Receipt:
    try:
        return Receipt.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProofRefused(f"{path} cannot be read: {exc}") from None
    except TlogError as exc:
        raise ProofRefused(f"{path} is not a tlog-proof: {exc}") from None


def read_leaf(path: Path, index: int) -> bytes:
    """The entry's leaf bytes from ``/log/entry/N``'s JSON, or the file itself as the leaf."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProofRefused(f"{path} cannot be read: {exc}") from None
    try:
        document = json.loads(data)
    except ValueError:
        return data
    if not isinstance(document, dict) or "entry" not in document:
        return data
    if document.get("index") != index:
        raise ProofRefused(
            f"{path} is entry {document.get('index')}, but the receipt is for entry {index}"
        )
    try:
        return canonical.dumps(document["entry"])
    except canonical.CanonicalError as exc:
        raise ProofRefused(f"the entry in {path} is not acceptable JSON: {exc}") from None


def log_key_for(origin: str, given: str | None) -> tuple[str, str]:
    """The key to check the checkpoint with, and a few words on where it came from."""
    if given is not None:
        return given, "given with --log-key"
    try:
        seen = Memory(state_folder()).of_origin(origin)
    except StateDamaged as exc:
        raise ProofRefused(str(exc)) from None
    if seen is None:
        raise ProofRefused(
            f"this machine has no key for the log {origin}: pass --log-key, or run"
            " accord verify on the log once so that its key is remembered"
        )
    return seen.log_key, f"remembered from {seen.location}"


def check_receipt(receipt: Receipt, leaf: bytes, *, log_key: str | None) -> ProvenEntry:
    """Check the checkpoint's signature, the leaf's inclusion and the statement's signature."""
    try:
        origin = Checkpoint.parse(note.split(receipt.checkpoint)[0]).origin
    except TlogError as exc:
        raise ProofRefused(f"the receipt's checkpoint is malformed: {exc}") from None
    key, key_source = log_key_for(origin, log_key)
    try:
        verifier = note.Verifier(key)
    except TlogError as exc:
        raise ProofRefused(f"the log key is not a verifier key: {exc}") from None
    try:
        checkpoint = receipt.verify(leaf_hash(leaf), [verifier], origin)
    except TlogError as exc:
        raise ProofRefused(
            f"entry {receipt.index} is not proven in the log {origin} under the key {key}: {exc}"
        ) from None
    try:
        entry = Entry.from_bytes(leaf)
        entry.signed.verify()
    except EnvelopeError as exc:
        raise ProofRefused(f"entry {receipt.index} is logged, but {exc}") from None
    return ProvenEntry(receipt.index, origin, checkpoint.size, key, key_source, entry)


def verify_proof(
    proof: Annotated[Path, typer.Argument(help="The receipt, e.g. entry-6.tlog-proof.")],
    *,
    entry: Annotated[
        Path,
        typer.Option("--entry", help="The entry: /log/entry/N saved as JSON, or its leaf bytes."),
    ],
    log_key: Annotated[
        str | None,
        typer.Option("--log-key", help="The log's verifier key (default: the one remembered)."),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Check a downloaded entry-N.tlog-proof offline: checkpoint signature and inclusion."""
    with written_to(out):
        _verify_proof(proof, entry, log_key)


def _verify_proof(proof: Path, entry: Path, log_key: str | None) -> None:
    try:
        receipt = read_receipt(proof)
        proven = check_receipt(receipt, read_leaf(entry, receipt.index), log_key=log_key)
    except ProofRefused as exc:
        typer.echo(f"Not proven: {exc}.", err=True)
        raise typer.Exit(code=1) from None
    statement = proven.entry.signed.statement
    typer.echo(
        f"The checkpoint of {proven.size} entries of {proven.origin} is signed by the log key"
        f" {proven.log_key} ({proven.key_source})."
    )
    typer.echo(f"Entry {proven.index} is included in it: its audit path leads to the root.")
    typer.echo(
        f"The entry is {statement.kind} by {statement.actor} (seq {statement.seq}), logged at"
        f" {proven.entry.logged_at}, and {statement.actor}'s signature on it verifies."
    )
