"""A host (or whoever holds its database) edits storage; audit and replay must name each edit.

The world: the ledger's test world, five communiqués by A, a blob, two refusals and two
checkpoints. Each test changes one thing a dishonest operator could change without touching
the leaf bytes, and asserts that ``audit`` names that very thing. A cut tail, which storage
alone cannot show, is caught by comparing storage with what was published: a checkpoint a
client saw, and the receipts parties hold.
"""

import json
from pathlib import Path

import pytest
from django.test import Client

from accord.ledger import blobs, queries
from accord.ledger.audit import AuditFailure, Published, audit
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.errors import Rejected
from accord.ledger.models import (
    ActorSeq,
    Blob,
    Checkpoint,
    Communique,
    Entry,
    LogState,
    Receipt,
    Refusal,
)
from accord.ledger.replay import Divergence, replay
from accord.ledger.submit import Accepted
from accord.lib import canonical
from accord.tlog.proof import Receipt as ProofReceipt
from tests.ledger.world import World


@pytest.fixture
def history(world: World) -> list[Accepted]:
    accepted = [world.submit(world.communique(seq=seq, text=f"Item {seq}.")) for seq in (1, 2)]
    sign_checkpoint()
    for seq in (1, 9):  # one reused, one skipping ahead: two refusals
        with pytest.raises(Rejected):
            world.submit(world.communique(seq=seq))
    accepted += [world.submit(world.communique(seq=seq, text=f"Item {seq}.")) for seq in (3, 4, 5)]
    sign_checkpoint()
    return accepted


def _fails(named: str, published: Published | None = None) -> None:
    with pytest.raises(AuditFailure, match=named):
        audit(published=published)


def test_the_untouched_history_passes_the_audit(history: list[Accepted]) -> None:
    result = audit()
    assert (result.entries, result.checkpoints, result.receipts, result.refusals) == (9, 2, 9, 2)


def test_a_changed_kind_column_is_named(history: list[Accepted]) -> None:
    Entry.objects.filter(index=5).update(kind="forum.party.left")
    _fails("entry 5: its kind column says 'forum.party.left', its signed bytes say")


def test_a_changed_actor_column_is_named(history: list[Accepted]) -> None:
    Entry.objects.filter(index=5).update(actor="RU")
    _fails("entry 5: its actor column says 'RU', its signed bytes say 'AA'")


def test_a_changed_seq_column_is_named(history: list[Accepted]) -> None:
    Entry.objects.filter(index=5).update(seq=99999)
    _fails("entry 5: its seq column says 99999, its signed bytes say 2")


def test_a_changed_logged_at_column_is_named(history: list[Accepted]) -> None:
    Entry.objects.filter(index=5).update(logged_at="2030-01-01T00:00:00.000000Z")
    _fails("entry 5: its logged_at column says '2030-01-01T00:00:00.000000Z'")


def test_replay_refuses_the_same_column_tampering(history: list[Accepted]) -> None:
    Entry.objects.filter(index=5).update(kind="forum.party.left", actor="RU", seq=99999)
    with pytest.raises(Divergence, match="entry 5: its kind column says 'forum.party.left'"):
        replay()


def test_a_rewritten_refusal_reason_is_named(history: list[Accepted]) -> None:
    first = Refusal.objects.order_by("id").first()
    assert first is not None
    Refusal.objects.filter(pk=first.pk).update(reason="The party never submitted anything.")
    _fails("refusal 1: its reason column does not match its signed note")


def test_a_rewritten_refusal_time_is_named(history: list[Accepted]) -> None:
    Refusal.objects.filter(number=2).update(refused_at="2030-01-01T00:00:00.000000Z")
    _fails("refusal 2: its refused_at column does not match its signed note")


def test_a_rewritten_refusal_statement_hash_is_named(history: list[Accepted]) -> None:
    Refusal.objects.filter(number=2).update(statement_hash="0" * 64)
    _fails("refusal 2: its statement_hash column does not match its signed note")


def test_a_deleted_refusal_is_named(history: list[Accepted]) -> None:
    Refusal.objects.filter(number=1).delete()
    _fails("refusal 1 is missing: the log signed 2 refusals")


def test_a_deleted_last_refusal_is_named(history: list[Accepted]) -> None:
    Refusal.objects.filter(number=2).delete()
    _fails("refusal 2 is missing: the log signed 2 refusals")


def test_a_duplicated_refusal_is_named(history: list[Accepted]) -> None:
    original = Refusal.objects.get(number=1)
    original.pk = None
    original.save()
    _fails("refusal 1 is stored twice")


def test_a_refusal_renumbered_to_hide_a_deletion_is_named(history: list[Accepted]) -> None:
    Refusal.objects.filter(number=1).delete()
    Refusal.objects.filter(number=2).update(number=1)
    LogState.objects.update(refusals=1)
    _fails("refusal 1: its number column does not match its signed note")


def test_a_deleted_receipt_is_named(history: list[Accepted]) -> None:
    Receipt.objects.filter(entry_id=4).delete()
    _fails("entry 4 has no receipt")


def test_a_deleted_latest_checkpoint_is_named(history: list[Accepted]) -> None:
    Checkpoint.objects.filter(size=9).delete()
    _fails("checkpoints: the log signed 2, 1 are stored; a signed checkpoint was deleted")


def test_a_changed_checkpoint_time_is_named(history: list[Accepted]) -> None:
    Checkpoint.objects.filter(size=9).update(signed_at="2020-01-01T00:00:00.000000Z")
    _fails("checkpoint at size 9: its signed_at column does not match its signed note")


def test_a_changed_last_logged_at_is_named(history: list[Accepted]) -> None:
    LogState.objects.update(last_logged_at="2020-01-01T00:00:00.000000Z")
    _fails("log state: last_logged_at says '2020-01-01T00:00:00.000000Z', the last entry")


def test_a_changed_refusal_count_is_named(history: list[Accepted]) -> None:
    LogState.objects.update(refusals=5)
    _fails("refusal 3 is missing: the log signed 5 refusals")


def test_a_stored_blob_no_entry_refers_to_is_named(history: list[Accepted]) -> None:
    stray = canonical.dumps({"title": "Planted", "text": "Nobody signed this."})
    digest = blobs.write(stray)
    Blob.objects.create(sha256=digest, size=len(stray))
    _fails(f"blob {digest}: stored, but no entry refers to it")


def test_a_blob_file_no_entry_refers_to_is_named_but_not_served(
    history: list[Accepted],
) -> None:
    digest = blobs.write(canonical.dumps({"title": "Planted", "text": "On disk only."}))
    assert audit().stray_blobs == [digest]


def _cut_tail() -> None:
    """Remove the last entry and everything that speaks of it, consistently."""
    Communique.objects.filter(entry_index=8).delete()
    Receipt.objects.filter(entry_id=8).delete()
    Entry.objects.filter(index=8).delete()
    Checkpoint.objects.filter(size=9).delete()
    ActorSeq.objects.filter(actor="AA").update(last_seq=4)
    last = Entry.objects.get(index=7).logged_at
    LogState.objects.update(size=8, last_logged_at=last, checkpoints=1)
    sign_checkpoint()


def test_a_cut_tail_passes_storage_alone_as_documented(history: list[Accepted]) -> None:
    _cut_tail()
    assert audit().entries == 8


def test_a_cut_tail_is_caught_by_a_checkpoint_a_client_saw(history: list[Accepted]) -> None:
    seen = Checkpoint.objects.get(size=9).note
    _cut_tail()
    published = Published(checkpoints=[("seen.txt", seen)])
    _fails(
        "seen.txt: a client saw a checkpoint at size 9, but storage holds only 8 entries",
        published,
    )


def test_a_rewritten_past_is_caught_by_a_checkpoint_a_client_saw(
    history: list[Accepted], world: World
) -> None:
    seen = Checkpoint.objects.get(size=9).note
    _cut_tail()
    world.submit(world.communique(seq=5, text="A different fifth item."))
    published = Published(checkpoints=[("seen.txt", seen)])
    _fails(
        "seen.txt: storage's entries do not reach the root of the checkpoint at size 9", published
    )


def test_a_cut_tail_is_caught_by_a_receipt_a_party_holds(history: list[Accepted]) -> None:
    held = history[-1].receipt
    _cut_tail()
    published = Published(receipts=[("entry-8.txt", held)])
    _fails(
        "entry-8.txt: the log gave a receipt for entry 8, but storage holds only 8 entries",
        published,
    )


def test_a_cut_tail_is_caught_by_a_tlog_proof_a_party_holds(history: list[Accepted]) -> None:
    checkpoint = Checkpoint.objects.get(size=9)
    proof = tuple(queries.hashes_at(9).inclusion_proof(8))
    held = ProofReceipt(8, proof, checkpoint.note).format()
    _cut_tail()
    published = Published(receipts=[("entry-8.proof", held)])
    _fails("entry-8.proof: the log gave a receipt for entry 8, but storage holds only 8", published)


def test_published_pieces_that_match_storage_pass(history: list[Accepted], tmp_path: Path) -> None:
    checkpoint = Checkpoint.objects.get(size=9)
    proof = tuple(queries.hashes_at(9).inclusion_proof(3))
    published = Published(
        checkpoints=[("seen.txt", checkpoint.note)],
        receipts=[
            ("entry-3.proof", ProofReceipt(3, proof, checkpoint.note).format()),
            ("entry-8.txt", history[-1].receipt),
        ],
    )
    result = audit(published=published)
    assert (result.published_checkpoints, result.published_receipts) == (1, 2)


def test_a_receipt_for_another_entry_than_storage_holds_is_named(
    history: list[Accepted], world: World
) -> None:
    held = history[-1].receipt
    _cut_tail()
    world.submit(world.communique(seq=5, text="A different fifth item."))
    published = Published(receipts=[("entry-8.txt", held)])
    _fails(
        "entry-8.txt: entry 8 in storage is not the entry the log gave this receipt for", published
    )


def test_the_audit_command_refuses_a_cut_tail_given_what_was_published(
    history: list[Accepted], tmp_path: Path
) -> None:
    from typer.testing import CliRunner  # noqa: PLC0415

    from accord.cli.main import app  # noqa: PLC0415

    seen_note = Checkpoint.objects.get(size=9).note
    seen = tmp_path / "seen-checkpoint.txt"
    seen.write_text(seen_note)
    held = tmp_path / "receipts"
    held.mkdir()
    (held / "entry-8.txt").write_text(history[-1].receipt)
    runner = CliRunner()
    honest = runner.invoke(app, ["audit", "--checkpoint", str(seen), "--receipts", str(held)])
    assert honest.exit_code == 0, honest.output
    assert "Storage reaches the 1 checkpoints and 1 receipts given." in honest.output
    _cut_tail()
    alone = runner.invoke(app, ["audit"])
    assert alone.exit_code == 0, alone.output
    assert "checked against itself only" in alone.output
    cut = runner.invoke(app, ["audit", "--receipts", str(held)])
    assert cut.exit_code == 1
    assert "the log gave a receipt for entry 8, but storage holds only 8 entries" in " ".join(
        cut.output.split()
    )
    remembered = tmp_path / "verify-record.json"
    remembered.write_text(json.dumps({"format": "accord-verify-state/v2", "checkpoint": seen_note}))
    behind = runner.invoke(app, ["audit", "--checkpoint", str(remembered)])
    assert behind.exit_code == 1
    assert "a client saw a checkpoint at size 9, but storage holds only 8" in " ".join(
        behind.output.split()
    )


def test_the_explorer_shows_what_was_signed_not_a_changed_column(
    history: list[Accepted], client: Client
) -> None:
    signed = Entry.objects.get(index=5)
    Entry.objects.filter(index=5).update(kind="forum.party.left", actor="RU", seq=99999)
    page = client.get("/explorer/5").content.decode()
    listing = client.get("/explorer/").content.decode()
    for shown in (page, listing):
        assert "forum.party.left" not in shown
        assert signed.kind in shown
    assert "99999" not in page
    assert f"{signed.actor} (sequence number {signed.seq})" in page
