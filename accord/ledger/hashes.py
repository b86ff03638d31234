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
from collections import OrderedDict

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


class _Cache:
    """Tiles are immutable once written (a partial tile, for a given log size), so each
    process keeps the most recently used ones; memory is bounded by ``limit`` tiles."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[tuple[int, int, int], list[bytes]] = OrderedDict()

    def get(self, key: tuple[int, int, int]) -> list[bytes] | None:
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: tuple[int, int, int], value: list[bytes]) -> None:
        self.items[key] = value
        if len(self.items) > self.limit:
            self.items.popitem(last=False)


_tiles = _Cache(limit=4096)  # at most 64 MiB of hashes per process


def forget_cached_tiles() -> None:
    """Empty this process's tile cache (for tests that rebuild a database under it)."""
    _tiles.items.clear()


class StoredHashes:
    """Complete-subtree hashes of the first ``size`` entries, from the database.

    ``rows`` counts the rows this reader fetched (tiles the process had cached
    cost none), for the benchmark that holds proofs to O(log n) rows.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.rows = 0

    def perfect_hash(self, level: int, index: int) -> bytes:
        tile_level, height = divmod(level, 8)
        first = index << height
        tile_index, position = divmod(first, TILE_WIDTH)
        row = self._pyramid(tile_level, tile_index)[height]
        offset = (position >> height) * HASH_SIZE
        return row[offset : offset + HASH_SIZE]

    def tile(self, level: int, index: int, width: int) -> bytes:
        """The bytes of C2SP tile ``level/index`` of ``width`` hashes."""
        return self._pyramid(level, index)[0][: width * HASH_SIZE]

    def root(self) -> bytes:
        return range_root(self.perfect_hash, 0, self.size) if self.size else EMPTY_ROOT

    def inclusion_proof(self, index: int) -> list[bytes]:
        return audit_path(self.perfect_hash, index, self.size)

    def consistency_proof(self, old_size: int) -> list[bytes]:
        return consistency_path(self.perfect_hash, old_size, self.size)

    def _pyramid(self, level: int, index: int) -> list[bytes]:
        """Tile ``level/index`` at this size and the 7 rows of hashes above it inside the tile.

        Row h holds the complete subtrees of 2^h tile hashes, so any hash a proof
        needs from this tile is a slice; building the rows costs up to 255 hashes
        once per process and tile.
        """
        width = min(TILE_WIDTH, self.size // TILE_WIDTH**level - index * TILE_WIDTH)
        key = (level, index, TILE_WIDTH if width == TILE_WIDTH else -self.size)
        cached = _tiles.get(key)
        if cached is not None:
            return cached
        data = None
        if width == TILE_WIDTH:
            data = (
                Tile.objects.filter(level=level, index=index).values_list("data", flat=True).first()
            )
            self.rows += 1
        data = bytes(data) if data is not None else self._compute(level, index, width)
        rows = [data]
        while len(rows) < 8 and len(rows[-1]) >= 2 * HASH_SIZE:
            below = rows[-1]
            pairs = len(below) // (2 * HASH_SIZE)
            rows.append(
                b"".join(
                    _sha256(b"\x01" + below[i * 64 : i * 64 + 64]).digest() for i in range(pairs)
                )
            )
        _tiles.put(key, rows)
        return rows

    def _compute(self, level: int, index: int, width: int) -> bytes:
        start = index * TILE_WIDTH
        if level == 0:
            rows = Entry.objects.filter(index__gte=start, index__lt=start + width).order_by("index")
            hashes = [bytes(h) for h in rows.values_list("leaf_hash", flat=True)]
        else:
            # Each hash of the tile is the root of a full tile one level down.
            below = Tile.objects.filter(level=level - 1, index__gte=start, index__lt=start + width)
            hashes = [
                bytes(root) for root in below.order_by("index").values_list("root", flat=True)
            ]
        self.rows += len(hashes)
        return b"".join(hashes)


def store_full_tiles(size: int) -> None:
    """Write the tiles that entry ``size − 1`` completed: one per level the new size fills.

    Level 0 reads the tile's 256 leaf hashes, each level above the 256 tiles
    below it; at most once every 256 appends, so about two row reads per append.
    """
    level, span = 0, TILE_WIDTH
    while size % span == 0:
        index = size // span - 1
        data = StoredHashes(size).tile(level, index, TILE_WIDTH)
        Tile.objects.create(level=level, index=index, data=data, root=fold(data))
        level += 1
        span *= TILE_WIDTH
