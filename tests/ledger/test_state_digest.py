"""The log signs its public state digest at exactly a checkpoint's size, once per size, and
serves it at /log/state-digest; a party's node replays to the same digest without a server."""

import base64

import pytest
from django.db import connection
from django.test import Client

from accord.ledger import digest, scratch_replay
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import Checkpoint, Entry, LogState, StateDigest
from accord.ledger.signed_notes import (
    NoteFormatError,
    parse_state_digest,
    state_digest_text,
)
from accord.ledger.state_digest import latest, sign_state_digest
from accord.tlog import SignatureError, note
from tests.ledger.world import LOG_KEY, ORIGIN, World, skey

GOOD = state_digest_text(ORIGIN, 5, b"r" * 32, "ab" * 32, "2025-01-30T09:00:00.000000Z")


def _grown(world: World) -> None:
    world.submit(world.communique(seq=1, title="Agenda", text="Dialogue on Eurasian security."))
    world.submit(world.restricted(seq=2, text="Notification of a military activity."))
    world.submit(world.communique(seq=3, title="Charter", text="Article 1."))


# The parser, which a node runs on whatever a host serves.


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (GOOD.replace("accord-state-digest/v1", "accord-receipt/v1"), "expected an"),
        (GOOD.replace("size 5", "size -1"), "size is not a number"),
        (GOOD.replace("size 5", "size 05"), "size is not a number"),
        (GOOD.replace("size 5", "size five"), "size is not a number"),
        (GOOD.replace("size 5", "index 5"), "expected a 'size' line"),
        (GOOD.replace(base64.b64encode(b"r" * 32).decode(), "cg=="), "root is not"),
        (GOOD.replace(base64.b64encode(b"r" * 32).decode(), "not base64!"), "root is not"),
        (GOOD.replace("ab" * 32, "AB" * 32), "64 lowercase hex"),
        (GOOD.replace("ab" * 32, "ab" * 31), "64 lowercase hex"),
        (GOOD.replace("signed_at 2025-01-30T09:00:00.000000Z", "signed_at "), "gives no time"),
        (GOOD + "extra line\n", "expected an"),
        (GOOD.rstrip("\n"), "expected an"),
    ],
)
def test_the_parser_refuses_a_note_that_is_not_a_state_digest(text: str, complaint: str) -> None:
    with pytest.raises(NoteFormatError, match=complaint):
        parse_state_digest(text)


def test_the_parser_reads_every_field() -> None:
    found = parse_state_digest(GOOD)
    assert (found.origin, found.size, found.root, found.digest, found.signed_at) == (
        ORIGIN,
        5,
        b"r" * 32,
        "ab" * 32,
        "2025-01-30T09:00:00.000000Z",
    )


# Signing, on the host.


def test_a_digest_signed_by_another_key_does_not_open_with_the_log_key(world: World) -> None:
    _grown(world)
    signed = sign_state_digest()
    forged = note.sign(note.split(signed.note)[0], note.Signer(skey("impostor.example")))
    with pytest.raises(SignatureError):
        note.open(forged, [note.Verifier(LOG_KEY.vkey)])


def test_it_signs_the_public_digest_at_the_latest_checkpoint(world: World) -> None:
    _grown(world)
    checkpoint = sign_checkpoint()
    signed = sign_state_digest()
    found = parse_state_digest(note.open(signed.note, [note.Verifier(LOG_KEY.vkey)]).text)
    assert (found.origin, found.size, found.root) == (ORIGIN, checkpoint.size, checkpoint.root)
    assert found.size == LogState.objects.get().size == Entry.objects.count()
    assert found.digest == signed.digest == digest.digest(full=False)
    assert found.digest != digest.digest(full=True)  # the restricted text stays out
    assert found.signed_at == signed.signed_at
    assert latest() == signed


def test_a_log_that_grew_past_its_checkpoint_gets_a_checkpoint_of_the_digests_size(
    world: World,
) -> None:
    _grown(world)
    sign_checkpoint()
    world.submit(world.communique(seq=4, title="Late", text="After the checkpoint."))
    signed = sign_state_digest()
    size = LogState.objects.get().size
    assert signed.size == size
    assert Checkpoint.objects.order_by("-size").first().size == size  # type: ignore[union-attr]


def test_it_signs_once_per_size_and_does_not_read_the_projections_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _grown(world)
    first = sign_state_digest()

    def refused(*, full: bool, alias: str = "default") -> str:
        raise AssertionError("the projections were read again for a size already signed")

    monkeypatch.setattr(digest, "digest", refused)
    again = sign_state_digest()
    assert (again.pk, again.note) == (first.pk, first.note)
    assert StateDigest.objects.count() == 1


def test_each_new_size_gets_its_own_digest(world: World) -> None:
    _grown(world)
    first = sign_state_digest()
    world.submit(world.communique(seq=4, title="More", text="Another communique."))
    second = sign_state_digest()
    assert second.size == first.size + 1
    assert second.digest != first.digest
    assert latest() == second
    assert list(StateDigest.objects.values_list("size", flat=True).order_by("size")) == [
        first.size,
        second.size,
    ]


def test_the_digest_is_read_under_the_log_head_lock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The projections are read inside the transaction that locked the LogState row, so no
    submit (which takes that row first) can commit between the size and the digest."""
    _grown(world)
    seen: list[tuple[bool, int]] = []
    original = digest.digest

    def watched(*, full: bool, alias: str = "default") -> str:
        seen.append((connection.in_atomic_block, LogState.objects.get().size))
        return original(full=full, alias=alias)

    monkeypatch.setattr(digest, "digest", watched)
    signed = sign_state_digest()
    assert seen == [(True, signed.size)]


# Serving.


def test_the_log_serves_the_latest_digest_as_text(client: Client, world: World) -> None:
    _grown(world)
    sign_state_digest()
    world.submit(world.communique(seq=4, title="More", text="Another communique."))
    newest = sign_state_digest()
    response = client.get("/log/state-digest")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == newest.note


def test_before_the_first_digest_it_says_so(client: Client, world: World) -> None:
    response = client.get("/log/state-digest")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("The log has not signed a state digest yet")
    assert StateDigest.objects.count() == 0


def test_only_reading_is_allowed(client: Client, world: World) -> None:
    sign_state_digest()
    assert client.post("/log/state-digest").status_code == 405
    assert StateDigest.objects.count() == 1


# A throw-away replay reaches the host's digest, without touching the host's database.


def test_a_scratch_replay_of_the_entries_reaches_the_signed_digest(world: World) -> None:
    _grown(world)
    signed = sign_state_digest()
    entries = [bytes(row.leaf) for row in Entry.objects.order_by("index")]
    assert scratch_replay.public_digest_of(entries) == signed.digest
    assert Entry.objects.count() == len(entries)  # the host's own rows are untouched
    assert digest.digest(full=False) == signed.digest


def test_a_scratch_replay_names_an_entry_that_would_be_refused(world: World) -> None:
    _grown(world)
    entries = [bytes(row.leaf) for row in Entry.objects.order_by("index")]
    with pytest.raises(scratch_replay.ReplayRefused, match="entry 1"):
        scratch_replay.public_digest_of([entries[0], entries[-1]])
    with pytest.raises(scratch_replay.ReplayRefused, match="entry 1 is not an Accord entry"):
        scratch_replay.public_digest_of([entries[0], b"{}"])
