"""Evidence that the log signed a state digest its own entries do not replay to: the signed
digest, the checkpoint of its size and every entry up to it, replayed in a throw-away
database with Accord's own replay.

Forgeries and files that prove nothing come first; then a host whose projection was edited
behind the log's back, so the digest it signs is not the state its log produces."""

import base64
import hashlib
from dataclasses import replace

import pytest
from django.db import connection

from accord.ledger import digest, evidence
from accord.ledger.models import Checkpoint, Entry
from accord.ledger.signed_notes import state_digest_text
from accord.ledger.state_digest import sign_state_digest
from accord.tlog import merkle, note
from accord.tlog.checkpoint import Checkpoint as CheckpointText
from tests.ledger.world import LOG_KEY, ORIGIN, World

IMPOSTOR = note.Signer(note.format_skey(ORIGIN, hashlib.sha256(b"impostor").digest()))


@pytest.fixture
def history(world: World) -> World:
    world.submit(world.communique(seq=1, title="Agenda", text="Dialogue on Eurasian security."))
    world.submit(world.restricted(seq=2, text="Notification of a military activity."))
    world.submit(world.communique(seq=3, title="Charter", text="Article 1."))
    return world


def _tamper() -> None:
    """What a host could do behind its log's back: edit a page's row in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_communique SET title = %s WHERE title = %s", ["Forged", "Charter"]
        )
        assert cursor.rowcount == 1


def _evidence_of_the_signed_digest() -> evidence.Evidence:
    signed = sign_state_digest()
    return evidence.digest_not_reproduced(
        log_key=LOG_KEY.vkey,
        state_digest=signed.note,
        checkpoint=evidence.Observation(
            Checkpoint.objects.get(size=signed.size).note,
            "https://forum.example/log",
            "2025-02-03T10:00:00Z",
        ),
        entries=[bytes(row.leaf) for row in Entry.objects.order_by("index")],
    )


def _refused(found: evidence.Evidence, complaint: str) -> None:
    with pytest.raises(evidence.EvidenceError, match=complaint):
        evidence.check(found, LOG_KEY.vkey)


def test_a_digest_that_replay_reproduces_is_refused_as_evidence(history: World) -> None:
    _refused(_evidence_of_the_signed_digest(), "reproduces the signed digest .*the digest is true")


def test_a_state_digest_signed_by_another_key_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    forged = note.sign(note.split(found.state_digest or "")[0], IMPOSTOR)
    _refused(replace(found, state_digest=forged), "the state digest does not verify")


def test_a_checkpoint_signed_by_another_key_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    opened = CheckpointText.parse(note.split(found.later.checkpoint)[0])
    forged = evidence.Observation(opened.sign(IMPOSTOR), "https://forum.example/log", None)
    _refused(replace(found, earlier=forged, later=forged), "checkpoint does not verify")


def test_entries_that_do_not_hash_to_the_checkpoint_root_are_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    swapped = (*found.entries[:-2], found.entries[-1], found.entries[-2])
    _refused(replace(found, entries=swapped), "not to the checkpoint's root")
    _refused(
        replace(found, entries=found.entries[:-1]),
        "the checkpoint is of 7 entries, the evidence gives 6",
    )


def test_a_checkpoint_of_another_size_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    shorter = list(found.entries[:-1])
    other = CheckpointText(ORIGIN, len(shorter), merkle.root(shorter)).sign(LOG_KEY)
    observed = evidence.Observation(other, "https://forum.example/log", None)
    _refused(
        replace(found, earlier=observed, later=observed, entries=tuple(shorter)),
        "give the checkpoint of the digest's own tree",
    )


def test_a_digest_of_another_log_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    opened = CheckpointText.parse(note.split(found.later.checkpoint)[0])
    text = state_digest_text(
        "other.example/log", opened.size, opened.root, "00" * 32, "2025-02-03T10:00:00.000000Z"
    )
    _refused(replace(found, state_digest=note.sign(text, LOG_KEY)), "of one log")


def test_entries_that_do_not_replay_prove_nothing(history: World) -> None:
    """Entries that hash to a signed root but would be refused (here a tree the host built
    of junk) say the log is broken, not that its digest is false: refused as this claim."""
    junk = [b'{"not": "an entry"}', b"junk"]
    checkpoint = CheckpointText(ORIGIN, 2, merkle.root(junk)).sign(LOG_KEY)
    text = state_digest_text(ORIGIN, 2, merkle.root(junk), "00" * 32, "2025-02-03T10:00:00Z")
    found = evidence.digest_not_reproduced(
        log_key=LOG_KEY.vkey,
        state_digest=note.sign(text, LOG_KEY),
        checkpoint=evidence.Observation(checkpoint, "here", None),
        entries=junk,
    )
    _refused(found, "the entries do not replay .*entry 0 is not an Accord entry")


def test_a_file_whose_stated_claim_differs_from_what_it_shows_is_refused(history: World) -> None:
    _tamper()
    text = evidence.format(_evidence_of_the_signed_digest()).replace(
        '"claim": "digest-not-reproduced"', '"claim": "different-roots"'
    )
    with pytest.raises(evidence.EvidenceError, match="claims 'different-roots' but"):
        evidence.parse(text)


def test_an_entry_that_is_not_base64_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    text = evidence.format(found).replace(base64.b64encode(found.entries[0]).decode(), "%%")
    with pytest.raises(evidence.EvidenceError, match=r"entries\[0\]: expected the base64"):
        evidence.parse(text)


def test_only_evidence_of_a_digest_may_be_larger_than_four_notes(history: World) -> None:
    _tamper()
    padding = "x" * evidence.MAX_EVIDENCE_BYTES
    text = evidence.format(_evidence_of_the_signed_digest())
    large = text.replace('"format"', f'"padding": "{padding}", "format"', 1)
    assert evidence.parse(large).state_digest is not None
    fork = large.replace('"state_digest"', '"digest_note"')
    with pytest.raises(evidence.EvidenceError, match="at most"):
        evidence.parse(fork)


# The host's digest is false.


def test_a_digest_signed_over_an_edited_projection_is_proven_false(history: World) -> None:
    honest = digest.digest(full=False)
    _tamper()
    written = _evidence_of_the_signed_digest()
    found = evidence.check(written, LOG_KEY.vkey)
    assert found.claim == "digest-not-reproduced"
    assert found.signed_digest == digest.digest(full=False) != honest
    assert found.replayed_digest == honest
    assert found.later.size == Entry.objects.count()
    assert "not the one its log produces" in found.proves


def test_the_file_round_trips_and_still_proves_it(history: World) -> None:
    _tamper()
    written = _evidence_of_the_signed_digest()
    text = evidence.format(written)
    assert '"claim": "digest-not-reproduced"' in text
    assert "reaches the public digest" in text
    parsed = evidence.parse(text)
    assert parsed == written
    assert evidence.check(parsed, LOG_KEY.vkey).claim == "digest-not-reproduced"


def test_a_file_with_a_receipt_and_a_state_digest_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    text = evidence.format(found).replace('"format"', '"receipt": "a receipt", "format"', 1)
    with pytest.raises(evidence.EvidenceError, match="a receipt and a state digest; one claim"):
        evidence.parse(text)
    with pytest.raises(evidence.EvidenceError, match="a receipt and a state digest; one claim"):
        evidence.check(replace(found, receipt="a receipt"), LOG_KEY.vkey)


@pytest.mark.parametrize(
    ("field", "junk", "complaint"),
    [
        ("entries", '"not a list"', "entries: expected a list"),
        ("blobs", '["%%"]', r"blobs\[0\]: expected base64"),
        ("blobs", "{}", "blobs: expected a list"),
    ],
)
def test_entries_and_blobs_that_are_not_base64_lists_are_refused(
    history: World, field: str, junk: str, complaint: str
) -> None:
    _tamper()
    text = evidence.format(_evidence_of_the_signed_digest())
    document = text.replace(f'"{field}": [', f'"{field}": {junk}, "was_{field}": [', 1)
    with pytest.raises(evidence.EvidenceError, match=complaint):
        evidence.parse(document)


def test_a_note_that_is_not_a_state_digest_is_refused(history: World) -> None:
    _tamper()
    found = _evidence_of_the_signed_digest()
    _refused(
        replace(found, state_digest=found.later.checkpoint),
        "the state digest is not an accord-state-digest/v1 note",
    )
