"""Tile paths and entry bundles of c2sp.org/tlog-tiles (tile height 8).

A tile at level L and index N holds up to 256 hashes of tree level 8·L: hash i
is MTH(D[(N·256+i)·256^L : (N·256+i+1)·256^L]). A full tile has 256 hashes; the
rightmost tile of a level may be partial, served at ``<path>.p/<width>``. Entry
bundles at ``tile/entries/N`` hold the leaves of level-0 tile N, each prefixed
by its length as a big-endian uint16, so an entry is at most 65,535 bytes.

N is written in groups of three digits, all but the last prefixed with ``x``:
1234067 is ``x001/x234/067``.
"""

import re
from collections.abc import Iterable

from accord.tlog.errors import FormatError

TILE_WIDTH = 256
MAX_LEVEL = 63
MAX_ENTRY_BYTES = 0xFFFF
MAX_PATH_LENGTH = 64
"""Longer than any tile of a tree of 2^63 leaves: ``tile/entries/x036/.../807.p/255``."""
ENTRIES_LEVEL = -1
"""What ``parse_tile_path`` returns as the level of an entry bundle (as golang.org/x/mod's tlog)."""

_PATH = re.compile(r"tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([0-9]+))?")


def _index_path(index: int) -> str:
    digits = str(index)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*("x" + group for group in groups[:-1]), groups[-1]])


def _check(level: int, index: int, width: int) -> None:
    if not 0 <= level <= MAX_LEVEL:
        raise FormatError(f"tile level: expected 0..{MAX_LEVEL}, found {level}")
    if index < 0:
        raise FormatError(f"tile index: expected 0 or more, found {index}")
    if not 1 <= width <= TILE_WIDTH:
        raise FormatError(f"tile width: expected 1..{TILE_WIDTH}, found {width}")


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """The path of a hash tile, e.g. ``tile/0/x001/x234/067.p/7``."""
    _check(level, index, width)
    suffix = f".p/{width}" if width < TILE_WIDTH else ""
    return f"tile/{level}/{_index_path(index)}{suffix}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    """The path of an entry bundle, e.g. ``tile/entries/x001/234.p/16``."""
    _check(0, index, width)
    suffix = f".p/{width}" if width < TILE_WIDTH else ""
    return f"tile/entries/{_index_path(index)}{suffix}"


def parse_tile_path(path: str) -> tuple[int, int, int]:
    """(level, index, width) of a tile path; level is -1 for an entry bundle.

    Only the one canonical spelling of each tile is accepted: no leading zero
    groups, no ``.p/256``, no ``.p/0``.
    """
    if len(path) > MAX_PATH_LENGTH:
        raise FormatError(
            f"tile path: expected at most {MAX_PATH_LENGTH} characters, found {len(path)}"
        )
    found = _PATH.fullmatch(path)
    if not found:
        raise FormatError(f"tile path: expected tile/<L>/<N>[.p/<W>], found {path[:120]!r}")
    level_text, index_text, width_text = found.groups()
    level = ENTRIES_LEVEL if level_text == "entries" else int(level_text)
    index = int(index_text.replace("x", "").replace("/", ""))
    width = TILE_WIDTH
    if width_text is not None:
        width = int(width_text)
        if width_text != str(width) or not 1 <= width < TILE_WIDTH:
            raise FormatError(f"tile path: expected a partial width 1..255, found {width_text!r}")
    try:
        _check(max(level, 0), index, width)
    except FormatError as exc:
        raise FormatError(f"tile path: {exc}") from exc
    if _index_path(index) != index_text:
        raise FormatError(
            f"tile path: expected index written as {_index_path(index)}, found {index_text}"
        )
    return level, index, width


def tiles_for_size(size: int) -> list[tuple[int, int, int]]:
    """Every (level, index, width) hash tile a tree of ``size`` leaves publishes."""
    if size < 0:
        raise FormatError(f"tree size: expected 0 or more, found {size}")
    tiles: list[tuple[int, int, int]] = []
    level, hashes = 0, size
    while hashes:
        full, partial = divmod(hashes, TILE_WIDTH)
        tiles.extend((level, index, TILE_WIDTH) for index in range(full))
        if partial:
            tiles.append((level, full, partial))
        level += 1
        hashes //= TILE_WIDTH
    return tiles


def encode_entries(entries: Iterable[bytes]) -> bytes:
    """An entry bundle: each entry after its big-endian uint16 length."""
    bundle = bytearray()
    for position, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY_BYTES:
            raise FormatError(
                f"entry {position}: expected at most {MAX_ENTRY_BYTES} bytes, found {len(entry)}"
            )
        bundle += len(entry).to_bytes(2, "big") + entry
    return bytes(bundle)


def decode_entries(bundle: bytes, width: int = TILE_WIDTH) -> list[bytes]:
    """The ``width`` entries of a bundle; anything missing or left over is an error."""
    entries: list[bytes] = []
    offset = 0
    while offset < len(bundle):
        if offset + 2 > len(bundle):
            raise FormatError(f"entry bundle: a length prefix is cut short at byte {offset}")
        length = int.from_bytes(bundle[offset : offset + 2], "big")
        end = offset + 2 + length
        if end > len(bundle):
            raise FormatError(
                f"entry bundle: entry {len(entries)} claims {length} bytes,"
                f" only {len(bundle) - offset - 2} remain"
            )
        entries.append(bytes(bundle[offset + 2 : end]))
        offset = end
    if len(entries) != width:
        raise FormatError(f"entry bundle: expected {width} entries, found {len(entries)}")
    return entries
