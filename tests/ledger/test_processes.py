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

from tests.processes import (
    ROOT,
    found_with_parties,
    process_environment,
    run_accord,
    start_server,
    start_worker,
)


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


def test_racing_writers_never_fork_the_log_or_reuse_a_seq(database: str, tmp_path: Path) -> None:
    environment = process_environment(database, tmp_path)
    found_with_parties(environment)
    workers = [start_worker(environment, actor, 15) for actor in ("BY", "BY", "HU")]
    indexes = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        indexes += [int(line) for line in out.split()]
    assert sorted(indexes) == list(range(3, 48)), "every statement has its own index, none lost"
    audited = run_accord(environment, "audit")
    assert "Audited 48 entries" in audited
    exported = tmp_path / "static"
    run_accord(environment, "log", "export", str(exported))
    assert "Verified forum.example/log: 48 entries" in run_accord(
        environment, "verify", str(exported)
    )


def test_a_writer_killed_mid_flight_leaves_a_log_that_verifies(
    database: str, tmp_path: Path
) -> None:
    environment = process_environment(database, tmp_path)
    found_with_parties(environment)
    rng = random.Random(7)
    accepted = 0
    for round_number in range(4):
        worker = start_worker(environment, "BY", 1000)
        # Kill it mid-flight, not before it starts: wait for its first acceptance (a loaded
        # machine may take seconds to start Django), then let it run a random while longer.
        assert worker.stdout is not None
        first = worker.stdout.readline()
        assert first.strip(), f"round {round_number}: the worker accepted nothing"
        time.sleep(rng.random() * 0.8)
        worker.send_signal(signal.SIGKILL)
        out, _ = worker.communicate(timeout=60)
        accepted += 1 + len(out.split())
        audited = run_accord(environment, "audit")
        assert "no divergence" in audited, f"round {round_number}: {audited}"
    assert accepted > 0
    run_accord(environment, "log", "export", str(tmp_path / "static"))
    assert "Verified" in run_accord(environment, "verify", str(tmp_path / "static"))


def test_accord_verify_checks_a_live_accord_serve(database: str, tmp_path: Path) -> None:
    environment = process_environment(database, tmp_path)
    found_with_parties(environment)
    server, address = start_server(environment)
    try:
        worker = start_worker(environment, "HU", 3)
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
        url = f"{address}/log"
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
