"""A party's copy of the log in the C2SP static layout, and the fetching that extends it.

::

    DIR/log/key                    the log's verifier key
    DIR/log/checkpoint             the last checkpoint the node accepted, cosigned, verbatim
    DIR/log/tile/<L>/<N>[.p/<W>]   hash tiles (c2sp.org/tlog-tiles), computed from the leaves
    DIR/log/tile/entries/<N>[.p/<W>]  entry bundles, as the host served them
    DIR/log/blob/<sha256>          every blob a statement refers to, checked against its hash
    DIR/log/state-digest           the host's signed state digest the node last reproduced

The folder is what ``accord log export`` writes, so ``accord verify DIR/log`` and
any static web server can read it. Files are written before the checkpoint that
covers them, and a partial tile or bundle of an older width is left in place,
so a reader holding an older checkpoint still finds what it names. The leaves
are read back from the bundles and their hashes from the level-0 tiles: the
mirror is its own record, with no database. No Django.
"""

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from accord.ledger.envelope import Entry, EnvelopeError
from accord.ledger.memory import write_atomically
from accord.ledger.verify import Source, VerifyFailure
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.merkle import Tree
from accord.tlog.tiles import (
    TILE_WIDTH,
    decode_entries,
    encode_entries,
    entries_path,
    tile_path,
    tiles_for_size,
)

Progress = Callable[[str, int, int], None]
BLOB_REFERENCE = re.compile(r"sha256:([0-9a-f]{64})")
BLOB_MARK = b'"blob":"sha256:'
"""What the canonical bytes of every entry whose body is a blob reference contain."""


class MirrorFailure(Exception):  # noqa: N818 -- what the operator is told
    """What the host served does not check, and proves nothing by itself; try again later."""


class Mirror:
    """The folder ``DIR/log``; see the module docstring for its files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def checkpoint_note(self) -> str | None:
        """The accepted checkpoint as served (with its cosignatures), or None before the first."""
        path = self.folder / "checkpoint"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def checkpoint(self) -> Checkpoint | None:
        """The accepted checkpoint, parsed (its signature was checked before it was kept)."""
        signed = self.checkpoint_note()
        if signed is None:
            return None
        return Checkpoint.parse(note.split(signed)[0])

    def tree(self, size: int) -> Tree:
        """The tree of the first ``size`` leaves, from the level-0 tiles. One read per 256."""
        tree = Tree()
        for level, index, width in tiles_for_size(size):
            if level:
                break
            hashes = (self.folder / tile_path(0, index, width)).read_bytes()
            for offset in range(0, len(hashes), 32):
                tree.append_hash(hashes[offset : offset + 32])
        return tree

    def leaves(self, start: int, stop: int) -> list[bytes]:
        """Entries ``start`` to ``stop - 1`` from the bundles kept. One read per 256."""
        found: list[bytes] = []
        for index in range(start // TILE_WIDTH, (stop + TILE_WIDTH - 1) // TILE_WIDTH):
            width = min(TILE_WIDTH, stop - index * TILE_WIDTH)
            bundle = decode_entries((self.folder / entries_path(index, width)).read_bytes(), width)
            found += bundle[max(0, start - index * TILE_WIDTH) :]
        return found

    def keep_key(self, vkey: str) -> None:
        write_atomically(self.folder / "key", (vkey + "\n").encode())

    def extend(self, tree: Tree, leaves: Sequence[bytes], old_size: int) -> int:
        """Write the bundles and tiles a tree grown from ``old_size`` to ``tree.size`` adds.

        ``leaves`` are the entries from ``old_size`` on; the first bundle is rewritten
        whole from the leaves kept before. Returns the files written.
        """
        written = 0
        first = old_size // TILE_WIDTH
        head = self.leaves(first * TILE_WIDTH, old_size) if old_size % TILE_WIDTH else []
        pending = [*head, *leaves]
        for index in range(first, (tree.size + TILE_WIDTH - 1) // TILE_WIDTH):
            offset = (index - first) * TILE_WIDTH
            bundle = pending[offset : offset + TILE_WIDTH]
            _replace(self.folder / entries_path(index, len(bundle)), encode_entries(bundle))
            written += 1
        for level, index, width in changed_tiles(old_size, tree.size):
            _replace(self.folder / tile_path(level, index, width), tree.tile(level, index, width))
            written += 1
        return written

    def keep_blob(self, digest: str, data: bytes, beside: Path | None = None) -> Path:
        """Keep a checked blob; with ``beside``, also (hard-linked) at ``beside/<ab>/<digest>``,
        where ``accord.ledger.blobs`` reads it, so replay finds it without a second copy."""
        path = self.folder / "blob" / digest
        if not path.is_file():
            _replace(path, data)
        if beside is not None:
            linked = beside / digest[:2] / digest
            if not linked.exists():
                linked.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, linked)
                except OSError:
                    _replace(linked, data)
        return path

    def blobs_of(self, leaves: Sequence[bytes]) -> list[bytes]:
        """The kept blobs ``leaves`` refer to, in order, each once. One read per blob."""
        found: dict[str, bytes] = {}
        for leaf in leaves:
            digest = blob_digest(leaf)
            if digest is not None and digest not in found:
                found[digest] = (self.folder / "blob" / digest).read_bytes()
        return list(found.values())

    def accept(self, signed: str) -> None:
        """Keep ``signed`` as the accepted checkpoint; durable before this returns."""
        write_atomically(self.folder / "checkpoint", signed.encode())

    def keep_state_digest(self, signed: str) -> None:
        write_atomically(self.folder / "state-digest", signed.encode())


def blob_digest(leaf: bytes) -> str | None:
    """The hex SHA-256 of the blob an entry's statement refers to, if its body is one.

    Parsing an entry costs far more than the rest of a sync's work on it, so only a
    leaf that holds a blob reference's bytes at all is parsed.
    """
    return _referenced(leaf)[1] if BLOB_MARK in leaf else None


def _referenced(leaf: bytes) -> tuple[dict[str, object], str | None]:
    body = Entry.from_bytes(leaf).signed.statement.body
    reference = body.get("blob") if set(body) == {"blob", "size"} else None
    found = BLOB_REFERENCE.fullmatch(reference) if isinstance(reference, str) else None
    return body, found[1] if found else None


def changed_tiles(old_size: int, new_size: int) -> list[tuple[int, int, int]]:
    """The hash tiles a tree of ``new_size`` publishes that one of ``old_size`` did not."""
    before = set(tiles_for_size(old_size))
    return [tile for tile in tiles_for_size(new_size) if tile not in before]


def _replace(target: Path, data: bytes) -> None:
    """Write a file whole by renaming, fsynced: a reader sees the old bytes or the new."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)


def need(source: Source, path: str) -> bytes:
    """The bytes at ``path``; MirrorFailure if the log does not serve it or cannot be reached."""
    try:
        data = source.get(path)
    except VerifyFailure as exc:
        raise MirrorFailure(str(exc)) from None
    if data is None:
        raise MirrorFailure(f"the log does not serve {path}")
    return data


def fetch_leaves(
    source: Source, start: int, stop: int, progress: Progress | None = None
) -> list[bytes]:
    """Entries ``start`` to ``stop - 1`` from the log's bundles: one request per 256."""
    leaves: list[bytes] = []
    for index in range(start // TILE_WIDTH, (stop + TILE_WIDTH - 1) // TILE_WIDTH):
        width = min(TILE_WIDTH, stop - index * TILE_WIDTH)
        path = entries_path(index, width)
        try:
            bundle = decode_entries(need(source, path), width)
        except TlogError as exc:
            raise MirrorFailure(f"{path}: {exc}") from None
        leaves += bundle[max(0, start - index * TILE_WIDTH) :]
        if progress:
            progress("fetching entries", len(leaves), stop - start)
    return leaves


def fetch_leaf_hashes(source: Source, size: int) -> Tree:
    """The tree of a log's first ``size`` leaves from its level-0 tiles: 32 bytes a leaf."""
    tree = Tree()
    for level, index, width in tiles_for_size(size):
        if level:
            break
        hashes = need(source, tile_path(0, index, width))
        if len(hashes) != 32 * width:
            raise MirrorFailure(f"{tile_path(0, index, width)} is not {width} hashes")
        for offset in range(0, len(hashes), 32):
            tree.append_hash(hashes[offset : offset + 32])
    return tree


def check_tiles(source: Source, tree: Tree, old_size: int, progress: Progress | None) -> None:
    """The hash tiles the log serves for its new size match the ones its entries make."""
    tiles = changed_tiles(old_size, tree.size)
    for done, (level, index, width) in enumerate(tiles, 1):
        path = tile_path(level, index, width)
        if need(source, path) != tree.tile(level, index, width):
            raise MirrorFailure(f"{path} served by the log does not match its entries")
        if progress:
            progress("checking tiles", done, len(tiles))


def fetch_blobs(  # noqa: PLR0913 -- where from, where to, which entries, and the bar
    source: Source,
    mirror: Mirror,
    leaves: Sequence[bytes],
    start: int,
    *,
    progress: Progress | None = None,
    beside: Path | None = None,
) -> int:
    """Fetch, check and keep the blob each new entry refers to; returns how many."""
    kept = 0
    for offset, leaf in enumerate(leaves):
        if progress:
            progress("checking blobs", offset + 1, len(leaves))
        if BLOB_MARK not in leaf:
            continue
        try:
            body, digest = _referenced(leaf)
        except EnvelopeError as exc:
            raise MirrorFailure(f"entry {start + offset}: {exc}") from None
        if digest is None:
            continue
        data = need(source, f"blob/{digest}")
        if hashlib.sha256(data).hexdigest() != digest or len(data) != body["size"]:
            raise MirrorFailure(
                f"entry {start + offset}: blob {digest} does not match what the statement signs"
            )
        mirror.keep_blob(digest, data, beside)
        kept += 1
    return kept
