"""A witness killed with SIGKILL in the middle of a stream of requests, then restarted,
keeps what it cosigned: it refuses a rollback and a fork, and goes on from where it was."""

import hashlib
import threading
import time
from pathlib import Path

from tests.witness.conftest import StartWitness, Witness
from tests.witness.spec_client import SpecLog, post, request_body


def _stored_size(url: str, log: SpecLog) -> int:
    """Ask as a log that lost track would: ``old 0``; a witness that cosigned says 409 N."""
    answer = post(url, request_body(0, [], log.checkpoint(1)))
    assert (answer.status, answer.content_type) == (409, "text/x.tlog.size"), answer
    return int(answer.body)


def _stream(url: str, log: SpecLog, acknowledged: list[int], sent: list[int]) -> None:
    """Cosign 1, 2, 3 … one request after another until the witness stops answering."""
    old = 0
    for size in range(1, len(log.leaves) + 1):
        sent.append(size)
        try:
            answer = post(url, log.request(old, size), timeout=5)
        except OSError:
            return
        assert answer.status == 200, answer
        acknowledged.append(size)
        old = size


def test_a_witness_killed_mid_stream_keeps_its_state_and_refuses_rollback_and_fork(
    witness: Witness, start_witness: StartWitness
) -> None:
    log = SpecLog("a.example/log")
    log.grow(5000)
    first = start_witness(witness.folder, log.vkey)
    acknowledged: list[int] = []
    sent: list[int] = []
    stream = threading.Thread(target=_stream, args=(first.url, log, acknowledged, sent))
    stream.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    first.kill()
    stream.join(timeout=20)
    assert len(acknowledged) >= 30
    assert first.process.returncode == -9

    second = start_witness(witness.folder)
    stored = _stored_size(second.url, log)
    # Everything answered 200 was durable; at most the request in flight went further.
    assert max(acknowledged) <= stored <= max(sent)
    state = witness.folder / "state" / hashlib.sha256(b"a.example/log").hexdigest()
    assert state.read_text(encoding="utf-8") == log.checkpoint(stored)
    assert [p.name for p in state.parent.iterdir()] == [state.name]

    rollback = post(second.url, log.request(stored - 10, stored - 5))
    assert (rollback.status, rollback.body) == (409, f"{stored}\n")
    shorter = post(second.url, request_body(stored, [], log.checkpoint(stored - 1)))
    assert shorter.status == 400
    forked = SpecLog(log.origin, private=log.private, leaves=log.leaves[: stored - 1])
    forked.grow(10, tag="forked")
    same_size = post(second.url, forked.request(stored, stored))
    assert (same_size.status, same_size.body) == (409, f"{stored}\n")
    assert post(second.url, forked.request(stored, stored + 5)).status == 422
    assert _stored_size(second.url, log) == stored
    assert post(second.url, log.request(stored, stored + 7)).status == 200


def test_a_restarted_witness_serves_the_logs_it_was_given_before_and_any_added(
    witness: Witness, start_witness: StartWitness
) -> None:
    one, two = SpecLog("a.example/log"), SpecLog("b.example/log")
    one.grow(10)
    two.grow(10)
    first = start_witness(witness.folder, one.vkey)
    assert post(first.url, one.request(0, 4)).status == 200
    assert post(first.url, two.request(0, 4)).status == 404
    first.stop()
    second = start_witness(witness.folder, two.vkey)
    assert post(second.url, one.request(4, 9)).status == 200
    assert post(second.url, two.request(0, 4)).status == 200
    second.stop()
    kept = (witness.folder / "logs").read_text(encoding="utf-8").splitlines()
    assert [line for line in kept if not line.startswith("#")] == [one.vkey, two.vkey]


def test_a_log_whose_key_name_is_not_its_origin_is_served_under_its_origin(
    witness: Witness, start_witness: StartWitness, tmp_path: Path
) -> None:
    log = SpecLog("go.sum database tree", key_name="sum.example")
    log.grow(6)
    running = start_witness(witness.folder, f"{log.vkey} {log.origin}")
    assert post(running.url, log.request(0, 6)).status == 200
    under_key_name = SpecLog("sum.example", private=log.private)
    under_key_name.grow(6)
    assert post(running.url, under_key_name.request(0, 6)).status == 404
