"""``accord evidence check`` confirms an evidence file with the log's key alone, offline and
without Django, and refuses one that proves nothing, or that another key signed."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger import evidence
from accord.tlog import merkle, note
from accord.tlog.checkpoint import Checkpoint

ORIGIN = "forum.example/log"
LOG = note.Signer(note.format_skey(ORIGIN, hashlib.sha256(b"evidence check log").digest()))
OTHER = note.Signer(note.format_skey(ORIGIN, hashlib.sha256(b"another key").digest()))


def _two_roots(tmp_path: Path, signer: note.Signer = LOG) -> Path:
    earlier = Checkpoint(ORIGIN, 4, merkle.leaf_hash(b"a")).sign(signer)
    later = Checkpoint(ORIGIN, 4, merkle.leaf_hash(b"b")).sign(signer)
    path = tmp_path / "evidence.json"
    path.write_text(
        evidence.format(
            evidence.Evidence(
                signer.vkey,
                evidence.Observation(earlier, "https://forum.example/log", "2025-01-30T09:00:00Z"),
                evidence.Observation(later, "https://forum.example/log", "2025-01-31T09:00:00Z"),
            )
        ),
        encoding="utf-8",
    )
    return path


def test_it_confirms_two_roots_for_one_size(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["evidence", "check", str(_two_roots(tmp_path)), "--log-key", LOG.vkey]
    )
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Confirmed: different-roots (forum.example/log).")


def test_it_prints_json(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["evidence", "check", str(_two_roots(tmp_path)), "--log-key", LOG.vkey, "--json"]
    )
    assert done.exit_code == 0, done.output
    found = json.loads(done.stdout)
    assert (found["claim"], found["earlier"]["size"], found["later"]["size"]) == (
        "different-roots",
        4,
        4,
    )


def test_it_refuses_evidence_against_another_key(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["evidence", "check", str(_two_roots(tmp_path)), "--log-key", OTHER.vkey]
    )
    assert done.exit_code == 1
    assert done.stdout == ""
    assert "not the key the evidence names" in " ".join(done.stderr.split())


def test_it_refuses_a_file_that_is_not_evidence(tmp_path: Path) -> None:
    (tmp_path / "junk.json").write_text('{"format": "something else"}', encoding="utf-8")
    done = CliRunner().invoke(
        app, ["evidence", "check", str(tmp_path / "junk.json"), "--log-key", LOG.vkey]
    )
    assert done.exit_code == 1
    assert done.stdout == ""
    assert "proves nothing" in " ".join(done.stderr.split())


def test_it_runs_without_django(tmp_path: Path) -> None:
    script = (
        "import sys; from accord.cli.main import app\n"
        "sys.argv = ['accord', *sys.argv[1:]]\n"
        "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django was imported'\n"
        "sys.exit(code)\n"
    )
    path = _two_roots(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", script, "evidence", "check", str(path), "--log-key", LOG.vkey],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Confirmed: different-roots" in done.stdout
