"""``accord audit``: the host's own storage checked against itself, piece by piece.

In order, stopping at the first divergence and naming it: entries against their
leaf hashes and the log's size; stored tiles against the tree of the entries;
every checkpoint's signature and root; every receipt against its entry; every
refusal's signature; every blob against its hash; and the projections against a
replay of the log. Reads every entry once; costs about one replay.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accord.ledger import blobs, digest, signed_notes
from accord.ledger.envelope import Entry as EntryBytes
from accord.ledger.hashes import fold
from accord.ledger.models import Blob, Checkpoint, Entry, LogState, Receipt, Refusal, Tile
from accord.ledger.replay import Divergence, replay
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import Tree, leaf_hash
from accord.tlog.tiles import tiles_for_size

Progress = Callable[[str, int, int], None]


class AuditFailure(Exception):  # noqa: N818 -- what the operator is told
    """The first divergence the audit found."""


@dataclass(frozen=True)
class Audited:
    entries: int
    tiles: int
    checkpoints: int
    receipts: int
    blobs: int
    public_digest: str


def audit(progress: Progress | None = None) -> Audited:
    """Run every check; raises AuditFailure naming the first divergence."""
    state = LogState.objects.filter(pk=1).first()
    if state is None:
        raise AuditFailure("this database holds no log")
    log = note.Verifier(state.log_vkey)
    tree = _entries(state, progress)
    tiles = _tiles(tree)
    checkpoints = _checkpoints(state, log, tree)
    receipts = _receipts(state, log)
    _refusals(log)
    blob_count = _blobs()
    live = digest.digest(full=False), digest.digest(full=True)
    try:
        replayed = replay()
    except Divergence as exc:
        raise AuditFailure(f"replay: {exc}") from None
    if (replayed.public_digest, replayed.full_digest) != live:
        raise AuditFailure("projections: the live tables differ from a replay of the log")
    return Audited(state.size, tiles, checkpoints, receipts, blob_count, live[0])


def _entries(state: LogState, progress: Progress | None) -> Tree:
    tree = Tree()
    rows = Entry.objects.order_by("index").values_list("index", "leaf", "leaf_hash")
    for index, leaf, stored in rows.iterator(chunk_size=1000):
        if index != tree.size:
            raise AuditFailure(f"entry {tree.size}: missing (the next stored entry is {index})")
        if leaf_hash(bytes(leaf)) != bytes(stored):
            raise AuditFailure(f"entry {index}: its bytes do not match its stored leaf hash")
        tree.append_hash(bytes(stored))
        if progress:
            progress("entries", tree.size, state.size)
    if tree.size != state.size:
        raise AuditFailure(
            f"log state: the log claims {state.size} entries, {tree.size} are stored"
        )
    return tree


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


def _checkpoints(state: LogState, log: note.Verifier, tree: Tree) -> int:
    count = 0
    for row in Checkpoint.objects.order_by("size").iterator():
        try:
            checkpoint, _ = open_checkpoint(row.note, [log], state.origin)
        except TlogError as exc:
            raise AuditFailure(f"checkpoint at size {row.size}: {exc}") from None
        if checkpoint.size != row.size or checkpoint.size > tree.size:
            raise AuditFailure(
                f"checkpoint at size {row.size}: its note says size {checkpoint.size}"
            )
        if checkpoint.root != tree.root(checkpoint.size) or bytes(row.root) != checkpoint.root:
            raise AuditFailure(f"checkpoint at size {row.size}: its root is not the entries' root")
        count += 1
    return count


def _receipts(state: LogState, log: note.Verifier) -> int:
    count = 0
    for receipt in Receipt.objects.select_related("entry").iterator():
        entry = receipt.entry
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
    return count


def _refusals(log: note.Verifier) -> None:
    for refusal in Refusal.objects.iterator():
        try:
            opened = note.open(refusal.note, [log])
        except TlogError as exc:
            raise AuditFailure(f"refusal {refusal.pk}: {exc}") from None
        if f"\ncode {refusal.code}\n" not in opened.text:
            raise AuditFailure(f"refusal {refusal.pk}: its row does not match its signed note")


def _blobs() -> int:
    referenced = set()
    for leaf in Entry.objects.values_list("leaf", flat=True).iterator():
        body = EntryBytes.from_bytes(bytes(leaf)).signed.statement.body
        reference = blobs.parse_reference(body)
        if reference:
            referenced.add(reference[0])
    stored = set(Blob.objects.values_list("sha256", flat=True))
    missing = referenced - stored
    if missing:
        raise AuditFailure(f"blob {min(missing)}: an entry refers to it, but it is not recorded")
    for sha256 in sorted(stored):
        try:
            blobs.read(sha256)
        except LookupError as exc:
            raise AuditFailure(f"{exc}") from None
    return len(stored)
