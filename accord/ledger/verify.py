"""``accord verify``: check a served or exported log from the outside. No Django, no database.

Given a URL (``https://host/log``) or a folder written by ``accord log export``:

1. the checkpoint's signature, against the key given (pinned), or the key this
   machine saw for that log before, or else the log's own ``key`` (trusted on
   first use, and said so);
2. every entry bundle and hash tile, against a tree rebuilt from the entries,
   whose root must be the checkpoint's: every entry's inclusion at once;
3. consistency with the last checkpoint this machine saw for the log, which is
   then remembered (under ``ACCORD_VERIFY_STATE`` or ``~/.local/state/accord``);
4. every statement's signature, against the keys the log itself registered;
5. every blob, against the hash and size its statement signs.

The first failure stops it with a sentence naming what failed.
"""

import hashlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from accord.ledger.envelope import Entry, EnvelopeError
from accord.ledger.keyring import Keyring, KeyringError
from accord.lib import canonical
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import Tree
from accord.tlog.tiles import (
    TILE_WIDTH,
    decode_entries,
    entries_path,
    tile_path,
    tiles_for_size,
)

Progress = Callable[[str, int, int], None]


class VerifyFailure(Exception):  # noqa: N818 -- what the auditor is told
    """The log failed a check; the message names the first failure."""


class Source(Protocol):
    def get(self, path: str) -> bytes | None:
        """The bytes at ``path`` under the log's prefix, or None if there are none."""
        ...


class FolderSource:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, path: str) -> bytes | None:
        target = self.folder / path
        return target.read_bytes() if target.is_file() else None


class HttpSource:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.rstrip("/")

    def get(self, path: str) -> bytes | None:
        try:
            with urllib.request.urlopen(f"{self.prefix}/{path}", timeout=30) as response:  # noqa: S310
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise VerifyFailure(f"{self.prefix}/{path} answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise VerifyFailure(f"cannot reach {self.prefix}/{path}: {exc.reason}") from None


def source_for(location: str) -> Source:
    if location.startswith(("http://", "https://")):
        return HttpSource(location)
    folder = Path(location)
    if not folder.is_dir():
        raise VerifyFailure(f"{location} is neither a URL nor a folder")
    return FolderSource(folder)


@dataclass(frozen=True)
class Verified:
    origin: str
    size: int
    log_key: str
    key_trust: str
    blobs: int
    previous_size: int | None


def state_folder() -> Path:
    configured = os.environ.get("ACCORD_VERIFY_STATE")
    return (
        Path(configured) if configured else Path.home() / ".local" / "state" / "accord" / "verify"
    )


def _need(source: Source, path: str) -> bytes:
    data = source.get(path)
    if data is None:
        raise VerifyFailure(f"the log does not serve {path}")
    return data


def verify_log(
    location: str, *, log_key: str | None = None, progress: Progress | None = None
) -> Verified:
    """Run every check above on the log at ``location``; raises VerifyFailure."""
    source = source_for(location)
    signed = _need(source, "checkpoint").decode("utf-8", "replace")
    origin = signed.partition("\n")[0]
    memory_path = state_folder() / (hashlib.sha256(origin.encode()).hexdigest() + ".json")
    memory = json.loads(memory_path.read_text()) if memory_path.exists() else None
    key, trust = _choose_key(source, log_key, memory)
    try:
        checkpoint, _ = open_checkpoint(signed, [note.Verifier(key)], origin)
    except TlogError as exc:
        raise VerifyFailure(f"the checkpoint does not verify with the log key: {exc}") from None
    entries = _entries(source, checkpoint.size, progress)
    tree = Tree()
    for leaf in entries:
        tree.append(leaf)
    if tree.root() != checkpoint.root:
        raise VerifyFailure("the entries served do not hash to the checkpoint's root")
    _check_tiles(source, tree, progress)
    previous = _check_history(memory, tree)
    blob_count = _check_statements(source, entries, origin, progress)
    memory_path.parent.mkdir(parents=True, exist_ok=True)
    memory_path.write_text(
        json.dumps(
            {
                "origin": origin,
                "log_key": key,
                "size": checkpoint.size,
                "root": checkpoint.root.hex(),
            }
        )
    )
    return Verified(origin, checkpoint.size, key, trust, blob_count, previous)


def _choose_key(
    source: Source, log_key: str | None, memory: dict[str, object] | None
) -> tuple[str, str]:
    if log_key:
        if memory and memory.get("log_key") != log_key:
            raise VerifyFailure("the key given is not the key this machine saw for this log before")
        return log_key, "pinned"
    if memory:
        return str(memory["log_key"]), "remembered"
    served = _need(source, "key").decode().strip()
    return served, "trusted on first use: check this key with the forum out of band"


def _entries(source: Source, size: int, progress: Progress | None) -> list[bytes]:
    entries: list[bytes] = []
    bundles = (size + TILE_WIDTH - 1) // TILE_WIDTH
    for index in range(bundles):
        width = min(TILE_WIDTH, size - index * TILE_WIDTH)
        path = entries_path(index, width)
        try:
            entries += decode_entries(_need(source, path), width)
        except TlogError as exc:
            raise VerifyFailure(f"{path}: {exc}") from None
        if progress:
            progress("entries", len(entries), size)
    return entries


def _check_tiles(source: Source, tree: Tree, progress: Progress | None) -> None:
    tiles = tiles_for_size(tree.size)
    for done, (level, index, width) in enumerate(tiles, 1):
        path = tile_path(level, index, width)
        if _need(source, path) != tree.tile(level, index, width):
            raise VerifyFailure(f"{path} does not match the entries")
        if progress:
            progress("tiles", done, len(tiles))


def _check_history(memory: dict[str, object] | None, tree: Tree) -> int | None:
    if not memory:
        return None
    size = int(str(memory["size"]))
    if size > tree.size:
        raise VerifyFailure(
            f"the log shrank: this machine saw {size} entries, it now shows {tree.size}"
        )
    if tree.root(size).hex() != memory["root"]:
        raise VerifyFailure(f"the log's history changed since this machine saw it at size {size}")
    return size


def _check_statements(
    source: Source, entries: list[bytes], origin: str, progress: Progress | None
) -> int:
    keyring = Keyring()
    blob_count = 0
    for index, leaf in enumerate(entries):
        try:
            entry = Entry.from_bytes(leaf)
            entry.signed.verify()
            keyring.admit(index, entry.signed)
        except (EnvelopeError, KeyringError) as exc:
            raise VerifyFailure(f"entry {index}: {exc}") from None
        statement = entry.signed.statement
        if statement.forum != origin:
            raise VerifyFailure(f"entry {index} belongs to {statement.forum!r}, not {origin!r}")
        body = statement.body
        reference = body.get("blob") if set(body) == {"blob", "size"} else None
        if isinstance(reference, str) and reference.startswith("sha256:"):
            body = _check_blob(source, index, reference[7:], body["size"])
            blob_count += 1
        keyring.observe(entry.signed, body)
        if progress:
            progress("statements", index + 1, len(entries))
    return blob_count


def _check_blob(source: Source, index: int, digest: str, size: object) -> dict[str, object]:
    data = _need(source, f"blob/{digest}")
    if hashlib.sha256(data).hexdigest() != digest or len(data) != size:
        raise VerifyFailure(f"entry {index}: blob {digest} does not match what the statement signs")
    try:
        value = canonical.parse(data)
    except canonical.CanonicalError as exc:
        raise VerifyFailure(f"entry {index}: blob {digest} is not canonical JSON: {exc}") from None
    return value if isinstance(value, dict) else {}
