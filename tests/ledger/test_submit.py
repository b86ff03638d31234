"""submit(): what is accepted, what is refused with which code, and that refusing writes nothing."""

import base64
import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from accord.ledger import Rejected, blobs
from accord.ledger.errors import KeyRefused, Malformed, NotAllowed
from accord.ledger.models import (
    ActorSeq,
    Blob,
    Communique,
    Entry,
    LogState,
    Refusal,
    RestrictedBody,
)
from accord.ledger.restricted import commitment_of
from accord.ledger.submit import submit_hosted
from accord.ledger.wire import Submission, parse_submission
from accord.lib import canonical, clock
from accord.tlog import note
from accord.tlog.merkle import leaf_hash
from tests.ledger.world import A_KEY, C_KEY, LOG_KEY, ORIGIN, World


def _log_verifier() -> note.Verifier:
    return note.Verifier(LOG_KEY.vkey)


def test_an_own_key_statement_is_logged_with_a_receipt(world: World) -> None:
    accepted = world.submit(world.communique(seq=1, title="Agenda", text="Minsk, 31 October."))
    row = Entry.objects.get(index=accepted.index)
    assert bytes(row.leaf_hash) == leaf_hash(bytes(row.leaf)) == accepted.leaf_hash
    entry = canonical.parse(bytes(row.leaf))
    assert entry["statement"]["body"] == {"title": "Agenda", "text": "Minsk, 31 October."}
    assert entry["key"] == A_KEY.vkey
    assert entry["logged_at"] == accepted.logged_at
    receipt = note.open(accepted.receipt, [_log_verifier()])
    assert f"index {accepted.index}\n" in receipt.text
    assert Communique.objects.get(entry_index=accepted.index).title == "Agenda"
    assert ActorSeq.objects.get(actor="AA").last_seq == 1
    assert LogState.objects.get().size == accepted.index + 1


def test_a_hosted_key_statement_gets_the_next_seq(world: World) -> None:
    with clock.simulated(world.ticking):
        first = submit_hosted(
            actor="BB", kind="ledger.communique.published", v=1, body={"title": "t", "text": "x"}
        )
        second = submit_hosted(
            actor="BB", kind="ledger.communique.published", v=1, body={"title": "t", "text": "y"}
        )
    assert (first.statement.seq, second.statement.seq) == (1, 2)
    assert second.index == first.index + 1


def _unchanged(
    world: World, attempt: Callable[[], object], code: str, kind: type[Rejected]
) -> Rejected:
    """Run ``attempt``, expect refusal ``code``; the log, the seqs and projections are unchanged."""
    before = (
        Entry.objects.count(),
        list(ActorSeq.objects.values_list("actor", "last_seq")),
        Communique.objects.count(),
    )
    with pytest.raises(kind) as refused:
        attempt()
    assert refused.value.code == code, refused.value.reason
    after = (
        Entry.objects.count(),
        list(ActorSeq.objects.values_list("actor", "last_seq")),
        Communique.objects.count(),
    )
    assert after == before
    refusal = Refusal.objects.order_by("-id").first()
    assert refusal is not None
    assert refusal.code == code
    assert refused.value.note == refusal.note
    opened = note.open(refusal.note, [_log_verifier()])
    assert f"code {code}\n" in opened.text
    return refused.value


def _refused_without_a_row(attempt: Callable[[], object], code: str) -> None:
    """Input nobody provably signed is refused, and no refusal row is owed to it."""
    before = (Entry.objects.count(), Refusal.objects.count())
    with pytest.raises(KeyRefused) as refused:
        attempt()
    assert refused.value.code == code
    assert refused.value.note is None
    assert (Entry.objects.count(), Refusal.objects.count()) == before


def test_a_bad_signature_is_refused_without_a_row(world: World) -> None:
    good = world.communique(seq=1)
    forged = dataclasses.replace(
        good.signed.statement, body={"title": "Agenda", "text": "Changed."}
    )
    tampered = Submission(dataclasses.replace(good.signed, statement=forged))
    _refused_without_a_row(lambda: world.submit(tampered), "bad_signature")


def test_an_unknown_key_is_refused_without_a_row(world: World) -> None:
    stranger = note.Signer(note.generate_key("stranger.example")[0])
    submission = Submission(world.signed(stranger, {"title": "t", "text": "x"}, seq=1))
    _refused_without_a_row(lambda: world.submit(submission), "unknown_key")
    founding = world.signed(stranger, {}, kind="ledger.log.founded", seq=1)
    _refused_without_a_row(lambda: world.submit(Submission(founding)), "unknown_key")


def test_two_different_refused_hosted_acts_have_different_refusal_hashes(world: World) -> None:
    hashes = []
    for code in ("DD", "EE"):
        body = {"party": code, "name": code, "vkey": C_KEY.vkey, "custody": "own"}
        with clock.simulated(world.ticking), pytest.raises(NotAllowed):
            submit_hosted(actor="BB", kind="ledger.party.registered", v=1, body=body)
        asked = {"kind": "ledger.party.registered", "v": 1, "actor": "BB", "by": None}
        expected = hashlib.sha256(canonical.dumps({**asked, "body": body})).hexdigest()
        refusal = Refusal.objects.order_by("-id").first()
        assert refusal is not None
        assert refusal.statement_hash == expected
        hashes.append(refusal.statement_hash)
    assert hashes[0] != hashes[1]


def test_a_refused_restricted_hosted_act_is_hashed_by_its_commitment_only(world: World) -> None:
    with clock.simulated(world.ticking), pytest.raises(Rejected):
        submit_hosted(
            actor="BB",
            kind="ledger.party.registered",
            v=1,
            body={"party": "DD", "name": "secret", "vkey": C_KEY.vkey, "custody": "own"},
            distribution="restricted",
        )
    clear = {"party": "DD", "name": "secret", "vkey": C_KEY.vkey, "custody": "own"}
    asked = {"kind": "ledger.party.registered", "v": 1, "actor": "BB", "by": None}
    in_the_clear = hashlib.sha256(canonical.dumps({**asked, "body": clear})).hexdigest()
    assert Refusal.objects.get().statement_hash != in_the_clear


def test_a_key_of_another_party_is_refused(world: World) -> None:
    submission = Submission(world.signed(A_KEY, {"title": "t", "text": "x"}, actor="CC", seq=1))
    refusal = _unchanged(
        world, lambda: world.submit(submission), "key_of_another_party", KeyRefused
    )
    assert "belongs to AA, not to CC" in refusal.reason


def test_a_revoked_key_is_refused(world: World) -> None:
    new = note.Signer(note.generate_key("aa2.example")[0])
    rotation = world.signed(
        A_KEY,
        {"old": A_KEY.vkey, "new": new.vkey, "custody": "own"},
        kind="ledger.key.rotated",
        seq=1,
    )
    world.submit(Submission(rotation))
    old_key_again = Submission(world.signed(A_KEY, {"title": "t", "text": "x"}, seq=2))
    _unchanged(world, lambda: world.submit(old_key_again), "revoked_key", KeyRefused)
    world.submit(Submission(world.signed(new, {"title": "t", "text": "x"}, seq=2)))


@pytest.mark.parametrize("seq", [1, 3], ids=["replayed", "skipped"])
def test_a_replayed_or_skipped_seq_is_refused(world: World, seq: int) -> None:
    world.submit(world.communique(seq=1))
    refusal = _unchanged(
        world, lambda: world.submit(world.communique(seq=seq)), "bad_seq", KeyRefused
    )
    assert "AA's next sequence number is 2" in refusal.reason


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "t"}, "body field text: Field required"),
        ({"title": "t", "text": "x", "extra": 1}, "body field extra"),
        ({"title": 5, "text": "x"}, "body field title"),
        ({"title": "", "text": "x"}, "body field title"),
    ],
)
def test_a_malformed_body_is_refused(world: World, body: dict[str, object], message: str) -> None:
    submission = Submission(world.signed(A_KEY, body, seq=1))
    refusal = _unchanged(world, lambda: world.submit(submission), "bad_body", Malformed)
    assert message in refusal.reason


def test_an_unknown_kind_or_another_forum_is_refused(world: World) -> None:
    unknown = Submission(world.signed(A_KEY, {"a": 1}, kind="ledger.nothing.happened", seq=1))
    _unchanged(world, lambda: world.submit(unknown), "unknown_kind", Malformed)
    elsewhere = Submission(
        world.signed(A_KEY, {"title": "t", "text": "x"}, seq=1, forum="other.example/log")
    )
    _unchanged(world, lambda: world.submit(elsewhere), "wrong_forum", Malformed)


def _raw(world: World, submission: Submission) -> str:
    return json.dumps(submission.signed.to_json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("mangle", "code"),
    [
        (lambda raw: raw.replace('"seq": 1', '"seq": 1.0'), "float"),
        (lambda raw: raw.replace('"seq": 1,', '"seq": 1, "seq": 1,'), "duplicate_key"),
        (lambda raw: raw.replace("Proposed agenda.", "Caf\u0065\u0301"), "non_nfc"),
        (lambda raw: raw[:-3], "not_json"),
        (lambda raw: raw.replace("Proposed agenda.", "\\u0000"), "nul"),
    ],
)
def test_json_that_cannot_be_signed_canonically_is_refused(
    world: World, mangle: Callable[[str], str], code: str
) -> None:
    raw = mangle(_raw(world, world.communique(seq=1))).encode()
    with pytest.raises(Malformed) as refused:
        parse_submission(raw)
    assert refused.value.code == code


def test_an_oversized_entry_without_a_blob_is_refused(world: World) -> None:
    submission = world.communique(seq=1, text="x" * 70_000)
    _unchanged(world, lambda: world.submit(submission), "too_large", Malformed)


def test_a_large_body_travels_as_a_blob(world: World) -> None:
    text = "The charter's text. " * 5_000
    body = canonical.dumps({"title": "Rev.1", "text": text})
    signed = world.signed(A_KEY, blobs.reference(body), seq=1)
    accepted = world.submit(Submission(signed, body))
    digest = hashlib.sha256(body).hexdigest()
    assert blobs.read(digest) == body
    assert Blob.objects.get(sha256=digest).size == len(body)
    assert Communique.objects.get(entry_index=accepted.index).text == text
    assert len(bytes(Entry.objects.get(index=accepted.index).leaf)) < 1_000


def test_a_blob_that_does_not_match_is_refused(world: World) -> None:
    body = canonical.dumps({"title": "Rev.1", "text": "text"})
    signed = world.signed(A_KEY, blobs.reference(body), seq=1)
    other = canonical.dumps({"title": "Rev.1", "text": "other"})
    _unchanged(world, lambda: world.submit(Submission(signed, other)), "blob_mismatch", Malformed)
    _unchanged(world, lambda: world.submit(Submission(signed)), "blob_missing", Malformed)


def test_a_blob_that_is_not_canonical_json_is_refused(world: World) -> None:
    spaced = b'{"title": "Rev.1", "text": "text"}'
    signed = world.signed(A_KEY, blobs.reference(spaced), seq=1)
    refusal = _unchanged(
        world, lambda: world.submit(Submission(signed, spaced)), "non_canonical", Malformed
    )
    assert "not a canonical JSON body" in refusal.reason


def test_a_restricted_statement_keeps_its_text_beside_the_log(world: World) -> None:
    accepted = world.submit(world.restricted(seq=1, text="Exercise of 9,000 troops."))
    leaf = bytes(Entry.objects.get(index=accepted.index).leaf)
    assert b"troops" not in leaf
    communique = Communique.objects.get(entry_index=accepted.index)
    assert communique.text == "Exercise of 9,000 troops."
    stored = RestrictedBody.objects.get(commitment=communique.commitment)
    assert canonical.parse(bytes(stored.body))["text"] == "Exercise of 9,000 troops."


def test_a_restricted_body_sent_in_the_clear_is_refused(world: World) -> None:
    signed = world.signed(A_KEY, {"title": "t", "text": "secret"}, seq=1, distribution="restricted")
    _unchanged(world, lambda: world.submit(Submission(signed)), "restricted_in_clear", Malformed)


def test_a_restricted_body_must_match_its_commitment(world: World) -> None:
    honest = world.restricted(seq=1, text="one")
    swapped = Submission(
        honest.signed, None, honest.restricted_salt, {"title": "Notification", "text": "two"}
    )
    _unchanged(world, lambda: world.submit(swapped), "commitment_mismatch", Malformed)
    _unchanged(
        world, lambda: world.submit(Submission(honest.signed)), "restricted_missing", Malformed
    )


def test_key_rules(world: World) -> None:
    added = note.Signer(note.generate_key("aa-laptop.example")[0])
    world.submit(
        Submission(
            world.signed(
                A_KEY, {"vkey": added.vkey, "custody": "own"}, kind="ledger.key.added", seq=1
            )
        )
    )
    again = Submission(
        world.signed(A_KEY, {"vkey": added.vkey, "custody": "own"}, kind="ledger.key.added", seq=2)
    )
    _unchanged(world, lambda: world.submit(again), "key_in_use", NotAllowed)
    revoke = {"party": "AA", "vkey": added.vkey, "reason": "laptop retired"}
    world.submit(Submission(world.signed(A_KEY, revoke, kind="ledger.key.revoked", seq=2)))
    last = {"party": "AA", "vkey": A_KEY.vkey, "reason": "no"}
    last_key = Submission(world.signed(A_KEY, last, kind="ledger.key.revoked", seq=3))
    _unchanged(world, lambda: world.submit(last_key), "last_key", NotAllowed)
    others = {"party": "CC", "vkey": C_KEY.vkey, "reason": "not mine"}
    not_mine = Submission(world.signed(A_KEY, others, kind="ledger.key.revoked", seq=3))
    _unchanged(world, lambda: world.submit(not_mine), "not_allowed", NotAllowed)


def test_only_the_secretariat_registers_parties(world: World) -> None:
    body = {"party": "DD", "name": "State D", "vkey": note.generate_key("dd")[1], "custody": "own"}
    attempt = Submission(world.signed(A_KEY, body, kind="ledger.party.registered", seq=1))
    _unchanged(world, lambda: world.submit(attempt), "not_secretariat", NotAllowed)


def test_the_secretariat_revokes_a_lost_key_and_registers_the_party_again(world: World) -> None:
    with clock.simulated(world.ticking):
        submit_hosted(
            actor="secretariat",
            kind="ledger.key.revoked",
            v=1,
            body={"party": "CC", "vkey": C_KEY.vkey, "reason": "the key was lost"},
        )
        replacement = note.Signer(note.generate_key("cc2.example")[0])
        submit_hosted(
            actor="secretariat",
            kind="ledger.party.registered",
            v=1,
            body={"party": "CC", "name": "State C", "vkey": replacement.vkey, "custody": "own"},
        )
    stale = Submission(world.signed(C_KEY, {"title": "t", "text": "x"}, actor="CC", seq=1))
    _unchanged(world, lambda: world.submit(stale), "revoked_key", KeyRefused)
    world.submit(
        Submission(world.signed(replacement, {"title": "t", "text": "x"}, actor="CC", seq=1))
    )


def test_the_log_time_never_goes_backwards(world: World) -> None:
    first = world.submit(world.communique(seq=1))
    world.ticking.moment -= timedelta(hours=1)
    second = world.submit(world.communique(seq=2))
    assert second.logged_at == first.logged_at


def test_a_second_founding_is_refused(world: World) -> None:
    from accord.ledger.actions import found_log  # noqa: PLC0415

    with pytest.raises(NotAllowed) as refused:
        found_log(ORIGIN)
    assert refused.value.code == "already_founded"


def test_blob_references_are_recognised_exactly() -> None:
    digest = "ab" * 32
    assert blobs.parse_reference({"blob": f"sha256:{digest}", "size": 3}) == (digest, 3)
    assert blobs.parse_reference({"blob": f"sha256:{digest}", "size": True}) is None
    assert blobs.parse_reference({"blob": "md5:00", "size": 3}) is None
    assert blobs.parse_reference({"blob": f"sha256:{digest}", "size": 3, "x": 1}) is None


def test_the_commitment_is_over_the_salted_canonical_body() -> None:
    salt = base64.b64encode(b"s").decode()
    expected = hashlib.sha256(canonical.dumps({"body": {"a": 1}, "salt": salt})).hexdigest()
    assert commitment_of(salt, {"a": 1}) == f"sha256:{expected}"
