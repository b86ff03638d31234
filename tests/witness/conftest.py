"""Witnesses as real processes on 127.0.0.1: ``accord witness init`` and ``serve``, and a
way to read the URL a witness on port 0 answers at."""

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import ROOT

ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def accord(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *arguments],
        env=ENVIRONMENT,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@dataclass
class RunningWitness:
    process: subprocess.Popen[str]
    url: str
    stderr: Path

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()

    def stop(self) -> str:
        """SIGTERM, then what it printed on stdout after its URL."""
        self.process.send_signal(signal.SIGTERM)
        rest, _ = self.process.communicate(timeout=20)
        return rest


@dataclass(frozen=True)
class Witness:
    folder: Path
    vkey: str
    """The Ed25519 cosignature/v1 key, which ``init`` prints first."""
    keys: tuple[str, ...] = ()
    """Every key ``init`` printed, in its order (ML-DSA-44 after Ed25519)."""


@pytest.fixture
def witness(tmp_path: Path) -> Witness:
    done = accord("witness", "init", "hu.example/witness", "--out", str(tmp_path / "witness"))
    assert done.returncode == 0, done.stderr
    printed = tuple(done.stdout.split())
    return Witness(tmp_path / "witness", printed[0], printed)


StartWitness = Callable[..., RunningWitness]


@pytest.fixture
def start_witness(tmp_path: Path) -> Iterator[StartWitness]:
    """Start ``accord witness serve FOLDER --port 0 [--log KEY …]``; every one started is
    killed at the end of the test if it is still running."""
    started: list[RunningWitness] = []

    def start(folder: Path, *logs: str) -> RunningWitness:
        stderr = tmp_path / f"witness-{len(started)}.err"
        arguments = [str(folder), "--port", "0", *(a for log in logs for a in ("--log", log))]
        with stderr.open("w") as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", "accord.cli.main", "witness", "serve", *arguments],
                env=ENVIRONMENT,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                cwd=ROOT,
            )
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Witness "), first + stderr.read_text()
        running = RunningWitness(process, first.split()[-1], stderr)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.kill()
        elif running.process.stdout:
            running.process.stdout.close()
