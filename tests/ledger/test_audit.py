"""accord audit: editing any stored row or blob is caught and named."""

from collections.abc import Callable

import pytest

from accord.ledger import blobs
from accord.ledger.audit import AuditFailure, audit
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import (
    Blob,
    Checkpoint,
    Communique,
    Entry,
    HostedKey,
    LogState,
    Receipt,
    Refusal,
    Tile,
)
from accord.ledger.wire import Submission
from accord.lib import canonical
from tests.ledger.world import A_KEY, World


@pytest.fixture
def history(world: World) -> World:
    for seq in range(1, 258):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))
    sign_checkpoint()
    body = canonical.dumps({"title": "Rev.1", "text": "z" * 70_000})
    world.submit(Submission(world.signed(A_KEY, blobs.reference(body), seq=258), body))
    with pytest.raises(Exception):  # noqa: B017, PT011 -- any refusal will do: it leaves a refusal row
        world.submit(world.communique(seq=1))
    sign_checkpoint()
    return world


def test_an_untouched_log_passes(history: World) -> None:
    result = audit()
    assert (result.entries, result.tiles, result.checkpoints, result.blobs) == (262, 1, 2, 1)
    assert (result.receipts, result.refusals) == (262, 1)


def _edit_entry() -> None:
    row = Entry.objects.get(index=10)
    row.leaf = bytes(row.leaf).replace(b"Statement 7.", b"Statement 8.")
    row.save()


def _edit_tile() -> None:
    tile = Tile.objects.get()
    tile.data = b"\x00" * 32 + bytes(tile.data)[32:]
    tile.save()


def _edit_tile_root() -> None:
    Tile.objects.update(root=b"\x00" * 32)


def _drop_tile() -> None:
    Tile.objects.all().delete()


def _edit_checkpoint() -> None:
    Checkpoint.objects.filter(size=261).update(note=Checkpoint.objects.get(size=262).note)


def _edit_receipt() -> None:
    receipt = Receipt.objects.get(entry_id=5)
    receipt.note = Receipt.objects.get(entry_id=6).note
    receipt.save()


def _edit_refusal() -> None:
    Refusal.objects.update(code="not_allowed")


def _edit_projection() -> None:
    Communique.objects.filter(entry_index=12).update(text="Rewritten.")


def _edit_blob() -> None:
    sha256 = Blob.objects.get().sha256
    path = blobs.path_of(sha256)
    path.write_bytes(path.read_bytes().replace(b"zz", b"zy", 1))


def _edit_size() -> None:
    LogState.objects.update(size=263)


def _edit_kind() -> None:
    Entry.objects.filter(index=10).update(kind="ledger.key.revoked")


def _drop_refusal() -> None:
    Refusal.objects.all().delete()


def _drop_hosted_key() -> None:
    HostedKey.objects.filter(owner="BB").delete()


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (_edit_entry, "entry 10: its bytes do not match its stored leaf hash"),
        (_edit_tile, "tile 0/0: does not match the entries"),
        (_drop_tile, "tile 0/0: full, but not stored"),
        (_edit_tile_root, "tile 0/0: does not match the entries"),
        (_edit_checkpoint, "checkpoint at size 261: its note says size 262"),
        (_edit_receipt, "receipt for entry 5: does not match the entry"),
        (_edit_refusal, "does not match its signed note"),
        (_edit_projection, "projections: the live tables differ from a replay"),
        (_edit_blob, "does not match its hash"),
        (_edit_size, "the log claims 263 entries, 262 are stored"),
        (_edit_kind, "entry 10: its kind column says 'ledger.key.revoked'"),
        (_drop_refusal, "refusal 1 is missing: the log signed 1 refusals"),
        (_drop_hosted_key, "the log records it as hosted, but the host does not hold it for BB"),
    ],
    ids=[
        "entry",
        "tile",
        "missing-tile",
        "tile-root",
        "checkpoint",
        "receipt",
        "refusal",
        "projection",
        "blob",
        "size",
        "kind-column",
        "refusal-row",
        "hosted-key",
    ],
)
def test_editing_any_row_or_blob_is_named(
    history: World, tamper: Callable[[], None], named: str
) -> None:
    tamper()
    with pytest.raises(AuditFailure, match=named):
        audit()
