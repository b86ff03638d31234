"""Evidence that the log dropped an entry it gave a receipt for: the receipt, a later
checkpoint, and the other leaf that checkpoint's tree holds at the receipt's index.

The junk and forgeries a host or a careless node could put in such a file come first; then
a real log whose host drops a party's communiqué after receipting it."""

import hashlib
from dataclasses import replace

import pytest

from accord.ledger import evidence
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import Entry, Receipt
from accord.ledger.signed_notes import receipt_text
from accord.tlog import merkle, note
from accord.tlog.checkpoint import Checkpoint
from tests.ledger.world import LOG_KEY, ORIGIN, World

# The impostor signs under the log's own key name, so only the key tells them apart.
IMPOSTOR = note.Signer(note.format_skey(ORIGIN, hashlib.sha256(b"impostor").digest()))
DROPPED = 4  # AA's second communiqué


def _leaves() -> list[bytes]:
    return [bytes(row.leaf) for row in Entry.objects.order_by("index")]


@pytest.fixture
def history(world: World) -> World:
    for seq in range(1, 5):
        world.submit(world.communique(seq=seq, title=f"Communiqué {seq}", text=f"Text {seq}."))
    sign_checkpoint()
    return world


def _dropped(leaves: list[bytes], signer: note.Signer = LOG_KEY) -> evidence.Evidence:
    """The later tree a host shows after dropping entry DROPPED and shifting the rest down."""
    later = [*leaves[:DROPPED], *leaves[DROPPED + 1 :], b"a later entry", b"and another"]
    checkpoint = Checkpoint(ORIGIN, len(later), merkle.root(later)).sign(signer)
    return evidence.missing_entry(
        log_key=LOG_KEY.vkey,
        receipt=Receipt.objects.get(entry_id=DROPPED).note,
        later=evidence.Observation(checkpoint, "https://forum.example/log", "2025-02-03T10:00:00Z"),
        served_leaf=merkle.leaf_hash(later[DROPPED]),
        inclusion_proof=tuple(merkle.inclusion_proof(later, DROPPED)),
    )


def _refused(found: evidence.Evidence, complaint: str) -> None:
    with pytest.raises(evidence.EvidenceError, match=complaint):
        evidence.check(found, LOG_KEY.vkey)


def test_a_receipt_signed_by_another_key_is_refused(history: World) -> None:
    found = _dropped(_leaves())
    forged = note.sign(note.split(found.receipt or "")[0], IMPOSTOR)
    _refused(replace(found, receipt=forged), "the receipt does not verify with the log key")


def test_a_later_checkpoint_signed_by_another_key_is_refused(history: World) -> None:
    _refused(_dropped(_leaves(), IMPOSTOR), "the later checkpoint does not verify")


def test_a_receipt_of_another_log_is_refused(history: World) -> None:
    found = _dropped(_leaves())
    other = receipt_text("other.example/log", DROPPED, b"h" * 32, "2025-01-30T09:00:09.000000Z")
    _refused(replace(found, receipt=note.sign(other, LOG_KEY)), "of one log")


def test_a_note_that_is_not_a_receipt_is_refused(history: World) -> None:
    found = _dropped(_leaves())
    checkpoint = sign_checkpoint().note
    _refused(replace(found, receipt=checkpoint), "not an accord-receipt/v1 note")


def test_an_inclusion_proof_that_does_not_verify_is_refused(history: World) -> None:
    found = _dropped(_leaves())
    bent = (hashlib.sha256(b"bent").digest(), *found.inclusion_proof[1:])
    _refused(replace(found, inclusion_proof=bent), "inclusion proof does not verify")
    _refused(
        replace(found, served_leaf=merkle.leaf_hash(b"never served")),
        "inclusion proof does not verify",
    )


def test_a_tree_that_holds_the_receipted_leaf_proves_nothing(history: World) -> None:
    leaves = _leaves()
    honest = sign_checkpoint()
    found = evidence.missing_entry(
        log_key=LOG_KEY.vkey,
        receipt=Receipt.objects.get(entry_id=DROPPED).note,
        later=evidence.Observation(honest.note, "https://forum.example/log", None),
        served_leaf=merkle.leaf_hash(leaves[DROPPED]),
        inclusion_proof=tuple(merkle.inclusion_proof(leaves, DROPPED)),
    )
    _refused(found, "holds the receipt's entry at index 4; nothing is missing")


def test_a_checkpoint_too_small_to_reach_the_receipt_proves_nothing(history: World) -> None:
    leaves = _leaves()[:DROPPED]
    small = Checkpoint(ORIGIN, len(leaves), merkle.root(leaves)).sign(LOG_KEY)
    dropped = _dropped(_leaves())
    found = evidence.missing_entry(
        log_key=LOG_KEY.vkey,
        receipt=dropped.receipt or "",
        later=evidence.Observation(small, "https://forum.example/log", None),
        served_leaf=dropped.served_leaf or b"",
        inclusion_proof=dropped.inclusion_proof,
    )
    _refused(found, "does not reach yet")


def test_evidence_against_another_key_is_refused(history: World) -> None:
    with pytest.raises(evidence.EvidenceError, match="not the key the evidence names"):
        evidence.check(_dropped(_leaves()), IMPOSTOR.vkey)


def test_a_file_whose_stated_claim_differs_from_what_it_shows_is_refused(history: World) -> None:
    text = evidence.format(_dropped(_leaves())).replace(
        '"claim": "missing-entry"', '"claim": "rewind"'
    )
    with pytest.raises(evidence.EvidenceError, match="claims 'rewind' but"):
        evidence.parse(text)


def test_a_file_with_a_served_leaf_that_is_not_a_hash_is_refused(history: World) -> None:
    text = evidence.format(_dropped(_leaves()))
    served = evidence.parse(text).served_leaf or b""
    junk = text.replace(evidence._b64(served), "bm90IGEgaGFzaA==")
    with pytest.raises(evidence.EvidenceError, match="served leaf: expected a base64 32-byte"):
        evidence.parse(junk)


# The host drops a receipted entry.


def test_a_dropped_receipted_entry_is_proven(history: World) -> None:
    found = evidence.check(_dropped(_leaves()), LOG_KEY.vkey)
    assert (found.claim, found.origin, found.index) == ("missing-entry", ORIGIN, DROPPED)
    assert found.later.size == Entry.objects.count() + 1
    assert "dropped or replaced an entry it had accepted" in found.proves
    assert found.earlier == found.later


def test_the_file_round_trips_and_still_proves_it(history: World) -> None:
    written = _dropped(_leaves())
    text = evidence.format(written)
    assert '"claim": "missing-entry"' in text
    assert '"earlier"' not in text
    parsed = evidence.parse(text)
    assert parsed == written
    assert evidence.check(parsed, LOG_KEY.vkey).claim == "missing-entry"


def test_a_served_leaf_that_is_not_a_hash_is_refused_by_check(history: World) -> None:
    found = _dropped(_leaves())
    _refused(replace(found, served_leaf=b"short"), "no 32-byte leaf hash served at the index")
