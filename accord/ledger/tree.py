"""The log's Merkle tree, kept in memory per process and synced from the database.

Each process holds a ``Tree`` of leaf hashes. Under the log lock the cache is
brought level with ``LogState.size`` by reading only the entries it lacks; if
it is ahead (a transaction that appended rolled back), it is rebuilt. Full
tiles are written to ``Tile`` rows as they complete, so a static export and
the tile API never need the whole tree.
"""

from accord.ledger.models import Entry, LogState, Tile
from accord.tlog.merkle import Tree
from accord.tlog.tiles import TILE_WIDTH

_cache: dict[str, Tree] = {}


def synced(state: LogState, alias: str = "default") -> Tree:
    """The tree of the first ``state.size`` entries; reads only the entries it lacks."""
    tree = _cache.get(alias)
    if tree is None or tree.size > state.size:
        tree = _cache[alias] = Tree()
    if tree.size < state.size:
        missing = (
            Entry.objects.using(alias)
            .filter(index__gte=tree.size, index__lt=state.size)
            .order_by("index")
            .values_list("leaf_hash", flat=True)
            .iterator(chunk_size=4096)
        )
        for leaf_hash in missing:
            tree.append_hash(bytes(leaf_hash))
    return tree


def forget() -> None:
    """Drop every cached tree (tests that rebuild databases call this)."""
    _cache.clear()


def store_full_tiles(tree: Tree, alias: str = "default") -> None:
    """Write the tiles the latest append completed: one per level the new size fills."""
    size, level, span = tree.size, 0, TILE_WIDTH
    while size % span == 0:
        index = size // span - 1
        Tile.objects.using(alias).create(level=level, index=index, data=tree.tile(level, index))
        level += 1
        span *= TILE_WIDTH
