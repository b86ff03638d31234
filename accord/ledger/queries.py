"""Reads of the log for the public API, the explorer and export; each says what it costs."""

import base64
from typing import Any

from accord.ledger.hashes import StoredHashes
from accord.ledger.models import Checkpoint, Entry, LogState, Tile
from accord.lib import canonical
from accord.tlog.tiles import ENTRIES_LEVEL, TILE_WIDTH, encode_entries


def log_state() -> LogState | None:
    return LogState.objects.filter(pk=1).first()


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def hashes_at(size: int) -> StoredHashes:
    """Roots, proofs and tiles of the log at ``size``, read from stored tiles: O(log n) rows."""
    return StoredHashes(size)


def tile(level: int, index: int, width: int) -> bytes | None:
    """A hash tile or an entry bundle, or None when the log is not that large yet.

    Full hash tiles are one row read; a partial one reads its leaf hashes or the
    full tiles below it. Entry bundles read up to 256 entry rows.
    """
    state = log_state()
    if state is None:
        return None
    if level == ENTRIES_LEVEL:
        start = index * TILE_WIDTH
        if start + width > state.size:
            return None
        leaves = Entry.objects.filter(index__gte=start, index__lt=start + width).order_by("index")
        return encode_entries(bytes(leaf) for leaf in leaves.values_list("leaf", flat=True))
    span = TILE_WIDTH**level
    if (index * TILE_WIDTH + width) * span > state.size:
        return None
    if width == TILE_WIDTH:
        row = Tile.objects.filter(level=level, index=index).values_list("data", flat=True).first()
        if row is not None:
            return bytes(row)
    return StoredHashes(state.size).tile(level, index, width)


def entry_document(index: int) -> dict[str, Any] | None:
    """One entry with its statement and its inclusion proof against the latest checkpoint."""
    row = Entry.objects.filter(index=index).first()
    if row is None:
        return None
    checkpoint = latest_checkpoint()
    document: dict[str, Any] = {
        "index": row.index,
        "entry": canonical.parse(bytes(row.leaf)),
        "leaf_hash": base64.b64encode(bytes(row.leaf_hash)).decode(),
        "checkpoint": None,
        "inclusion_proof": None,
    }
    if checkpoint is not None and index < checkpoint.size:
        proof = StoredHashes(checkpoint.size).inclusion_proof(index)
        document["checkpoint"] = checkpoint.note
        document["inclusion_proof"] = [base64.b64encode(h).decode() for h in proof]
    return document


def signed_by(actor: str, limit: int = 20) -> list[Entry]:
    """The newest entries ``actor`` signed, for its party's page; one query."""
    return list(Entry.objects.filter(actor=actor).order_by("-index")[:limit])
