"""``accord audit``: the host's own storage checked against what the log signed, piece by piece.

In order, stopping at the first divergence and naming it: every entry against
its leaf hash and every column beside the leaf (``kind``, ``actor``, ``seq``,
``logged_at``) against the signed bytes; the log's state against entry 0 and
the last entry; stored tiles against the tree of the entries; every checkpoint's
signature, root and signed time, and their count; a receipt for every entry;
every refusal's columns against its signed note, and the refusals' numbers
against the log's count; every blob against its hash and against the entries
that refer to it; hosted keys against the keys the log records as hosted; and
the projections against a replay of the log. ``docs/ledger.md`` lists which
check covers each column.

Storage alone cannot show a cut tail (the last entries removed together with
everything that speaks of them): given what was *published* (checkpoints a
client saw, receipts parties hold), the audit refuses storage that is behind
them or disagrees with them.

Reads every entry once and verifies every note's signature; costs about one replay.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from accord.ledger import blobs, digest, signed_notes
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.envelope import EnvelopeError
from accord.ledger.hashes import fold
from accord.ledger.models import (
    Blob,
    Checkpoint,
    Entry,
    HostedKey,
    LogState,
    PartyKey,
    Receipt,
    Refusal,
    Tile,
)
from accord.ledger.replay import Divergence, column_mismatch, replay
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import Tree, leaf_hash
from accord.tlog.proof import HEADER as PROOF_HEADER
from accord.tlog.proof import Receipt as ProofReceipt
from accord.tlog.tiles import tiles_for_size

Progress = Callable[[str, int, int], None]


class AuditFailure(Exception):  # noqa: N818 -- what the operator is told
    """The first divergence the audit found."""


@dataclass(frozen=True)
class Published:
    """What left this database and is kept elsewhere, each piece named by where it came from.

    ``checkpoints``: signed checkpoint notes a client saw (``accord log checkpoint``'s output,
    ``/log/checkpoint``); ``receipts``: what parties hold for their statements, either the
    ``accord-receipt/v1`` note ``submit`` returned or a c2sp.org/tlog-proof from ``/log/receipt``.
    """

    checkpoints: Sequence[tuple[str, str]] = ()
    receipts: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Audited:
    entries: int
    tiles: int
    checkpoints: int
    receipts: int
    blobs: int
    public_digest: str
    refusals: int = 0
    published_checkpoints: int = 0
    published_receipts: int = 0
    stray_blobs: list[str] = field(default_factory=list)
    """Blob files on disk that no entry refers to and the log does not serve (a refused
    statement leaves its blob behind); named so an operator can remove them."""


@dataclass
class _Walk:
    """What one pass over the entries leaves for the later checks."""

    tree: Tree = field(default_factory=Tree)
    logged_at: list[str] = field(default_factory=list)
    blob_references: set[str] = field(default_factory=set)


def audit(progress: Progress | None = None, *, published: Published | None = None) -> Audited:
    """Run every check; raises AuditFailure naming the first divergence."""
    state = LogState.objects.filter(pk=1).first()
    if state is None:
        raise AuditFailure("this database holds no log")
    log = note.Verifier(state.log_vkey)
    walk = _entries(state, progress)
    _log_state(state, walk)
    tiles = _tiles(walk.tree)
    checkpoints = _checkpoints(state, log, walk)
    receipts = _receipts(state, log)
    refusals = _refusals(state, log)
    blob_count, stray = _blobs(walk.blob_references)
    _hosted_keys()
    seen = published or Published()
    for name, text in seen.checkpoints:
        _published_checkpoint(state, log, walk.tree, name, text)
    for name, text in seen.receipts:
        _published_receipt(state, log, walk.tree, name, text)
    public = _projections()
    return Audited(
        entries=state.size,
        tiles=tiles,
        checkpoints=checkpoints,
        receipts=receipts,
        blobs=blob_count,
        public_digest=public,
        refusals=refusals,
        published_checkpoints=len(seen.checkpoints),
        published_receipts=len(seen.receipts),
        stray_blobs=stray,
    )


def _entries(state: LogState, progress: Progress | None) -> _Walk:
    walk = _Walk()
    rows = Entry.objects.order_by("index")
    for row in rows.iterator(chunk_size=1000):
        index = walk.tree.size
        if row.index != index:
            raise AuditFailure(f"entry {index}: missing (the next stored entry is {row.index})")
        leaf = bytes(row.leaf)
        if leaf_hash(leaf) != bytes(row.leaf_hash):
            raise AuditFailure(f"entry {index}: its bytes do not match its stored leaf hash")
        try:
            entry = EntryBytes.from_bytes(leaf)
        except EnvelopeError as exc:
            raise AuditFailure(f"entry {index}: {exc}") from None
        mismatch = column_mismatch(row, entry)
        if mismatch:
            raise AuditFailure(f"entry {index}: {mismatch}")
        if walk.logged_at and entry.logged_at < walk.logged_at[-1]:
            raise AuditFailure(
                f"entry {index}: logged at {entry.logged_at}, before entry {index - 1};"
                " the log's time never goes backwards"
            )
        if index == 0:
            _founding(state, entry)
        reference = blobs.parse_reference(entry.signed.statement.body)
        if reference:
            walk.blob_references.add(reference[0])
        walk.tree.append_hash(bytes(row.leaf_hash))
        walk.logged_at.append(entry.logged_at)
        if progress:
            progress("entries", walk.tree.size, state.size)
    return walk


def _founding(state: LogState, entry: EntryBytes) -> None:
    body = entry.signed.statement.body
    founded = {
        "origin": body.get("origin"),
        "log_vkey": body.get("log_key"),
        "secretariat": body.get("secretariat"),
    }
    stored = {"origin": state.origin, "log_vkey": state.log_vkey, "secretariat": state.secretariat}
    for column, value in stored.items():
        if value != founded[column]:
            raise AuditFailure(
                f"log state: its {column} column says {value!r}, entry 0 founded the log"
                f" with {founded[column]!r}"
            )


def _log_state(state: LogState, walk: _Walk) -> None:
    if walk.tree.size != state.size:
        raise AuditFailure(
            f"log state: the log claims {state.size} entries, {walk.tree.size} are stored"
        )
    last = walk.logged_at[-1] if walk.logged_at else ""
    if state.last_logged_at != last:
        raise AuditFailure(
            f"log state: last_logged_at says {state.last_logged_at!r}, the last entry"
            f" was logged at {last!r}"
        )


def _tiles(tree: Tree) -> int:
    full = {(level, index) for level, index, width in tiles_for_size(tree.size) if width == 256}
    missing = full - set(Tile.objects.values_list("level", "index"))
    if missing:
        level, index = min(missing)
        raise AuditFailure(f"tile {level}/{index}: full, but not stored")
    count = 0
    for tile in Tile.objects.order_by("level", "index").iterator():
        try:
            expected = tree.tile(tile.level, tile.index)
        except TlogError:
            raise AuditFailure(
                f"tile {tile.level}/{tile.index}: stored, but the log is not that large"
            ) from None
        if bytes(tile.data) != expected or bytes(tile.root) != fold(expected):
            raise AuditFailure(f"tile {tile.level}/{tile.index}: does not match the entries")
        count += 1
    return count


def _checkpoints(state: LogState, log: note.Verifier, walk: _Walk) -> int:
    count = 0
    previous = ""
    for row in Checkpoint.objects.order_by("size").iterator():
        try:
            checkpoint, _ = open_checkpoint(row.note, [log], state.origin)
        except TlogError as exc:
            raise AuditFailure(f"checkpoint at size {row.size}: {exc}") from None
        if checkpoint.size != row.size or checkpoint.size > walk.tree.size:
            raise AuditFailure(
                f"checkpoint at size {row.size}: its note says size {checkpoint.size}"
            )
        if checkpoint.root != walk.tree.root(checkpoint.size) or bytes(row.root) != checkpoint.root:
            raise AuditFailure(f"checkpoint at size {row.size}: its root is not the entries' root")
        _checkpoint_time(row, signed_notes.checkpoint_time(checkpoint.extensions), walk, previous)
        previous = row.signed_at
        count += 1
    if count != state.checkpoints:
        raise AuditFailure(
            f"checkpoints: the log signed {state.checkpoints}, {count} are stored;"
            " a signed checkpoint was deleted or added"
        )
    return count


def _checkpoint_time(row: Checkpoint, signed: str | None, walk: _Walk, previous: str) -> None:
    """The stored time is the signed one; an older checkpoint without one is only bounded:
    not before the last entry it covers, nor before the checkpoint below it."""
    if signed is not None and signed != row.signed_at:
        raise AuditFailure(
            f"checkpoint at size {row.size}: its signed_at column does not match its signed note"
        )
    covered = walk.logged_at[row.size - 1] if row.size else ""
    if row.signed_at < covered or row.signed_at < previous:
        raise AuditFailure(
            f"checkpoint at size {row.size}: signed at {row.signed_at}, before the entries it"
            " covers or the checkpoint below it"
        )


def _receipts(state: LogState, log: note.Verifier) -> int:
    count = 0
    for receipt in Receipt.objects.select_related("entry").order_by("entry_id").iterator():
        entry = receipt.entry
        if entry.index != count:
            raise AuditFailure(f"entry {count} has no receipt")
        expected = signed_notes.receipt_text(
            state.origin, entry.index, bytes(entry.leaf_hash), entry.logged_at
        )
        try:
            opened = note.open(receipt.note, [log])
        except TlogError as exc:
            raise AuditFailure(f"receipt for entry {entry.index}: {exc}") from None
        if opened.text != expected:
            raise AuditFailure(f"receipt for entry {entry.index}: does not match the entry")
        count += 1
    if count != state.size:
        raise AuditFailure(f"entry {count} has no receipt")
    return count


def _refusals(state: LogState, log: note.Verifier) -> int:
    numbers: set[int] = set()
    count = 0
    for refusal in Refusal.objects.order_by("number", "id").iterator():
        _refusal_columns(state, log, refusal)
        if refusal.number is not None:
            if refusal.number in numbers:
                raise AuditFailure(f"refusal {refusal.number} is stored twice")
            numbers.add(refusal.number)
        count += 1
    beyond = [number for number in numbers if number > state.refusals]
    if beyond:
        raise AuditFailure(
            f"refusal {min(beyond)}: numbered beyond the {state.refusals} refusals"
            " the log state counts"
        )
    missing = set(range(1, state.refusals + 1)) - numbers
    if missing:
        raise AuditFailure(
            f"refusal {min(missing)} is missing: the log signed {state.refusals} refusals"
        )
    return count


def _refusal_columns(state: LogState, log: note.Verifier, refusal: Refusal) -> None:
    name = f"refusal {refusal.number}" if refusal.number is not None else f"refusal #{refusal.pk}"
    try:
        signed = signed_notes.parse_refusal(note.open(refusal.note, [log]).text)
    except (TlogError, signed_notes.NoteFormatError) as exc:
        raise AuditFailure(f"{name}: {exc}") from None
    columns = {
        "origin": (state.origin, signed.origin),
        "number": (refusal.number, signed.number),
        "statement_hash": (refusal.statement_hash, signed.statement_hash),
        "code": (refusal.code, signed.code),
        "refused_at": (refusal.refused_at, signed.at),
        "reason": (" ".join(refusal.reason.split()), signed.reason),
    }
    for column, (stored, noted) in columns.items():
        if stored != noted:
            raise AuditFailure(f"{name}: its {column} column does not match its signed note")


def _blobs(referenced: set[str]) -> tuple[int, list[str]]:
    rows = dict(Blob.objects.values_list("sha256", "size"))
    missing = referenced - set(rows)
    if missing:
        raise AuditFailure(f"blob {min(missing)}: an entry refers to it, but it is not recorded")
    unreferenced = set(rows) - referenced
    if unreferenced:
        raise AuditFailure(f"blob {min(unreferenced)}: stored, but no entry refers to it")
    for sha256, size in sorted(rows.items()):
        try:
            data = blobs.read(sha256)
        except LookupError as exc:
            raise AuditFailure(f"{exc}") from None
        if len(data) != size:
            raise AuditFailure(f"blob {sha256}: its size column says {size}, it holds {len(data)}")
    on_disk = {path.name for path in blobs.root().glob("??/*") if len(path.name) == 64}
    return len(rows), sorted(on_disk - referenced)


def _hosted_keys() -> None:
    """Every current key the log records as hosted is one the host holds for that party."""
    held = dict(HostedKey.objects.values_list("vkey", "owner"))
    current = PartyKey.objects.filter(custody="hosted", revoked_at__isnull=True)
    for vkey, party in current.order_by("party", "vkey").values_list("vkey", "party"):
        if held.get(vkey) != party:
            raise AuditFailure(
                f"key {vkey} of {party}: the log records it as hosted, but the host does not"
                f" hold it for {party}"
            )


def _published_checkpoint(
    state: LogState, log: note.Verifier, tree: Tree, name: str, text: str
) -> None:
    try:
        checkpoint, _ = open_checkpoint(text, [log], state.origin)
    except TlogError as exc:
        raise AuditFailure(f"{name}: not a checkpoint of this log under its key: {exc}") from None
    if checkpoint.size > tree.size:
        raise AuditFailure(
            f"{name}: a client saw a checkpoint at size {checkpoint.size}, but storage holds only"
            f" {tree.size} entries: entries were cut off or lost"
        )
    if checkpoint.root != tree.root(checkpoint.size):
        raise AuditFailure(
            f"{name}: storage's entries do not reach the root of the checkpoint at size"
            f" {checkpoint.size}: the log's history was rewritten"
        )
    if not Checkpoint.objects.filter(size=checkpoint.size, root=checkpoint.root).exists():
        raise AuditFailure(
            f"{name}: the log signed a checkpoint at size {checkpoint.size}, storage holds none"
        )


def _published_receipt(
    state: LogState, log: note.Verifier, tree: Tree, name: str, text: str
) -> None:
    """A tlog-proof is checked against the stored leaf hash and then as a published
    checkpoint; an ``accord-receipt/v1`` note against the stored leaf hash and time."""
    if text.startswith(PROOF_HEADER):
        try:
            proof = ProofReceipt.parse(text)
        except TlogError as exc:
            raise AuditFailure(f"{name}: not a tlog-proof: {exc}") from None
        stored = _stored_entry(tree, name, proof.index)
        try:
            proof.verify(stored[0], [log], state.origin)
        except TlogError:
            raise AuditFailure(_not_the_entry(name, proof.index)) from None
        _published_checkpoint(state, log, tree, name, proof.checkpoint)
        return
    try:
        receipt = signed_notes.parse_receipt(note.open(text, [log]).text)
    except (TlogError, signed_notes.NoteFormatError) as exc:
        raise AuditFailure(f"{name}: not a receipt of this log under its key: {exc}") from None
    stored = _stored_entry(tree, name, receipt.index)
    if (receipt.origin, receipt.leaf_hash, receipt.logged_at) != (state.origin, *stored):
        raise AuditFailure(_not_the_entry(name, receipt.index))


def _stored_entry(tree: Tree, name: str, index: int) -> tuple[bytes, str]:
    if index >= tree.size:
        raise AuditFailure(
            f"{name}: the log gave a receipt for entry {index}, but storage holds only"
            f" {tree.size} entries: entries were cut off or lost"
        )
    leaf, logged_at = Entry.objects.filter(index=index).values_list("leaf_hash", "logged_at").get()
    return bytes(leaf), logged_at


def _not_the_entry(name: str, index: int) -> str:
    return f"{name}: entry {index} in storage is not the entry the log gave this receipt for"


def _projections() -> str:
    live = digest.digest(full=False), digest.digest(full=True)
    try:
        replayed = replay()
    except Divergence as exc:
        raise AuditFailure(f"replay: {exc}") from None
    if (replayed.public_digest, replayed.full_digest) != live:
        raise AuditFailure("projections: the live tables differ from a replay of the log")
    return live[0]
