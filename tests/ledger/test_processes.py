"""Real processes on a file database: racing writers never fork the log, and SIGKILL loses nothing.

Runs on SQLite (a file, WAL) in the SQLite pass and on a scratch PostgreSQL
database in the PostgreSQL pass, since the log lock is taken differently on each.
"""

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from tests.ledger.conftest import TEST_KEK

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A database URL of the engine this pass tests, empty, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'race.sqlite3'}"
        return
    config = dj_database_url.parse(url)
    name = f"accord_race_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as connection:  # type: ignore[arg-type]
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(**admin, autocommit=True) as connection:  # type: ignore[arg-type]
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _environment(database: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "ACCORD_KEK": TEST_KEK,
        "ACCORD_VAR_DIR": str(tmp_path / "var"),
        "ACCORD_VERIFY_STATE": str(tmp_path / "seen"),
        "PYTHONPATH": str(ROOT),
    }


def _accord(environment: dict[str, str], *arguments: str) -> str:
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


def _worker(environment: dict[str, str], actor: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ledger.worker", actor, str(count)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _found(environment: dict[str, str]) -> None:
    _accord(environment, "log", "init", "--origin", "forum.example/log")
    for code in ("BY", "HU"):
        _accord(environment, "party", "add", code, "--name", code, "--hosted")


def test_racing_writers_never_fork_the_log_or_reuse_a_seq(database: str, tmp_path: Path) -> None:
    environment = _environment(database, tmp_path)
    _found(environment)
    workers = [_worker(environment, actor, 15) for actor in ("BY", "BY", "HU")]
    indexes = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        indexes += [int(line) for line in out.split()]
    assert sorted(indexes) == list(range(3, 48)), "every statement has its own index, none lost"
    audited = _accord(environment, "audit")
    assert "Audited 48 entries" in audited
    exported = tmp_path / "static"
    _accord(environment, "log", "export", str(exported))
    assert "Verified forum.example/log: 48 entries" in _accord(environment, "verify", str(exported))


def test_a_writer_killed_mid_flight_leaves_a_log_that_verifies(
    database: str, tmp_path: Path
) -> None:
    environment = _environment(database, tmp_path)
    _found(environment)
    rng = random.Random(7)
    accepted = 0
    for round_number in range(4):
        worker = _worker(environment, "BY", 1000)
        time.sleep(0.5 + rng.random() * 0.8)
        worker.send_signal(signal.SIGKILL)
        out, _ = worker.communicate(timeout=60)
        accepted += len(out.split())
        audited = _accord(environment, "audit")
        assert "no divergence" in audited, f"round {round_number}: {audited}"
    assert accepted > 0
    _accord(environment, "log", "export", str(tmp_path / "static"))
    assert "Verified" in _accord(environment, "verify", str(tmp_path / "static"))


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_accord_verify_checks_a_live_accord_serve(database: str, tmp_path: Path) -> None:
    environment = _environment(database, tmp_path)
    _found(environment)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port), "--interval", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    try:
        worker = _worker(environment, "HU", 3)
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
        url = f"http://127.0.0.1:{port}/log"
        deadline = time.monotonic() + 60
        checked = ""
        while time.monotonic() < deadline:
            done = subprocess.run(
                [sys.executable, "-m", "accord.cli.main", "verify", url],
                env=environment,
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            checked = done.stdout + done.stderr
            if "Verified forum.example/log: 6 entries" in checked:
                break
            time.sleep(1)
        assert "Verified forum.example/log: 6 entries" in checked, checked
        assert "Log key forum.example/log+" in checked
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert "verifier key forum.example/log+" in output
