"""accord verify-proof: a receipt downloaded from a served log, checked offline without Django."""

import base64
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.verify import verify_log
from accord.tlog import note
from tests.ledger.conftest import ledger_environment
from tests.ledger.world import LOG_KEY, ORIGIN, build

pytestmark = pytest.mark.django_db(transaction=True)
# Autouse: a KEK, a blob folder and a fresh tile cache for each test, as in tests/ledger.
__all__ = ["ledger_environment"]

# Runs the real command in a fresh interpreter and fails if it ever loaded Django.
SCRIPT = """
import sys
from accord.cli.main import app
try:
    app(sys.argv[1:], prog_name="accord")
except SystemExit as exit:
    code = exit.code
loaded = [m for m in sys.modules if m == "django" or m.startswith("django.")]
assert not loaded, f"django was imported: {loaded[:3]}"
sys.exit(code)
"""


@pytest.fixture
def downloaded(live_server: object, tmp_path: Path) -> tuple[Path, Path, str]:
    """entry-6.tlog-proof and entry-6.json, fetched over HTTP from a served log of 9 entries."""
    world = next(build())
    for seq in range(1, 6):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))
    sign_checkpoint()
    url = f"{live_server.url}/log"  # type: ignore[attr-defined]
    proof, entry = tmp_path / "entry-6.tlog-proof", tmp_path / "entry-6.json"
    for name, target in (("receipt/6", proof), ("entry/6", entry)):
        with urllib.request.urlopen(f"{url}/{name}") as answer:
            target.write_bytes(answer.read())
    return proof, entry, url


def _checking(proof: Path, entry: Path) -> tuple[str, ...]:
    return ("verify-proof", str(proof), "--entry", str(entry))


def _accord(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {"ACCORD_VERIFY_STATE": str(tmp_path / "seen"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_a_downloaded_receipt_is_proven_offline_with_the_log_key(
    downloaded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    proof, entry, _ = downloaded
    done = _accord(
        tmp_path, "verify-proof", str(proof), "--entry", str(entry), "--log-key", LOG_KEY.vkey
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        f"The checkpoint of 9 entries of {ORIGIN} is signed by the log key {LOG_KEY.vkey}"
        " (given with --log-key)."
    )
    assert lines[1] == "Entry 6 is included in it: its audit path leads to the root."
    assert lines[2].startswith("The entry is ledger.communique.published by AA (seq 3)")
    assert lines[2].endswith("and AA's signature on it verifies.")


def test_the_key_accord_verify_remembered_is_used_when_none_is_given(
    downloaded: tuple[Path, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proof, entry, url = downloaded
    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))
    verify_log(url, log_key=LOG_KEY.vkey)
    done = _accord(tmp_path, *_checking(proof, entry))
    assert done.returncode == 0, done.stderr
    assert f"(remembered from {url})." in done.stdout.splitlines()[0]


def test_without_a_key_it_says_how_to_get_one(
    downloaded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    proof, entry, _ = downloaded
    done = _accord(tmp_path, *_checking(proof, entry))
    assert done.returncode == 1
    assert f"this machine has no key for the log {ORIGIN}: pass --log-key" in done.stderr


def test_a_tampered_audit_path_is_not_proven(
    downloaded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    proof, entry, _ = downloaded
    lines = proof.read_text().split("\n")
    assert lines[1] == "index 6"
    lines[2] = base64.b64encode(b"\x00" * 32).decode()
    proof.write_text("\n".join(lines))
    done = _accord(
        tmp_path, "verify-proof", str(proof), "--entry", str(entry), "--log-key", LOG_KEY.vkey
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"Not proven: entry 6 is not proven in the log {ORIGIN}")
    assert done.stdout == ""


def test_a_changed_entry_is_not_proven(downloaded: tuple[Path, Path, str], tmp_path: Path) -> None:
    proof, entry, _ = downloaded
    entry.write_text(entry.read_text().replace("Statement 3.", "Statement 9."))
    done = _accord(
        tmp_path, "verify-proof", str(proof), "--entry", str(entry), "--log-key", LOG_KEY.vkey
    )
    assert done.returncode == 1
    assert "entry 6 is not proven" in done.stderr


def test_a_checkpoint_under_another_key_is_not_proven(
    downloaded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    proof, entry, _ = downloaded
    other = note.generate_key(ORIGIN)[1]  # the log's name, another key
    done = _accord(tmp_path, *_checking(proof, entry), "--log-key", other)
    assert done.returncode == 1
    assert f"entry 6 is not proven in the log {ORIGIN} under the key {other}" in done.stderr


def test_an_entry_file_for_another_index_is_refused(
    downloaded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    proof, entry, _ = downloaded
    entry.write_text(entry.read_text().replace('"index": 6', '"index": 5', 1))
    done = _accord(
        tmp_path, "verify-proof", str(proof), "--entry", str(entry), "--log-key", LOG_KEY.vkey
    )
    assert done.returncode == 1
    assert "is entry 5, but the receipt is for entry 6" in done.stderr
