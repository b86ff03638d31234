"""The log's complete-subtree hashes, read from stored tiles and entries: no tree in memory.

Any hash the log needs, for a root, a proof or a tile, is the hash of a
complete subtree; at tree level ``8·L + r`` it is the fold of ``2^r``
consecutive hashes of C2SP tile level ``L``. A full tile is one ``Tile`` row;
the rightmost, partial tile of a level is computed on read: at level 0 from
the entries' stored leaf hashes, above from the roots of the full tiles one
level down. So a proof at any size reads a handful of rows (a few per tile
level, O(log n) in all) and hashes at most a few thousand times, whatever the
log's size, and a fresh process needs no warm-up.
"""

import hashlib

from accord.ledger.models import Entry, Tile
from accord.tlog.merkle import EMPTY_ROOT, HASH_SIZE, audit_path, consistency_path, range_root
from accord.tlog.tiles import TILE_WIDTH

_sha256 = hashlib.sha256


def fold(hashes: bytes) -> bytes:
    """The root of a complete subtree whose bottom row is ``hashes`` (a power of two of them)."""
    level = [hashes[i : i + HASH_SIZE] for i in range(0, len(hashes), HASH_SIZE)]
    while len(level) > 1:
        level = [
            _sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)
        ]
    return level[0]


class StoredHashes:
    """Complete-subtree hashes of the first ``size`` entries, from the database.

    ``rows`` counts the rows read, for the benchmark that holds proofs to O(log n).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.rows = 0
        self._full: dict[tuple[int, int], bytes | None] = {}

    def perfect_hash(self, level: int, index: int) -> bytes:
        tile_level, height = divmod(level, 8)
        first = index << height
        tile_index, position = divmod(first, TILE_WIDTH)
        return fold(self._hashes(tile_level, tile_index, position, 1 << height))

    def tile(self, level: int, index: int, width: int) -> bytes:
        """The bytes of C2SP tile ``level/index`` of ``width`` hashes."""
        return self._hashes(level, index, 0, width)

    def root(self) -> bytes:
        return range_root(self.perfect_hash, 0, self.size) if self.size else EMPTY_ROOT

    def inclusion_proof(self, index: int) -> list[bytes]:
        return audit_path(self.perfect_hash, index, self.size)

    def consistency_proof(self, old_size: int) -> list[bytes]:
        return consistency_path(self.perfect_hash, old_size, self.size)

    def _hashes(self, level: int, index: int, position: int, count: int) -> bytes:
        """Hashes ``position .. position+count`` of tile ``level/index`` (full or partial)."""
        full = self._full_tile(level, index)
        if full is not None:
            return full[position * HASH_SIZE : (position + count) * HASH_SIZE]
        start = index * TILE_WIDTH + position
        if level == 0:
            rows = Entry.objects.filter(index__gte=start, index__lt=start + count).order_by("index")
            leaf_hashes = [bytes(h) for h in rows.values_list("leaf_hash", flat=True)]
            self.rows += len(leaf_hashes)
            return b"".join(leaf_hashes)
        below = Tile.objects.filter(level=level - 1, index__gte=start, index__lt=start + count)
        tiles = [bytes(data) for data in below.order_by("index").values_list("data", flat=True)]
        self.rows += len(tiles)
        return b"".join(fold(data) for data in tiles)

    def _full_tile(self, level: int, index: int) -> bytes | None:
        key = (level, index)
        if key not in self._full:
            if (index + 1) * TILE_WIDTH * TILE_WIDTH**level > self.size:
                self._full[key] = None
            else:
                data = (
                    Tile.objects.filter(level=level, index=index)
                    .values_list("data", flat=True)
                    .first()
                )
                self.rows += 1
                self._full[key] = bytes(data) if data is not None else None
        return self._full[key]


def store_full_tiles(size: int) -> None:
    """Write the tiles that entry ``size − 1`` completed: one per level the new size fills.

    Level 0 reads the tile's 256 leaf hashes, each level above the 256 tiles
    below it; at most once every 256 appends, so about two row reads per append.
    """
    level, span = 0, TILE_WIDTH
    while size % span == 0:
        index = size // span - 1
        data = StoredHashes(size).tile(level, index, TILE_WIDTH)
        Tile.objects.create(level=level, index=index, data=data)
        level += 1
        span *= TILE_WIDTH
