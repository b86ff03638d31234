"""Replay rebuilds the same projections from the log alone, and names the entry that breaks it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.ledger import digest
from accord.ledger.models import Entry, RestrictedBody
from accord.ledger.replay import Divergence, replay
from accord.ledger.wire import Submission
from accord.tlog import note
from tests.ledger.world import A_KEY, World

# The full digest of the world after the fixed history below: the same constant
# on SQLite and on PostgreSQL, since the digest depends on natural keys only.
FIXED_FULL = "e742f88e5dc5f5715f779c6d7c16ebc40f2ab29bec130d9d63c5f65a3fb73c8d"


def _fixed_history(world: World) -> None:
    world.submit(world.communique(seq=1, title="Agenda", text="Dialogue on Eurasian security."))
    world.submit(world.restricted(seq=2, text="Notification of a military activity."))
    new = note.Signer(note.format_skey("aa2.example", b"\x02" * 32))
    rotation = {"old": A_KEY.vkey, "new": new.vkey, "custody": "own"}
    world.submit(Submission(world.signed(A_KEY, rotation, kind="ledger.key.rotated", seq=3)))
    world.submit(Submission(world.signed(new, {"title": "Charter", "text": "Article 1."}, seq=4)))


def test_replay_reaches_the_live_digests(world: World) -> None:
    _fixed_history(world)
    live = (digest.digest(full=False), digest.digest(full=True))
    result = replay()
    assert (result.public_digest, result.full_digest) == live
    assert result.entries == Entry.objects.count()
    assert live[0] != live[1]


def test_a_public_replay_reaches_the_public_digest_without_restricted_bodies(world: World) -> None:
    _fixed_history(world)
    public = digest.digest(full=False)
    result = replay(full=False)
    assert result.public_digest == public
    assert result.full_digest == public


def test_replay_changes_nothing(world: World) -> None:
    _fixed_history(world)
    before = digest.rows(full=True)
    replay()
    assert digest.rows(full=True) == before


def test_the_digest_is_the_same_on_every_database(world: World) -> None:
    _fixed_history(world)
    assert digest.digest(full=True) == FIXED_FULL


def test_an_edited_entry_is_named(world: World) -> None:
    _fixed_history(world)
    row = Entry.objects.get(index=4)
    row.leaf = bytes(row.leaf).replace(b"Dialogue", b"Monologue")
    row.save()
    with pytest.raises(Divergence, match="entry 4: its stored leaf hash does not match"):
        replay()


def test_an_entry_whose_hash_was_also_rewritten_fails_its_signature(world: World) -> None:
    from accord.tlog.merkle import leaf_hash  # noqa: PLC0415

    _fixed_history(world)
    row = Entry.objects.get(index=4)
    row.leaf = bytes(row.leaf).replace(b"Dialogue", b"Monologue")
    row.leaf_hash = leaf_hash(bytes(row.leaf))
    row.save()
    with pytest.raises(Divergence, match="entry 4 would be refused: the signature does not match"):
        replay()


def test_a_missing_entry_is_named(world: World) -> None:
    _fixed_history(world)
    from accord.ledger.models import Receipt  # noqa: PLC0415

    Receipt.objects.filter(entry_id=6).delete()
    Entry.objects.filter(index=6).delete()
    with pytest.raises(Divergence, match="entry 6 is missing"):
        replay()


def test_a_changed_restricted_body_is_named(world: World) -> None:
    _fixed_history(world)
    RestrictedBody.objects.update(salt="AAAA")
    with pytest.raises(Divergence, match="commitment"):
        replay()


ACTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("public"),
            st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=40),
        ),
        st.tuples(
            st.just("restricted"),
            st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=40),
        ),
        st.tuples(st.just("blob"), st.integers(40_000, 80_000)),
        st.tuples(st.just("rotate"), st.integers(0, 2**32)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ACTIONS)
def test_random_histories_replay_to_the_live_digest(
    world: World, history: list[tuple[str, object]]
) -> None:
    from django.db import transaction  # noqa: PLC0415

    from accord.ledger import blobs  # noqa: PLC0415
    from accord.lib import canonical  # noqa: PLC0415

    with transaction.atomic():
        signer, seq = A_KEY, 1
        start = Entry.objects.count()
        for action, value in history:
            if action == "public":
                world.submit(
                    Submission(
                        world.signed(signer, {"title": "t", "text": str(value) or "x"}, seq=seq)
                    )
                )
            elif action == "restricted":
                honest = world.restricted(seq=seq, text=str(value))
                resigned = world.signed(
                    signer, honest.signed.statement.body, seq=seq, distribution="restricted"
                )
                world.submit(
                    Submission(resigned, None, honest.restricted_salt, honest.restricted_body)
                )
            elif action == "blob":
                body = canonical.dumps({"title": "big", "text": "y" * int(str(value))})
                world.submit(Submission(world.signed(signer, blobs.reference(body), seq=seq), body))
            else:
                new = note.Signer(
                    note.format_skey("aa.rotated", int(str(value)).to_bytes(32, "big"))
                )
                rotation = {"old": signer.vkey, "new": new.vkey, "custody": "own"}
                try:
                    world.submit(
                        Submission(
                            world.signed(signer, rotation, kind="ledger.key.rotated", seq=seq)
                        )
                    )
                except Exception:  # noqa: BLE001 -- the same key drawn twice is refused; skip it
                    continue
                signer = new
            seq += 1
        assert Entry.objects.count() >= start + 1
        result = replay()
        assert (result.public_digest, result.full_digest) == (
            digest.digest(full=False),
            digest.digest(full=True),
        )
        transaction.set_rollback(True)
