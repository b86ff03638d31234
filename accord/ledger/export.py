"""``accord log export DIR``: the log as static files in the C2SP layout.

Writes ``key``, ``checkpoint`` (the latest signed, with every witness
cosignature collected for it, as ``/log/checkpoint`` serves it), every hash tile
and entry bundle for the checkpoint's size, every blob under ``blob/``, and, when
the host has them, ``witness-policy`` and the ``state-digest`` signed at that
size, so that ``accord verify DIR``, a party's node or any static web server can
serve and check it. Reads each entry once and computes each tile once.
"""

from collections.abc import Callable
from pathlib import Path

from accord.ledger import blobs
from accord.ledger.cosigning import standing
from accord.ledger.models import Blob, Checkpoint, Entry, LogState, StateDigest
from accord.ledger.witnesses import current_witnesses
from accord.tlog.merkle import Tree
from accord.tlog.tiles import TILE_WIDTH, encode_entries, entries_path, tile_path, tiles_for_size


def export(
    folder: Path, checkpoint: Checkpoint, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the log up to ``checkpoint``'s size into ``folder``; returns the files written."""
    state = LogState.objects.get(pk=1)
    size = checkpoint.size
    folder.mkdir(parents=True, exist_ok=True)
    written = [_write(folder / "key", (state.log_vkey + "\n").encode())]
    tree = Tree()
    leaves = Entry.objects.filter(index__lt=size).order_by("index").values_list("leaf", flat=True)
    bundle: list[bytes] = []
    for leaf in leaves.iterator(chunk_size=TILE_WIDTH):
        bundle.append(bytes(leaf))
        tree.append(bundle[-1])
        if len(bundle) == TILE_WIDTH or tree.size == size:
            index = (tree.size - 1) // TILE_WIDTH
            written.append(
                _write(folder / entries_path(index, len(bundle)), encode_entries(bundle))
            )
            bundle = []
        if progress:
            progress(tree.size, size)
    for level, index, width in tiles_for_size(size):
        written.append(
            _write(folder / tile_path(level, index, width), tree.tile(level, index, width))
        )
    written += [
        _write(folder / "blob" / digest, blobs.read(digest))
        for digest in Blob.objects.values_list("sha256", flat=True)
    ]
    witnesses = current_witnesses()
    if witnesses.policy_text:
        written.append(_write(folder / "witness-policy", witnesses.policy_text.encode()))
    digest = StateDigest.objects.filter(size=size).first()
    if digest is not None:
        written.append(_write(folder / "state-digest", digest.note.encode()))
    cosigned = standing(checkpoint, witnesses)
    note = cosigned.note if cosigned is not None else checkpoint.note
    written.append(_write(folder / "checkpoint", note.encode()))
    return len(written)


def _write(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
