"""The log's public HTTP API: byte-exact C2SP where C2SP speaks, and nothing restricted ever."""

import base64
import json

import pytest
from django.test import Client

from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import Checkpoint
from accord.tlog import note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import Tree, leaf_hash, verify_consistency, verify_inclusion
from accord.tlog.proof import Receipt
from accord.tlog.tiles import decode_entries
from tests.ledger.world import LOG_KEY, ORIGIN, World

VERIFIER = note.Verifier(LOG_KEY.vkey)


@pytest.fixture
def grown(world: World) -> World:
    for seq in range(1, 300):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))
    world.submit(world.restricted(seq=300, text="Troop movement near the border."))
    sign_checkpoint()
    return world


def test_key_and_checkpoint(client: Client, grown: World) -> None:
    assert client.get("/log/key").content.decode() == LOG_KEY.vkey + "\n"
    response = client.get("/log/checkpoint")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    checkpoint, _ = open_checkpoint(response.content.decode(), [VERIFIER], ORIGIN)
    assert checkpoint.size == 304


def test_checkpoints_are_one_per_size(grown: World) -> None:
    first = sign_checkpoint()
    assert sign_checkpoint().pk == first.pk
    assert Checkpoint.objects.filter(size=first.size).count() == 1


def test_tiles_and_entry_bundles_rebuild_the_checkpointed_tree(
    client: Client, grown: World
) -> None:
    bundle = client.get("/log/tile/entries/000").content + b""
    leaves = decode_entries(bundle, 256) + decode_entries(
        client.get("/log/tile/entries/001.p/48").content, 48
    )
    tree = Tree()
    for leaf in leaves:
        tree.append(leaf)
    checkpoint, _ = open_checkpoint(client.get("/log/checkpoint").content.decode(), [VERIFIER])
    assert tree.root() == checkpoint.root
    assert client.get("/log/tile/0/000").content == tree.tile(0, 0)
    assert client.get("/log/tile/0/001.p/48").content == tree.tile(0, 1, 48)
    assert client.get("/log/tile/1/000.p/1").content == tree.tile(1, 0, 1)
    assert client.get("/log/tile/0/000")["Cache-Control"].endswith("immutable")


@pytest.mark.parametrize(
    "path",
    [
        "/log/tile/0/001.p/49",
        "/log/tile/0/002",
        "/log/tile/entries/001",
        "/log/tile/0/0001",
        "/log/tile/1/000",
    ],
)
def test_tiles_beyond_the_log_or_misspelt_are_404(client: Client, grown: World, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_entry_comes_with_its_inclusion_proof(client: Client, grown: World) -> None:
    document = client.get("/log/entry/5").json()
    checkpoint, _ = open_checkpoint(document["checkpoint"], [VERIFIER])
    leaf = json.dumps(document["entry"], separators=(",", ":"), ensure_ascii=False).encode()
    proof = [base64.b64decode(h) for h in document["inclusion_proof"]]
    verify_inclusion(leaf_hash(leaf), 5, checkpoint.size, proof, checkpoint.root)
    assert base64.b64decode(document["leaf_hash"]) == leaf_hash(leaf)
    assert client.get("/log/entry/9999").status_code == 404


def test_consistency_proofs(client: Client, grown: World) -> None:
    tree = Tree()
    proof = client.get("/log/proof/consistency/100/304").json()
    checkpoint, _ = open_checkpoint(client.get("/log/checkpoint").content.decode(), [VERIFIER])
    leaves = decode_entries(client.get("/log/tile/entries/000").content)[:100]
    for leaf in leaves:
        tree.append(leaf)
    verify_consistency(
        100, 304, [base64.b64decode(h) for h in proof["proof"]], tree.root(), checkpoint.root
    )
    assert client.get("/log/proof/consistency/0/304").status_code == 404
    assert client.get("/log/proof/consistency/305/306").status_code == 404


def test_a_receipt_is_a_c2sp_tlog_proof(client: Client, grown: World) -> None:
    text = client.get("/log/receipt/7").content.decode()
    entry = client.get("/log/entry/7").json()["entry"]
    leaf = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode()
    checkpoint = Receipt.parse(text).verify(leaf_hash(leaf), [VERIFIER], ORIGIN)
    assert checkpoint.size == 304
    assert client.get("/log/receipt/304").status_code == 404


def test_nothing_restricted_is_ever_served(client: Client, grown: World) -> None:
    served = b"".join(
        client.get(path).content
        for path in ["/log/tile/entries/001.p/48", "/log/entry/303", "/log/receipt/303"]
    )
    assert b"Troop movement" not in served
    assert b"commitment" in served


def test_only_get_is_allowed(client: Client, grown: World) -> None:
    assert client.post("/log/checkpoint").status_code == 405


def test_an_unfounded_log_answers_404(client: Client, db: None) -> None:
    for path in [
        "/log/key",
        "/log/checkpoint",
        "/log/tile/0/000",
        "/log/entry/0",
        "/log/receipt/0",
    ]:
        assert client.get(path).status_code == 404, path


def test_blobs_are_served_by_hash(client: Client, world: World) -> None:
    from accord.ledger import blobs  # noqa: PLC0415
    from accord.ledger.wire import Submission  # noqa: PLC0415
    from accord.lib import canonical  # noqa: PLC0415
    from tests.ledger.world import A_KEY  # noqa: PLC0415

    body = canonical.dumps({"title": "Rev.1", "text": "x" * 70_000})
    world.submit(Submission(world.signed(A_KEY, blobs.reference(body), seq=1), body))
    digest = str(blobs.reference(body)["blob"]).split(":")[1]
    assert client.get(f"/log/blob/{digest}").content == body
    assert client.get(f"/log/blob/{'0' * 64}").status_code == 404
    assert client.get("/log/blob/not-a-hash").status_code == 404
