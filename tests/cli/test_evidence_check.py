"""``accord evidence check`` confirms an evidence file with the log's key alone, offline and
(but for a false digest, which it replays in memory) without Django, and refuses one that
proves nothing, or that another key signed."""

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger import blobs, digest, evidence, hashes, hosted
from accord.ledger.models import Checkpoint as Stored
from accord.ledger.models import Entry, Receipt
from accord.ledger.state_digest import sign_state_digest
from accord.ledger.wire import Submission
from accord.lib import canonical
from accord.tlog import merkle, note
from accord.tlog.checkpoint import Checkpoint
from tests.ledger.conftest import TEST_KEK
from tests.ledger.world import A_KEY, LOG_KEY, World, build

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


# The two claims a party's node writes, on a real log.

NO_DJANGO = (
    "import sys; from accord.cli.main import app\n"
    "sys.argv = ['accord', *sys.argv[1:]]\n"
    "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "assert not [m for m in sys.modules if m.startswith('django')], 'django was imported'\n"
    "sys.exit(code)\n"
)
ANY = "import sys; from accord.cli.main import app\nsys.argv = ['accord', *sys.argv[1:]]\napp()\n"


@pytest.fixture
def log(
    db: None, monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper, tmp_path: Path
) -> Iterator[World]:
    """A founded log with four communiqués of state A."""

    monkeypatch.setenv("ACCORD_KEK", TEST_KEK)
    monkeypatch.delenv("ACCORD_KEK_FILE", raising=False)
    settings.VAR_DIR = tmp_path
    settings.ACCORD_BLOB_DIR = tmp_path / "blobs"
    hosted._signers.clear()
    hashes.forget_cached_tiles()
    for world in build():
        for seq in range(1, 5):
            world.submit(world.communique(seq=seq, title=f"Communiqué {seq}", text=f"Text {seq}."))
        yield world


def _missing_entry_file(tmp_path: Path) -> Path:
    """The host receipted entry 4, then showed a tree with another leaf there."""

    leaves = [bytes(row.leaf) for row in Entry.objects.order_by("index")]
    later = [*leaves[:4], *leaves[5:], b"a later entry", b"and another"]
    checkpoint = Checkpoint(ORIGIN, len(later), merkle.root(later)).sign(LOG_KEY)
    found = evidence.missing_entry(
        log_key=LOG_KEY.vkey,
        receipt=Receipt.objects.get(entry_id=4).note,
        later=evidence.Observation(checkpoint, "https://forum.example/log", None),
        served_leaf=merkle.leaf_hash(later[4]),
        inclusion_proof=tuple(merkle.inclusion_proof(later, 4)),
    )
    path = tmp_path / "missing-entry.json"
    path.write_text(evidence.format(found), encoding="utf-8")
    return path


def _false_digest_file(
    tmp_path: Path, *, tampered: bool = True, blobs: list[bytes] | None = None
) -> Path:
    """The host edited a communiqué's row behind the log's back, then signed its digest."""

    if tampered:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_communique SET text = 'Forged.' WHERE text = 'Text 2.'")
    signed = sign_state_digest()
    found = evidence.digest_not_reproduced(
        log_key=LOG_KEY.vkey,
        state_digest=signed.note,
        checkpoint=evidence.Observation(
            Stored.objects.get(size=signed.size).note, "https://forum.example/log", None
        ),
        entries=[bytes(row.leaf) for row in Entry.objects.order_by("index")],
        blobs=blobs,
    )
    path = tmp_path / "digest.json"
    path.write_text(evidence.format(found), encoding="utf-8")
    return path


def _accord(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``accord`` in a process of its own, with no Django settings in its environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "ACCORD"))}
    return subprocess.run(
        [sys.executable, "-c", script, *arguments],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
    )


def test_it_refuses_a_missing_entry_file_against_another_key(log: World, tmp_path: Path) -> None:
    path = _missing_entry_file(tmp_path)
    done = CliRunner().invoke(app, ["evidence", "check", str(path), "--log-key", OTHER.vkey])
    assert done.exit_code == 1
    assert done.stdout == ""


def test_it_refuses_a_digest_that_replay_reproduces(log: World, tmp_path: Path) -> None:
    path = _false_digest_file(tmp_path, tampered=False)
    done = _accord(ANY, "evidence", "check", str(path), "--log-key", LOG_KEY.vkey)
    assert done.returncode == 1, done.stdout
    assert done.stdout == ""
    assert "the digest is true" in " ".join(done.stderr.split())


def test_a_process_of_its_own_confirms_a_dropped_entry_without_django(
    log: World, tmp_path: Path
) -> None:
    path = _missing_entry_file(tmp_path)
    done = _accord(NO_DJANGO, "evidence", "check", str(path), "--log-key", LOG_KEY.vkey)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Confirmed: missing-entry (forum.example/log)."
    assert lines[1] == "In short: the log dropped an entry it had given a receipt for."


def test_a_process_of_its_own_confirms_a_false_digest_by_replaying_in_memory(
    log: World, tmp_path: Path
) -> None:
    path = _false_digest_file(tmp_path)
    done = _accord(ANY, "evidence", "check", str(path), "--log-key", LOG_KEY.vkey, "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["claim"] == "digest-not-reproduced"
    assert found["checkpoint"]["size"] == 8  # the founding, three parties, four communiqués
    assert found["signed_digest"] != found["replayed_digest"]
    assert found["in_words"] == evidence.CLAIM_WORDS["digest-not-reproduced"]


def test_it_confirms_a_false_digest_in_a_process_that_has_django_already(
    log: World, tmp_path: Path
) -> None:

    honest = digest.digest(full=False)
    path = _false_digest_file(tmp_path)
    done = CliRunner().invoke(
        app, ["evidence", "check", str(path), "--log-key", LOG_KEY.vkey, "--json"]
    )
    assert done.exit_code == 0, done.output
    found = json.loads(done.stdout)
    assert (found["signed_digest"], found["replayed_digest"]) == (
        digest.digest(full=False),
        honest,
    )


def _with_a_revision_as_a_blob(world: World) -> bytes:
    """State A publishes a text too large for an entry, so its body travels as a blob."""

    body = canonical.dumps({"title": "Rev.1", "text": "Article 1. " * 7_000})
    world.submit(Submission(world.signed(A_KEY, blobs.reference(body), seq=5), body))
    return body


def test_a_false_digest_over_a_blob_is_confirmed_with_the_blob_the_file_carries(
    log: World, tmp_path: Path
) -> None:
    blob = _with_a_revision_as_a_blob(log)
    path = _false_digest_file(tmp_path, blobs=[blob])
    done = _accord(ANY, "evidence", "check", str(path), "--log-key", LOG_KEY.vkey, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claim"] == "digest-not-reproduced"


def test_without_the_blob_a_false_digest_over_one_proves_nothing_offline(
    log: World, tmp_path: Path
) -> None:
    _with_a_revision_as_a_blob(log)
    path = _false_digest_file(tmp_path)
    done = _accord(ANY, "evidence", "check", str(path), "--log-key", LOG_KEY.vkey)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "is missing" in " ".join(done.stderr.split())
