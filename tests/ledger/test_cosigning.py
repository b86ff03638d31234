"""The host collects cosignatures: what a junk, lying, slow or broken witness can and cannot
do to the log, and what an honest quorum of witnesses gives every reader.

Witnesses here run in threads on 127.0.0.1: real ``accord.witness`` servers, and scripted
ones that answer as a hostile or broken witness would. The processes test beside this one
(``test_cosigning_processes``) collects from ``accord witness serve`` processes.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from accord.ledger import cosigning, witnesses
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import Checkpoint, Cosignature, LogState, WitnessContact
from accord.ledger.witnesses import WitnessEndpoint, Witnesses
from accord.tlog import note
from accord.tlog.cosignature import Cosigner
from accord.tlog.policy import Policy
from accord.tlog.witness import SIZE_CONTENT_TYPE, AddCheckpointRequest, WitnessResponse
from tests.ledger.witnessing import (
    ForumWitnesses,
    RealWitness,
    Script,
    ThreadedWitness,
    install,
    real_witness,
    scripted_witness,
)
from tests.ledger.world import LOG_KEY, World, skey


@pytest.fixture
def forum() -> Iterator[ForumWitnesses]:
    yield from install(ForumWitnesses())


@pytest.fixture
def running() -> Iterator[list[ThreadedWitness]]:
    started: list[ThreadedWitness] = []
    yield started
    for witness in started:
        witness.close()


def _grow(world: World, count: int, start: int = 1) -> None:
    for seq in range(start, start + count):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))


def _real(running: list[ThreadedWitness], name: str, **options: object) -> RealWitness:
    witness = real_witness(name, **options)  # type: ignore[arg-type]
    running.append(witness.running)
    return witness


def _scripted(
    running: list[ThreadedWitness], name: str, script: Script
) -> tuple[WitnessEndpoint, list[bytes]]:
    threaded, server = scripted_witness(script)
    running.append(threaded)
    key = Cosigner(skey(name))
    return WitnessEndpoint(name, (key.vkey,), threaded.prefix, "CC", counts=True), server.bodies


def _contact(name: str) -> WitnessContact:
    return WitnessContact.objects.get(name=name)


# -- adversarial first -------------------------------------------------------------------------


def test_a_witness_answering_junk_stores_nothing_and_is_recorded_as_failing(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    junk, _ = _scripted(running, "junk", lambda _: WitnessResponse(200, "<html>ok</html>\n"))
    forum.set([junk])
    collected = cosigning.collect(sign_checkpoint())
    assert collected.cosigned == ()
    assert Cosignature.objects.count() == 0
    contact = _contact("junk")
    assert "which is not cosignatures" in contact.last_error
    assert contact.failing_since
    assert contact.cosigned_size == 0


def test_a_valid_cosignature_under_a_key_the_witness_was_not_registered_with_is_not_kept(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    impostor = Cosigner(skey("impostor"))

    def cosign_with_another_key(body: bytes) -> WitnessResponse:
        text, _ = note.split(AddCheckpointRequest.parse(body).checkpoint)
        return WitnessResponse(200, impostor.cosign(text, int(time.time())))

    endpoint, _ = _scripted(running, "honest", cosign_with_another_key)
    forum.set([endpoint])
    cosigning.collect(sign_checkpoint())
    assert Cosignature.objects.count() == 0
    assert _contact("honest").last_error == (
        "cosigned with a key it was not registered with (impostor)"
    )


def test_a_forged_line_under_the_registered_key_is_not_kept_even_beside_a_good_one(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    key = Cosigner(skey("forger"))
    other = sign_checkpoint()

    def good_then_forged(body: bytes) -> WitnessResponse:
        text, _ = note.split(AddCheckpointRequest.parse(body).checkpoint)
        good = key.cosign(text, 1_700_000_000)
        # The same key's line with one bit of its signature flipped: well formed, not valid.
        _, (line,) = note.split(text + "\n" + good)
        flipped = line.signature[:-1] + bytes([line.signature[-1] ^ 1])
        forged = note.Signature(line.name, line.key_id, flipped).line()
        return WitnessResponse(200, good + forged)

    endpoint, _ = _scripted(running, "forger", good_then_forged)
    forum.set([endpoint])
    cosigning.collect(other)
    assert Cosignature.objects.count() == 0
    assert _contact("forger").last_error == "sent a cosignature by forger that does not verify"


def test_a_witness_answering_500_is_failing_since_its_first_failure_and_recovers(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    broken = {"yes": True}
    honest = Cosigner(skey("flaky"))

    def flaky(body: bytes) -> WitnessResponse:
        if broken["yes"]:
            return WitnessResponse(500, "the witness's state cannot be read\n")
        text, _ = note.split(AddCheckpointRequest.parse(body).checkpoint)
        return WitnessResponse(200, honest.cosign(text, int(time.time())))

    endpoint, _ = _scripted(running, "flaky", flaky)
    forum.set([endpoint])
    cosigning.collect(sign_checkpoint())
    first = _contact("flaky")
    assert first.last_error == "answered 500: the witness's state cannot be read"
    _grow(world, 2, start=4)
    latest = sign_checkpoint()
    collected = cosigning.collect(latest)
    assert collected.started_failing == ()
    second = _contact("flaky")
    assert second.failing_since == first.failing_since
    broken["yes"] = False
    cosigning.collect()
    recovered = _contact("flaky")
    assert (recovered.last_error, recovered.failing_since) == ("", "")
    assert recovered.cosigned_size == latest.size
    assert Cosignature.objects.get().checkpoint == latest


def test_a_witness_holding_another_size_is_asked_again_from_the_size_it_gave(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    witness = _real(running, "hu.example/witness")
    forum.set([witness.endpoint()])
    first = sign_checkpoint()
    cosigning.collect(first)
    # The host loses track (a restored backup): it asks from 0, the witness says 3.
    WitnessContact.objects.update(cosigned_size=0)
    _grow(world, 4, start=4)
    latest = sign_checkpoint()
    collected = cosigning.collect(latest)
    assert collected.cosigned == ("hu.example/witness",)
    retried = AddCheckpointRequest.parse(witness.service.requests[-1])
    assert (retried.old_size, len(retried.proof) > 0) == (first.size, True)
    first_try = AddCheckpointRequest.parse(witness.service.requests[-2])
    assert first_try.old_size == 0
    assert _contact("hu.example/witness").cosigned_size == latest.size


def test_a_witness_that_saw_a_larger_tree_is_not_asked_again_and_says_so(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    endpoint, bodies = _scripted(
        running, "ahead", lambda _: WitnessResponse(409, "90\n", SIZE_CONTENT_TYPE)
    )
    forum.set([endpoint])
    checkpoint = sign_checkpoint()
    cosigning.collect(checkpoint)
    assert len(bodies) == 1
    contact = _contact("ahead")
    assert f"beyond this checkpoint's size {checkpoint.size}" in contact.last_error
    assert contact.cosigned_size == 0


def test_a_hung_witness_costs_the_round_its_timeout_and_the_log_keeps_signing_and_serving(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 3)

    def hang(_: bytes) -> WitnessResponse:
        time.sleep(20)
        return WitnessResponse(500, "too late\n")

    hung, _ = _scripted(running, "hung", hang)
    honest = _real(running, "kz.example/witness")
    forum.set([hung, honest.endpoint("KZ")], quorum="2", timeout=0.5)
    started = time.monotonic()
    collected = cosigning.collect(sign_checkpoint())
    assert time.monotonic() - started < 2.5
    assert collected.failed == {"hung": "did not answer within 0.5 seconds"}
    assert collected.cosigned == ("kz.example/witness",)
    _grow(world, 2, start=4)
    newer = sign_checkpoint()
    assert newer.size == collected.checkpoint.size + 2  # type: ignore[union-attr]
    response = client.get("/log/checkpoint")
    assert response.status_code == 200
    assert response.content.decode().startswith(newer.note)
    assert response["Accord-Witness-Policy"] == "unmet"
    assert response["Accord-Witnesses-Missing"] == "hung kz.example/witness"


def test_a_checkpoint_is_served_with_only_the_log_signature_before_any_witness_answers(
    world: World, forum: ForumWitnesses, client: Client
) -> None:
    _grow(world, 3)
    checkpoint = sign_checkpoint()
    forum.set(
        [WitnessEndpoint("far", (Cosigner(skey("far")).vkey,), "http://x", "CC", counts=True)]
    )
    response = client.get("/log/checkpoint")
    assert response.content.decode() == checkpoint.note
    assert response["Accord-Witness-Policy"] == "unmet"
    assert response["Accord-Witnesses-Missing"] == "far"


# -- what honest witnesses give ----------------------------------------------------------------


def test_the_served_checkpoint_carries_every_verified_cosignature_and_meets_the_policy(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 5)
    one = _real(running, "hu.example/witness", mldsa=True)
    two = _real(running, "kz.example/witness")
    policy = forum.set([one.endpoint("HU"), two.endpoint("KZ")], quorum="all")
    checkpoint = sign_checkpoint()
    collected = cosigning.collect(checkpoint)
    assert set(collected.cosigned) == {"hu.example/witness", "kz.example/witness"}
    response = client.get("/log/checkpoint")
    assert response["Accord-Witness-Policy"] == "met"
    assert "Accord-Witnesses-Missing" not in response
    served = response.content.decode()
    witnessing = policy.check(served)
    assert witnessing.met
    assert sorted(witnessing.witnesses) == ["hu.example/witness", "kz.example/witness"]
    opened = note.open(served, [note.Verifier(LOG_KEY.vkey)])
    assert [s.name for s in opened.signatures] == ["forum.example/log"]
    assert len(opened.unverified) == 3  # Ed25519 and ML-DSA-44 from one, Ed25519 from two
    assert sorted(Cosignature.objects.values_list("algorithm", flat=True)) == [
        "ed25519",
        "ed25519",
        "ml-dsa-44",
    ]
    assert _contact("kz.example/witness").cosigned_size == checkpoint.size


def test_a_later_round_asks_only_the_witnesses_still_missing(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness]
) -> None:
    _grow(world, 3)
    one = _real(running, "hu.example/witness")
    late = {"down": True}
    key = Cosigner(skey("late"))

    def late_witness(body: bytes) -> WitnessResponse:
        if late["down"]:
            return WitnessResponse(503, "starting\n")
        text, _ = note.split(AddCheckpointRequest.parse(body).checkpoint)
        return WitnessResponse(200, key.cosign(text, int(time.time())))

    endpoint, bodies = _scripted(running, "late", late_witness)
    forum.set([one.endpoint(), endpoint])
    cosigning.collect(sign_checkpoint())
    late["down"] = False
    collected = cosigning.collect()
    assert collected.asked == ("late",)
    assert len(one.service.requests) == 1
    assert len(bodies) == 2
    assert cosigning.collect().asked == ()


def test_the_latest_checkpoint_is_served_even_with_fewer_cosignatures_than_an_older_one(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 3)
    witness = _real(running, "hu.example/witness")
    forum.set([witness.endpoint()])
    cosigning.collect(sign_checkpoint())
    _grow(world, 1, start=4)
    newest = sign_checkpoint()
    response = client.get("/log/checkpoint")
    assert response.content.decode() == newest.note
    assert response["Accord-Witness-Policy"] == "unmet"


def test_the_witness_policy_is_served_as_text_and_its_absence_in_words(
    db: None, forum: ForumWitnesses, client: Client
) -> None:
    missing = client.get("/log/witness-policy")
    assert missing.status_code == 404
    assert b"no witness policy" in missing.content
    assert missing["Content-Type"] == "text/plain; charset=utf-8"
    endpoint = WitnessEndpoint("w", (Cosigner(skey("w")).vkey,), "http://x", "CC", counts=True)
    forum.set([endpoint])
    served = client.get("/log/witness-policy")
    assert served["Content-Type"] == "text/plain; charset=utf-8"
    assert Policy.parse(served.content.decode()).witnesses[0].name == "w"


def test_a_forum_without_witnesses_serves_the_bare_checkpoint_with_no_policy(
    world: World, forum: ForumWitnesses, client: Client
) -> None:
    _grow(world, 2)
    checkpoint = sign_checkpoint()
    assert cosigning.collect(checkpoint).asked == ()
    response = client.get("/log/checkpoint")
    assert response.content.decode() == checkpoint.note
    assert response["Accord-Witness-Policy"] == "none"


def test_a_worker_round_signs_and_collects_and_a_broken_witness_source_stops_neither_log_nor_mail(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    from accord.cli.worker import run_round  # noqa: PLC0415 -- the CLI module needs Django set up

    _grow(world, 2)
    witness = _real(running, "hu.example/witness")
    forum.set([witness.endpoint("HU")])
    run_round()
    assert client.get("/log/checkpoint")["Accord-Witness-Policy"] == "met"
    _grow(world, 1, start=3)

    def broken() -> Witnesses:
        raise RuntimeError("the forum's tables are being migrated")

    witnesses._SOURCES[:] = [broken]
    delivered = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("accord.ledger.outbox.deliver", lambda: delivered.append(True))
        run_round()
    assert delivered == [True]
    newest = Checkpoint.objects.order_by("-size").values_list("size", flat=True).first()
    assert newest == LogState.objects.get().size


def test_the_worker_asks_witnesses_in_a_thread_of_its_own_so_a_hung_one_delays_no_checkpoint(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    import threading  # noqa: PLC0415

    from accord.cli import worker  # noqa: PLC0415 -- the CLI module needs Django set up

    def hang(_: bytes) -> WitnessResponse:
        time.sleep(20)
        return WitnessResponse(500, "too late\n")

    hung, asked = _scripted(running, "hung", hang)
    forum.set([hung], quorum="1", timeout=30)
    _grow(world, 2)
    worker.run_round(collect=False)
    assert asked == []
    assert Checkpoint.objects.order_by("-size").first().size == LogState.objects.get().size  # type: ignore[union-attr]
    assert client.get("/log/state-digest").status_code == 200

    seen: dict[str, set[str]] = {"round": set(), "witnesses": set()}
    stop = threading.Event()

    def round_(*, collect: bool = True) -> None:
        assert collect is False
        seen["round"].add(threading.current_thread().name)
        if len(seen["round"]) and seen["witnesses"]:
            stop.set()

    def collect_round(size: int | None = None) -> None:
        seen["witnesses"].add(threading.current_thread().name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "run_round", round_)
        patch.setattr(worker, "collect_round", collect_round)
        patch.setattr("django.db.close_old_connections", lambda: None)
        timer = threading.Timer(10, stop.set)
        timer.start()
        worker.run_rounds(stop, 0)
        timer.cancel()
    assert seen["witnesses"] == {"witnesses"}
    assert threading.current_thread().name in seen["round"]


def test_an_exported_log_carries_the_cosigned_checkpoint_its_policy_and_state_digest(
    world: World,
    forum: ForumWitnesses,
    running: list[ThreadedWitness],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.ledger.export import export  # noqa: PLC0415
    from accord.ledger.state_digest import sign_state_digest  # noqa: PLC0415
    from accord.ledger.verify import verify_log  # noqa: PLC0415

    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))
    _grow(world, 3)
    witness = _real(running, "hu.example/witness")
    policy = forum.set([witness.endpoint("HU")], quorum="1")
    signed = sign_state_digest()
    cosigning.collect()
    folder = tmp_path / "log"
    export(folder, Checkpoint.objects.get(size=signed.size))
    served = (folder / "checkpoint").read_text()
    assert policy.check(served).met
    assert (folder / "state-digest").read_text() == signed.note
    assert Policy.parse((folder / "witness-policy").read_text()) == policy
    verified = verify_log(str(folder), log_key=LOG_KEY.vkey, policy=policy)
    assert verified.quorum is not None
    assert verified.quorum.met
