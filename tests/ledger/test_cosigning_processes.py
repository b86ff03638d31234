"""Collection from real ``accord witness serve`` processes on 127.0.0.1, and a host that
restarts: the cosignatures it collected are still served by the next process.

One witness killed leaves a quorum of one met and the log moving; restarted on its folder,
it goes on from the size it cosigned before, so the host never needs the 409 retry.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.ledger import cosigning
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import WitnessContact
from accord.ledger.witnesses import WitnessEndpoint
from accord.tlog.policy import Policy
from accord.tlog.witness import AddCheckpointRequest
from tests.ledger.witnessing import ForumWitnesses, install, policy_text
from tests.ledger.world import LOG_KEY, World
from tests.processes import ROOT, process_environment, run_accord
from tests.witness.conftest import RunningWitness, accord


@pytest.fixture
def forum() -> Iterator[ForumWitnesses]:
    yield from install(ForumWitnesses())


class Witnesses:
    """``accord witness init`` folders and ``serve`` processes, killed at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[RunningWitness] = []

    def init(self, name: str) -> tuple[Path, tuple[str, ...]]:
        folder = self.folder / name.replace("/", "_")
        done = accord("witness", "init", name, "--out", str(folder))
        assert done.returncode == 0, done.stderr
        return folder, tuple(done.stdout.split())

    def serve(self, folder: Path, *logs: str) -> RunningWitness:
        stderr = self.folder / f"witness-{len(self.running)}.err"
        arguments = [str(folder), "--port", "0", *(a for log in logs for a in ("--log", log))]
        with stderr.open("w") as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", "accord.cli.main", "witness", "serve", *arguments],
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"},
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                cwd=ROOT,
            )
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Witness "), first + stderr.read_text()
        running = RunningWitness(process, first.split()[-1], stderr)
        self.running.append(running)
        return running

    def stop_all(self) -> None:
        for running in self.running:
            if running.process.poll() is None:
                running.kill()
            elif running.process.stdout:
                running.process.stdout.close()


@pytest.fixture
def witnesses(tmp_path: Path) -> Iterator[Witnesses]:
    started = Witnesses(tmp_path)
    yield started
    started.stop_all()


def _prefix(running: RunningWitness) -> str:
    return running.url.removesuffix(cosigning.ADD_CHECKPOINT)


def _grow(world: World, count: int, start: int = 1) -> None:
    for seq in range(start, start + count):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))


def test_the_host_collects_from_witness_processes_and_one_offline_leaves_the_quorum_met(
    world: World, forum: ForumWitnesses, witnesses: Witnesses
) -> None:
    _grow(world, 3)
    made = [witnesses.init(f"{code}.example/witness") for code in ("hu", "kz")]
    served = [witnesses.serve(folder, LOG_KEY.vkey) for folder, _ in made]
    endpoints = [
        WitnessEndpoint(
            f"{code}.example/witness", keys, _prefix(running), code.upper(), counts=True
        )
        for code, (_, keys), running in zip(("hu", "kz"), made, served, strict=True)
    ]
    policy = forum.set(endpoints, quorum="1")
    first = sign_checkpoint()
    collected = cosigning.collect(first)
    assert sorted(collected.cosigned) == ["hu.example/witness", "kz.example/witness"]
    standing = cosigning.standing(first)
    assert standing is not None
    assert standing.met
    witnessing = policy.check(standing.note)
    assert sorted(witnessing.witnesses) == ["hu.example/witness", "kz.example/witness"]
    # Each process answered with its Ed25519 and its ML-DSA-44 line; both were kept.
    assert len(standing.cosignatures) == 4

    served[1].kill()
    _grow(world, 2, start=4)
    second = sign_checkpoint()
    collected = cosigning.collect(second)
    assert collected.cosigned == ("hu.example/witness",)
    assert "could not be reached" in collected.failed["kz.example/witness"]
    assert cosigning.standing(second).met  # type: ignore[union-attr]

    again = witnesses.serve(made[1][0])
    forum.set([endpoints[0], WitnessEndpoint(**{**endpoints[1].__dict__, "url": _prefix(again)})])
    collected = cosigning.collect(second)
    assert collected.cosigned == ("kz.example/witness",)
    contact = WitnessContact.objects.get(name="kz.example/witness")
    assert (contact.cosigned_size, contact.failing_since) == (second.size, "")


def _host(environment: dict[str, str], witnesses_file: Path, *, show: bool) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.ledger.cosigning_host", str(witnesses_file)]
        + (["--show"] if show else []),
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    served: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return served


def test_cosignatures_collected_by_a_worker_round_survive_the_host_restarting(
    tmp_path: Path, witnesses: Witnesses, forum: ForumWitnesses
) -> None:
    environment = process_environment(f"sqlite:///{tmp_path / 'host.sqlite3'}", tmp_path)
    founded = run_accord(environment, "log", "init", "--origin", "forum.example/log")
    log_key = founded.split("Log verifier key: ")[1].split()[0]
    run_accord(environment, "party", "add", "HU", "--name", "Hungary", "--hosted")
    folder, keys = witnesses.init("hu.example/witness")
    running = witnesses.serve(folder, log_key)
    endpoint = WitnessEndpoint("hu.example/witness", keys, _prefix(running), "HU", counts=True)
    text = policy_text([endpoint], "all").replace(LOG_KEY.vkey, log_key)
    witnesses_file = tmp_path / "witnesses.json"
    witnesses_file.write_text(
        json.dumps(
            {
                "policy": text,
                "timeout": 5,
                "endpoints": [{**endpoint.__dict__, "vkeys": list(endpoint.vkeys)}],
            }
        )
    )
    collected = _host(environment, witnesses_file, show=False)
    assert collected["policy"] == "met"
    running.kill()
    restarted = _host(environment, witnesses_file, show=True)
    assert restarted == collected
    witnessing = Policy.parse(text).check(restarted["note"])
    assert witnessing.witnesses == ["hu.example/witness"]
    assert witnessing.met
    body = AddCheckpointRequest.parse("old 0\n\n" + restarted["note"])
    assert body.checkpoint == restarted["note"]
