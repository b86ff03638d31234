"""accord.tlog.tiles: tile paths as c2sp.org/tlog-tiles spells them, tile sets and bundles."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tlog import FormatError, ProofError
from accord.tlog.merkle import Tree, leaf_hash, root
from accord.tlog.tiles import (
    decode_entries,
    encode_entries,
    entries_path,
    parse_tile_path,
    tile_path,
    tiles_for_size,
)


def test_the_spec_examples() -> None:
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(0, 1234067, 7) == "tile/0/x001/x234/067.p/7"
    assert tile_path(2, 0, 1) == "tile/2/000.p/1"
    assert tile_path(1, 1000) == "tile/1/x001/000"
    assert entries_path(1234, 16) == "tile/entries/x001/234.p/16"
    assert entries_path(5) == "tile/entries/005"


def test_it_parses_what_it_writes() -> None:
    assert parse_tile_path("tile/0/x001/x234/067.p/7") == (0, 1234067, 7)
    assert parse_tile_path("tile/63/000") == (63, 0, 256)
    assert parse_tile_path("tile/entries/x001/000.p/255") == (-1, 1000, 255)


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1234067",
        "tile/0/x001/x234/67",
        "tile/0/x000/005",
        "tile/00/000",
        "tile/64/000",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/0/000.p/07",
        "tile/0/000.p/",
        "tile/0/000/",
        "/tile/0/000",
        "tile/data/000",
        "tile/8/0/000",
        "tile/-1/000",
        "tile/0/x001",
    ],
)
def test_non_canonical_paths_are_refused(path: str) -> None:
    with pytest.raises(FormatError, match="tile path"):
        parse_tile_path(path)


def test_an_overlong_path_is_refused_unread() -> None:
    with pytest.raises(FormatError, match="at most 64 characters"):
        parse_tile_path("tile/0/" + "x000/" * 100 + "001")


def test_out_of_range_tiles_are_refused() -> None:
    with pytest.raises(FormatError, match="level: expected 0..63, found 64"):
        tile_path(64, 0)
    with pytest.raises(FormatError, match="index: expected 0 or more, found -1"):
        tile_path(0, -1)
    with pytest.raises(FormatError, match="width: expected 1..256, found 0"):
        entries_path(0, 0)
    with pytest.raises(FormatError, match="tree size"):
        tiles_for_size(-1)


@given(st.integers(0, 63), st.integers(0, 10**18), st.integers(1, 256))
def test_parse_of_a_path_is_the_same_tile(level: int, index: int, width: int) -> None:
    assert parse_tile_path(tile_path(level, index, width)) == (level, index, width)
    assert parse_tile_path(entries_path(index, width)) == (-1, index, width)


def test_tile_counts_from_the_spec() -> None:
    tiles = tiles_for_size(70_000)
    level0 = [t for t in tiles if t[0] == 0]
    assert sum(1 for t in level0 if t[2] == 256) == 273
    assert level0[-1] == (0, 273, 112)
    assert [t for t in tiles if t[0] > 0] == [(1, 0, 256), (1, 1, 17), (2, 0, 1)]
    assert tiles_for_size(256) == [(0, 0, 256), (1, 0, 1)]
    assert tiles_for_size(0) == []
    assert tiles_for_size(1) == [(0, 0, 1)]


@given(st.integers(0, 300_000))
def test_level_zero_tiles_cover_every_leaf_once(size: int) -> None:
    tiles = tiles_for_size(size)
    assert sum(width for level, _, width in tiles if level == 0) == size
    assert tiles == sorted(tiles)


def test_tree_tiles_hold_the_subtree_hashes() -> None:
    leaves = [b"entry %d" % i for i in range(600)]
    tree = Tree()
    for data in leaves:
        tree.append(data)
    assert tree.tile(0, 1, 3) == b"".join(leaf_hash(d) for d in leaves[256:259])
    assert tree.tile(1, 0, 2) == root(leaves[:256]) + root(leaves[256:512])
    for level, index, width in tiles_for_size(600):
        assert len(tree.tile(level, index, width)) == 32 * width
    with pytest.raises(ProofError, match="tile 0/2 width 89"):
        tree.tile(0, 2, 89)
    with pytest.raises(ProofError, match="tile 2/0"):
        tree.tile(2, 0, 1)


def test_entry_bundles_round_trip() -> None:
    entries = [b"", b"x", b"y" * 65_535]
    assert decode_entries(encode_entries(entries), 3) == entries
    assert encode_entries([b"ab"]) == b"\x00\x02ab"


def test_bad_bundles_are_refused() -> None:
    with pytest.raises(FormatError, match="entry 1: expected at most 65535 bytes, found 65536"):
        encode_entries([b"", b"z" * 65_536])
    with pytest.raises(FormatError, match="cut short at byte 3"):
        decode_entries(b"\x00\x01a\x00", 2)
    with pytest.raises(FormatError, match="claims 5 bytes, only 2 remain"):
        decode_entries(b"\x00\x05ab", 1)
    with pytest.raises(FormatError, match="expected 2 entries, found 1"):
        decode_entries(b"\x00\x01a", 2)
