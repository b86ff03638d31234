"""``accord demo`` serves the four parties' witnesses as child processes that stop with it.

Real processes on the loopback: the demo on a free port, its witnesses on four free ports
(``ACCORD_DEMO_WITNESS_PORT``); a witness cosigns the demo log's checkpoint over
tlog-witness; the host collects a quorum of cosignatures, so the checkpoint served meets the
policy; SIGTERM to the demo stops every witness.
"""

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from accord.forum import witness_demo
from accord.tlog import note
from accord.tlog.cosignature import CosignatureVerifier
from tests.processes import ROOT, free_port, free_run, process_environment, wait_until_answering


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _until(check: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen")


def _policy(port: int) -> str | None:
    """The witness policy status the demo serves its checkpoint with."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/log/checkpoint") as answer:
        status: str | None = answer.headers.get("Accord-Witness-Policy")
        return status.split(";")[0].strip() if status else None


def _log_signed(checkpoint: str, origin: str) -> str:
    """The checkpoint as the log signed it, without any cosignature lines the host added."""
    text, _, signatures = checkpoint.partition("\n\n")
    own = [line for line in signatures.splitlines() if line.startswith(f"— {origin} ")]
    return text + "\n\n" + "".join(line + "\n" for line in own)


def test_the_demo_serves_four_witnesses_that_cosign_its_log_and_stop_with_it(
    tmp_path: Path,
) -> None:
    first = free_run(4)
    environment = process_environment(f"sqlite:///{tmp_path / 'demo.sqlite3'}", tmp_path)
    environment[witness_demo.PORT_VARIABLE] = str(first)
    port = free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "demo", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/log/checkpoint", seconds=120, process=demo)
        ports = range(first, first + 4)
        _until(lambda: all(_listening(one) for one in ports), "four witnesses listening")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/log/checkpoint") as answer:
            checkpoint = answer.read().decode()
        origin = checkpoint.split("\n", 1)[0]
        request = urllib.request.Request(
            f"http://127.0.0.1:{first}/add-checkpoint",
            data=b"old 0\n\n" + _log_signed(checkpoint, origin).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            lines = answer.read().decode().splitlines()
        belarus = witness_demo.witnesses(first)[0]
        verifier = CosignatureVerifier(belarus.vkeys[0])
        cosigned = note.open(_log_signed(checkpoint, origin) + lines[0] + "\n", [verifier])
        assert [one.name for one in cosigned.signatures] == [belarus.name]
        _until(lambda: _policy(port) == "met", "a checkpoint that meets the policy", 60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/log/checkpoint") as answer:
            served = answer.read().decode()
        names = {one.name for one in witness_demo.witnesses(first)}
        cosigners = {line.split()[1] for line in served.splitlines() if line.startswith("— ")}
        assert len(names & cosigners) >= 3  # a majority of the five participating parties
        folder = tmp_path / "var" / "demo" / "witnesses" / "by"
        assert (folder / "witness.pub").read_text(encoding="utf-8").split() == belarus.vkeys
    finally:
        demo.send_signal(signal.SIGTERM)
        printed, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, printed
    assert "Witness of KZ (kz.witness.demo)" in printed
    _until(lambda: not any(_listening(one) for one in ports), "every witness stopped", 20)
