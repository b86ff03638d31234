"""Running Accord as real processes in tests: the CLI, a submitting worker, a free port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.ledger.conftest import TEST_KEK

ROOT = Path(__file__).resolve().parents[1]


def process_environment(database: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "ACCORD_KEK": TEST_KEK,
        "ACCORD_VAR_DIR": str(tmp_path / "var"),
        "ACCORD_VERIFY_STATE": str(tmp_path / "seen"),
        "PYTHONPATH": str(ROOT),
    }


def run_accord(environment: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def start_worker(environment: dict[str, str], actor: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.worker", actor, str(count)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def found_with_parties(environment: dict[str, str]) -> None:
    run_accord(environment, "log", "init", "--origin", "forum.example/log")
    for code in ("BY", "HU"):
        run_accord(environment, "party", "add", code, "--name", code, "--hosted")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(environment: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """``accord serve`` on a free loopback port, checkpointing every second; and its URL.

    The caller ends it (``terminate`` and ``communicate``), which also collects what it printed.
    """
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port), "--interval", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    return server, f"http://127.0.0.1:{port}"


def wait_until_answering(
    address: str, *, seconds: float = 30, process: "subprocess.Popen[str] | None" = None
) -> None:
    """Return once ``address`` answers; fail after ``seconds``, or at once if ``process``
    (the server being waited for) has exited, with what it printed."""
    deadline = time.monotonic() + seconds
    while True:
        if process is not None:
            assert process.poll() is None, process.communicate()[0]
        try:
            with urllib.request.urlopen(address, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
