"""``POST /add-checkpoint`` against a real witness process, from a client written from the spec.

One witness, one log (``a.example/log``) it was given the key of; every status the spec
defines is asked for by bytes built here, and each answer is checked as the spec says.
"""

import hashlib
import time
from urllib.parse import urlsplit

import pytest
from cryptography.exceptions import InvalidSignature

from accord.tlog.witness import MAX_REQUEST_BYTES
from tests.witness.conftest import RunningWitness, StartWitness, Witness
from tests.witness.spec_client import (
    MLDSAWitnessKey,
    SpecLog,
    WitnessKey,
    connect,
    post,
    request_body,
    tree_hash,
)


@pytest.fixture
def log() -> SpecLog:
    made = SpecLog("a.example/log")
    made.grow(20)
    return made


@pytest.fixture
def running(witness: Witness, start_witness: StartWitness, log: SpecLog) -> RunningWitness:
    return start_witness(witness.folder, log.vkey)


def test_it_cosigns_a_first_checkpoint_with_a_cosignature_that_verifies(
    witness: Witness, running: RunningWitness, log: SpecLog
) -> None:
    before = int(time.time())
    answer = post(running.url, log.request(0, 5))
    assert (answer.status, answer.content_type) == (200, "text/plain; charset=utf-8")
    lines = answer.body.splitlines(keepends=True)
    assert len(lines) == 2  # Ed25519 cosignature/v1 first, then ML-DSA-44
    assert all(line.endswith("\n") for line in lines)
    stamped = WitnessKey.parse(witness.vkey).timestamp_of(lines[0], log.checkpoint_text(5))
    assert before <= stamped <= int(time.time())
    mldsa = MLDSAWitnessKey.parse(witness.keys[1])
    root = tree_hash(log.leaves[:5])
    assert mldsa.timestamp_of(lines[1], "a.example/log", 5, root) == stamped
    stored = witness.folder / "state" / hashlib.sha256(b"a.example/log").hexdigest()
    assert stored.read_text(encoding="utf-8") == log.checkpoint(5)


def test_a_cosignature_does_not_verify_over_another_checkpoint(
    witness: Witness, running: RunningWitness, log: SpecLog
) -> None:
    answer = post(running.url, log.request(0, 5))
    with pytest.raises(InvalidSignature):
        WitnessKey.parse(witness.vkey).timestamp_of(
            answer.body.splitlines(keepends=True)[0], log.checkpoint_text(6)
        )


def test_it_cosigns_a_consistent_extension_and_the_same_checkpoint_again(
    running: RunningWitness, log: SpecLog
) -> None:
    assert post(running.url, log.request(0, 5)).status == 200
    assert post(running.url, log.request(5, 13)).status == 200
    assert post(running.url, log.request(13, 13)).status == 200
    assert post(running.url, log.request(13, 20)).status == 200


def test_a_stale_old_size_is_409_with_the_stored_size_as_text_x_tlog_size(
    running: RunningWitness, log: SpecLog
) -> None:
    assert post(running.url, log.request(0, 8)).status == 200
    answer = post(running.url, log.request(0, 12))
    assert (answer.status, answer.content_type, answer.body) == (409, "text/x.tlog.size", "8\n")
    answer = post(running.url, log.request(3, 12))
    assert (answer.status, answer.body) == (409, "8\n")


def test_the_same_size_with_another_root_is_409(running: RunningWitness, log: SpecLog) -> None:
    assert post(running.url, log.request(0, 8)).status == 200
    forked = SpecLog(log.origin, private=log.private)
    forked.grow(8, tag="forked")
    answer = post(running.url, forked.request(8, 8))
    assert (answer.status, answer.content_type, answer.body) == (409, "text/x.tlog.size", "8\n")


def test_a_bad_proof_is_422_and_nothing_is_stored(running: RunningWitness, log: SpecLog) -> None:
    assert post(running.url, log.request(0, 8)).status == 200
    honest = log.request(8, 12).decode()
    lines = honest.split("\n")
    lines[1] = "A" * 43 + "="
    assert post(running.url, "\n".join(lines).encode()).status == 422
    assert post(running.url, request_body(0, [], log.checkpoint(12))).body == "8\n"


def test_a_proof_with_old_0_is_422(running: RunningWitness, log: SpecLog) -> None:
    assert post(running.url, request_body(0, [b"\x00" * 32], log.checkpoint(4))).status == 422


def test_a_checkpoint_signed_by_an_unknown_key_is_403(
    running: RunningWitness, log: SpecLog
) -> None:
    impostor = SpecLog(log.origin)
    impostor.grow(4)
    answer = post(running.url, impostor.request(0, 4))
    assert answer.status == 403


def test_an_unknown_origin_is_404(running: RunningWitness) -> None:
    other = SpecLog("b.example/log")
    other.grow(4)
    assert post(running.url, other.request(0, 4)).status == 404


@pytest.mark.parametrize(
    "body",
    [
        b"old x\n\n",
        b"new 0\n\n",
        b"old 01\n\n",
        b"old 0\nnot base64\n\n",
        b"\xff\xfe",
        b"",
    ],
    ids=["size", "keyword", "leading-zero", "proof-line", "not-utf8", "empty"],
)
def test_a_malformed_request_is_400(running: RunningWitness, log: SpecLog, body: bytes) -> None:
    checkpoint = log.checkpoint(4).encode() if body.endswith(b"\n\n") else b""
    assert post(running.url, body + checkpoint).status == 400


def test_an_old_size_beyond_the_checkpoint_is_400(running: RunningWitness, log: SpecLog) -> None:
    assert post(running.url, request_body(9, [], log.checkpoint(4))).status == 400


def test_a_body_over_the_limit_is_413_unread(running: RunningWitness) -> None:
    parts = urlsplit(running.url)
    connection = connect(running.url, 10)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Length", str(MAX_REQUEST_BYTES + 1))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


def test_other_methods_are_405_and_other_paths_404(running: RunningWitness, log: SpecLog) -> None:
    connection = connect(running.url, 10)
    connection.request("GET", "/add-checkpoint")
    response = connection.getresponse()
    assert (response.status, response.getheader("Allow")) == (405, "POST")
    connection.close()
    assert post(running.url.replace("/add-checkpoint", "/"), log.request(0, 4)).status == 404


def test_one_keep_alive_connection_carries_several_requests(
    running: RunningWitness, log: SpecLog
) -> None:
    parts = urlsplit(running.url)
    connection = connect(running.url, 10)
    statuses = []
    for old, new in ((0, 3), (3, 9), (9, 17)):
        connection.request("POST", parts.path, body=log.request(old, new))
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    assert statuses == [200, 200, 200]


def test_sigterm_stops_it_with_a_sentence(running: RunningWitness) -> None:
    assert running.stop() == "Witness stopped.\n"
    assert running.process.returncode == 0
