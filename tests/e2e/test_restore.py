"""docs/deploy.md's restore drill, step by step, with real processes: build a forum, back it up
as the document says, destroy the database and the folder, restore, and `accord audit` and
`accord replay --compare` pass with the digest noted at backup time.

The PostgreSQL drill uses a database of its own on 127.0.0.1:5432 and fails (never skips)
when that server cannot be reached. No KEK is given, so the one Accord makes under
ACCORD_VAR_DIR must come back from the folder's backup, or the hosted keys could not sign.
"""

import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import psycopg

from tests.processes import process_environment, run_accord

SERVER = "postgres://postgres@127.0.0.1:5432"
DRILL_DATABASE = "accord_restore_drill"


def _run(*command: str, environment: dict[str, str]) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _admin(statement: str) -> None:
    try:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(statement)
    except psycopg.OperationalError as exc:
        raise AssertionError(
            f"The restore drill needs PostgreSQL at {SERVER}: {exc}".strip()
        ) from None


def _environment(tmp_path: Path, database: str) -> dict[str, str]:
    environment = process_environment(database, tmp_path)
    del environment["ACCORD_KEK"]  # Accord makes one under var/: the backup must carry it
    return environment


def _built_forum(environment: dict[str, str]) -> str:
    run_accord(environment, "demo", "--no-serve")
    run_accord(environment, "party", "add", "ZZ", "--name", "Zedland", "--hosted")  # uses the KEK
    run_accord(environment, "tick")
    return _public_digest(run_accord(environment, "audit"))


def _public_digest(output: str) -> str:
    found = re.search(r"public digest (\S+)", output)
    assert found, output
    return found[1]


def _archive(folder: Path, archive: Path) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname=".")


def _unpack(archive: Path, folder: Path) -> None:
    folder.mkdir(mode=0o700)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")


def _assert_restored(environment: dict[str, str], digest: str) -> None:
    audit = run_accord(environment, "audit")
    assert "no divergence" in audit
    assert _public_digest(audit) == digest
    replay = run_accord(environment, "replay", "--compare")
    assert "The live database matches the log." in replay
    assert _public_digest(replay) == digest
    run_accord(environment, "party", "add", "YY", "--name", "Yland", "--hosted")  # KEK came back


def test_the_restore_drill_on_postgresql_brings_back_the_same_log(tmp_path: Path) -> None:
    url = f"{SERVER}/{DRILL_DATABASE}"
    _admin(f"DROP DATABASE IF EXISTS {DRILL_DATABASE} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DRILL_DATABASE}")
    environment = _environment(tmp_path, url)
    var = Path(environment["ACCORD_VAR_DIR"])
    try:
        digest = _built_forum(environment)
        assert (var / "kek").exists()
        dump, folder_backup = tmp_path / "accord.dump", tmp_path / "accord-var.tar.gz"
        _run("pg_dump", "--format=custom", f"--file={dump}", url, environment=environment)
        _archive(var, folder_backup)

        _admin(f"DROP DATABASE {DRILL_DATABASE} WITH (FORCE)")
        shutil.rmtree(var)

        _admin(f"CREATE DATABASE {DRILL_DATABASE}")
        _run("pg_restore", "--no-owner", f"--dbname={url}", str(dump), environment=environment)
        _unpack(folder_backup, var)
        _assert_restored(environment, digest)
    finally:
        _admin(f"DROP DATABASE IF EXISTS {DRILL_DATABASE} WITH (FORCE)")


def test_the_restore_drill_on_sqlite_brings_back_the_same_log(tmp_path: Path) -> None:
    environment = _environment(tmp_path, "")
    del environment["DATABASE_URL"]  # the default: var/accord.sqlite3
    var = Path(environment["ACCORD_VAR_DIR"])
    digest = _built_forum(environment)
    copy, folder_backup = tmp_path / "accord-backup.sqlite3", tmp_path / "accord-var.tar.gz"
    _run("sqlite3", str(var / "accord.sqlite3"), f".backup '{copy}'", environment=environment)
    _archive(var, folder_backup)  # taken after the database, as docs/deploy.md says

    shutil.rmtree(var)

    _unpack(folder_backup, var)
    shutil.copyfile(copy, var / "accord.sqlite3")
    for stale in var.glob("accord.sqlite3-*"):
        stale.unlink()  # the folder's copy of the WAL is older than the backup: never mix them
    _assert_restored(environment, digest)
    assert (var / "kek").stat().st_mode & 0o777 == 0o600
