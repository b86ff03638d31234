"""Submit and replay take one effect step, and judge a key by one rule.

``integrate.take_effect`` is what an admitted entry does to the projections and
the log's state; ``submit`` calls it with the new entry's row and receipt,
replay with None. These tests fail if replay writes an entry's effect by
another road, or if ``authenticate`` and ``submit`` disagree about a key.
"""

from typing import Any

import pytest

from accord.ledger import digest, integrate, registry, replay
from accord.ledger.admission import authenticate
from accord.ledger.errors import KeyRefused
from accord.ledger.models import ActorSeq, Entry, LogState, Receipt, Refusal
from accord.ledger.submit import ingest
from accord.ledger.wire import Submission
from accord.tlog import note
from tests.ledger.world import A_KEY, C_KEY, World

Snapshot = tuple[list[bytes], list[tuple[str, int]], tuple[int, str | None], int, int]


def _history(world: World) -> None:
    world.submit(world.communique(seq=1, title="Agenda", text="Dialogue on Eurasian security."))
    world.submit(world.restricted(seq=2, text="Notification of a military activity."))
    new = note.Signer(note.format_skey("aa2.example", b"\x02" * 32))
    rotation = {"old": A_KEY.vkey, "new": new.vkey, "custody": "own"}
    world.submit(Submission(world.signed(A_KEY, rotation, kind="ledger.key.rotated", seq=3)))
    world.submit(Submission(world.signed(new, {"title": "Charter", "text": "Article 1."}, seq=4)))
    world.submit(
        Submission(world.signed(C_KEY, {"title": "Reply", "text": "Noted."}, actor="CC", seq=1))
    )


def _snapshot() -> Snapshot:
    """Every projection row, the seqs and the log's head, and the counts replay must not touch."""
    state = LogState.objects.get(pk=1)
    return (
        digest.rows(full=True),
        sorted(ActorSeq.objects.values_list("actor", "last_seq")),
        (state.size, state.last_logged_at),
        Entry.objects.count(),
        Receipt.objects.count(),
    )


def _spy_on_effects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Record (index, whether a new entry was appended) for each call of the shared step."""
    calls: list[tuple[int, bool]] = []
    shared = integrate.take_effect

    def recording(
        state: LogState,
        kind: type[registry.Body],
        ctx: registry.Context,
        logged_at: str,
        appended: integrate.Appended | None,
    ) -> None:
        calls.append((ctx.index, appended is not None))
        shared(state, kind, ctx, logged_at, appended)

    monkeypatch.setattr(integrate, "take_effect", recording)
    return calls


def test_submit_and_replay_run_the_same_effect_step_for_every_entry(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Entry.objects.count()
    calls = _spy_on_effects(monkeypatch)
    _history(world)
    size = Entry.objects.count()
    assert calls == [(index, True) for index in range(before, size)]

    calls.clear()
    result = replay.replay()
    assert calls == [(index, False) for index in range(size)]
    assert result.entries == size


def test_replay_of_a_history_made_by_submit_rebuilds_the_same_rows(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(world)
    live = _snapshot()
    rebuilt: list[Snapshot] = []
    roll_back = replay._roll_back

    def capturing(result: replay.Replayed) -> None:
        rebuilt.append(_snapshot())
        roll_back(result)

    monkeypatch.setattr(replay, "_roll_back", capturing)
    result = replay.replay()
    assert rebuilt == [live]
    assert result.full_digest == digest.digest(full=True)
    assert _snapshot() == live


def _signed_by(world: World, case: str) -> Submission:
    body: dict[str, Any] = {"title": "t", "text": "x"}
    if case == "key_of_another_party":
        return Submission(world.signed(A_KEY, body, actor="CC", seq=1))
    new = note.Signer(note.format_skey("aa2.example", b"\x03" * 32))
    rotation = {"old": A_KEY.vkey, "new": new.vkey, "custody": "own"}
    world.submit(Submission(world.signed(A_KEY, rotation, kind="ledger.key.rotated", seq=1)))
    return Submission(world.signed(A_KEY, body, seq=2))


@pytest.mark.parametrize("case", ["key_of_another_party", "revoked_key"])
def test_a_key_authenticate_calls_stale_is_the_key_submit_refuses_with_a_signed_note(
    world: World, case: str
) -> None:
    submission = _signed_by(world, case)
    assert authenticate(submission.signed) is False
    with pytest.raises(KeyRefused) as refused:
        world.submit(submission)
    assert refused.value.code == case
    assert Refusal.objects.get().code == case
    assert refused.value.note is not None


def test_an_unknown_key_is_refused_by_authenticate_and_under_the_lock_alike_without_a_row(
    world: World,
) -> None:
    stranger = note.Signer(note.format_skey("zz.example", b"\x04" * 32))
    submission = Submission(world.signed(stranger, {"title": "t", "text": "x"}, seq=1))
    with pytest.raises(KeyRefused) as advised:
        authenticate(submission.signed)
    with pytest.raises(KeyRefused) as locked:
        ingest([submission])  # skips authenticate: judged by admission under the lock
    assert advised.value.code == locked.value.code == "unknown_key"
    assert locked.value.reason == f"statement 0: {advised.value.reason}"
    assert not Refusal.objects.exists()
    assert not Entry.objects.filter(actor="AA").exists()
