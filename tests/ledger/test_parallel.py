"""Signatures checked on every core before the single writer: same verdicts as one by one."""

import pytest

from accord.ledger import parallel
from accord.ledger.envelope import Entry, SignedStatement, Statement
from accord.ledger.errors import KeyRefused, NotAllowed
from accord.ledger.models import Communique
from accord.ledger.submit import ingest
from accord.ledger.wire import Submission
from accord.lib import clock
from accord.tlog import note
from tests.ledger.world import A_KEY, World

SIGNER = note.Signer(note.format_skey("bulk.example", b"\x07" * 32))


def _signed(seq: int) -> SignedStatement:
    statement = Statement(
        forum="forum.example/log",
        kind="ledger.communique.published",
        v=1,
        actor="AA",
        seq=seq,
        at="2025-01-30T09:00:00.000000Z",
        distribution="public",
        body={"title": "t", "text": f"n{seq}"},
    )
    return SignedStatement(statement, SIGNER.sign(statement.signing_bytes()), SIGNER.vkey)


def test_two_processes_give_the_same_verdicts_as_one() -> None:
    signed = [_signed(seq) for seq in range(1, parallel.CHUNK + 300)]
    forged = SignedStatement(signed[2100].statement, signed[2101].signature, SIGNER.vkey)
    signed[2100] = forged
    leaves = [Entry(s, "2025-01-30T09:00:01.000000Z").to_bytes() for s in signed]
    in_parallel = parallel.check_leaves(leaves, processes=2)
    assert in_parallel == parallel.check_leaves(leaves, processes=1)
    assert [i for i, failure in enumerate(in_parallel) if failure] == [2100]
    assert parallel.check_signed(signed, processes=2) == in_parallel
    assert parallel.workers() >= 1


def test_bulk_ingestion_appends_in_order(world: World) -> None:
    submissions = [world.communique(seq=seq, text=f"Bulk {seq}.") for seq in range(1, 8)]
    with clock.simulated(world.ticking):
        accepted = ingest(submissions, batch=3)
    assert [a.index for a in accepted] == list(range(4, 11))
    assert Communique.objects.filter(text__startswith="Bulk").count() == 7


def test_bulk_ingestion_names_the_statement_refused(world: World) -> None:
    good = world.communique(seq=1)
    bad_signature = Submission(SignedStatement(good.signed.statement, b"\x00" * 64, A_KEY.vkey))
    with pytest.raises(KeyRefused, match="statement 1: the signature does not match"):
        ingest([good, bad_signature])
    body = {"party": "AA", "vkey": A_KEY.vkey, "reason": "x"}
    last_key = Submission(world.signed(A_KEY, body, kind="ledger.key.revoked", seq=2))
    with clock.simulated(world.ticking), pytest.raises(NotAllowed, match="statement 1:"):
        ingest([good, last_key])
