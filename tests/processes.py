"""Running Accord as real processes in tests: the CLI, a submitting worker, a free port."""

import itertools
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


# Ports for the servers the tests start, drawn below the kernel's ephemeral range (which
# starts at 32768 unless configured lower), so that no outgoing connection (an HTTP client's, a
# database connection's) can take one between the probe and the server's bind; each
# pytest-xdist worker draws from a slice of its own, each port once a round of its slice, so
# neither two workers nor two servers of one test are handed the same port.
_FIRST_PORT = 20000
_SLICE = 1000
_SLICES = 12
_drawn = itertools.count()


def free_run(count: int) -> int:
    """The first of ``count`` consecutive ports that are free now and handed to no one else."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    base = _FIRST_PORT + (int(worker or 0) % _SLICES) * _SLICE
    for _attempt in range(_SLICE):
        first = next(_drawn) % _SLICE
        for _skip in range(count - 1):
            next(_drawn)
        if first + count > _SLICE:
            continue
        if all(_bindable(base + first + offset) for offset in range(count)):
            return base + first
    raise AssertionError(f"no {count} free ports in {base}-{base + _SLICE - 1}")


def free_port() -> int:
    """A port that is free now and handed to no other server the tests start."""
    return free_run(1)


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


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
