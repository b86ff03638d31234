"""Roots, proofs and tiles read from stored tiles agree with an in-memory tree, in few rows.

One test builds a log past a full level-1 tile (65,536 leaves), so every kind of
tile occurs, and checks everything against it: building it is the slow part.
"""

import hashlib

from accord.ledger.hashes import StoredHashes, store_full_tiles
from accord.ledger.models import Entry, Tile
from accord.tlog.merkle import Tree
from accord.tlog.tiles import tiles_for_size

SIZE = 66_000


def _stored_log() -> Tree:
    # Entries are written directly here: this tests the hash reader, not submit().
    tree = Tree()
    rows = []
    for index in range(SIZE):
        leaf_hash = hashlib.sha256(b"%d" % index).digest()
        tree.append_hash(leaf_hash)
        rows.append(
            Entry(
                index=index,
                leaf=b"",
                leaf_hash=leaf_hash,
                logged_at="",
                kind="k",
                actor="AA",
                seq=index + 1,
            )
        )
    Entry.objects.bulk_create(rows, batch_size=5000)
    for size in range(256, SIZE + 1, 256):
        store_full_tiles(size)
    return tree


def test_stored_tiles_answer_like_the_tree(db: None) -> None:
    tree = _stored_log()
    full = [(level, index) for level, index, width in tiles_for_size(SIZE) if width == 256]
    assert sorted(Tile.objects.values_list("level", "index")) == full
    assert (1, 0) in full
    for tile in Tile.objects.filter(index__in=[0, 1, 257]):
        assert bytes(tile.data) == tree.tile(tile.level, tile.index)

    for size in [1, 255, 256, 257, 65_535, 65_536, 65_537, SIZE]:
        assert StoredHashes(size).root() == tree.root(size), size

    for index in [0, 1, 255, 256, 40_000, 65_535, 65_536, SIZE - 1]:
        hashes = StoredHashes(SIZE)
        assert hashes.inclusion_proof(index) == tree.inclusion_proof(index), index
        assert hashes.rows <= 300, f"{hashes.rows} rows for the proof of {index}"

    for old in [1, 200, 256, 65_536, 65_999]:
        assert StoredHashes(SIZE).consistency_proof(old) == tree.consistency_proof(old, SIZE), old

    hashes = StoredHashes(SIZE)
    for level, index, width in tiles_for_size(SIZE):
        if width < 256:
            assert hashes.tile(level, index, width) == tree.tile(level, index, width)
