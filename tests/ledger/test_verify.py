"""accord verify: an exported or served log checked from outside, and every tampering caught."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.ledger import blobs
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.export import export
from accord.ledger.models import Entry
from accord.ledger.verify import VerifyFailure, state_folder, verify_log
from accord.ledger.wire import Submission
from accord.lib import canonical
from tests.ledger.world import A_KEY, LOG_KEY, ORIGIN, World, build


@pytest.fixture(autouse=True)
def verify_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))


def _grow(world: World, first: int, count: int) -> None:
    for seq in range(first, first + count):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))


def _exported(world: World, folder: Path) -> Path:
    export(folder, sign_checkpoint())
    return folder


def test_an_exported_log_verifies_and_is_remembered(world: World, tmp_path: Path) -> None:
    _grow(world, 1, 260)
    body = canonical.dumps({"title": "Rev.1", "text": "x" * 70_000})
    world.submit(Submission(world.signed(A_KEY, blobs.reference(body), seq=261), body))
    folder = _exported(world, tmp_path / "log")
    first = verify_log(str(folder))
    assert (first.origin, first.size, first.blobs) == (ORIGIN, 265, 1)
    assert first.key_trust.startswith("trusted on first use")
    assert first.log_key == LOG_KEY.vkey
    again = verify_log(str(folder))
    assert (again.key_trust, again.previous_size) == ("remembered", 265)


def test_a_grown_log_is_checked_for_consistency_with_what_was_seen(
    world: World, tmp_path: Path
) -> None:
    _grow(world, 1, 3)
    verify_log(str(_exported(world, tmp_path / "a")), log_key=LOG_KEY.vkey)
    _grow(world, 4, 3)
    grown = verify_log(str(_exported(world, tmp_path / "b")), log_key=LOG_KEY.vkey)
    assert (grown.previous_size, grown.size, grown.key_trust) == (7, 10, "pinned")


def test_what_is_remembered_is_the_signed_checkpoint_for_the_address_and_the_log(
    world: World, tmp_path: Path
) -> None:
    _grow(world, 1, 3)
    folder = _exported(world, tmp_path / "a")
    verify_log(str(folder))
    by_address = json.loads(next((state_folder() / "locations").iterdir()).read_text())
    by_origin = json.loads(next((state_folder() / "origins").iterdir()).read_text())
    assert by_address["format"] == by_origin["format"] == "accord-verify-state/v2"
    assert by_address["location"] == str(folder.resolve())
    assert by_address["origin"] == ORIGIN
    assert by_address["checkpoint"] == (folder / "checkpoint").read_text()
    assert by_address["first_seen"].endswith("Z")


def test_a_remembered_checkpoint_edited_on_disk_is_refused_not_believed(
    world: World, tmp_path: Path
) -> None:
    _grow(world, 1, 3)
    verify_log(str(_exported(world, tmp_path / "a")))
    record = next((state_folder() / "origins").iterdir())
    seen = json.loads(record.read_text())
    size_line = "\n7\n"
    assert size_line in seen["checkpoint"]
    record.write_text(
        json.dumps({**seen, "checkpoint": seen["checkpoint"].replace(size_line, "\n6\n")})
    )
    with pytest.raises(VerifyFailure, match=f"the state file {record} is damaged"):
        verify_log(str(tmp_path / "a"))


def test_another_key_is_refused(world: World, tmp_path: Path) -> None:
    folder = _exported(world, tmp_path / "a")
    with pytest.raises(VerifyFailure, match="does not verify with the log key"):
        verify_log(str(folder), log_key=A_KEY.vkey)


def test_a_changed_entry_is_caught(world: World, tmp_path: Path) -> None:
    _grow(world, 1, 3)
    folder = _exported(world, tmp_path / "a")
    bundle = folder / "tile" / "entries" / "000.p" / "7"
    bundle.write_bytes(bundle.read_bytes().replace(b"Statement 2.", b"Statement X."))
    with pytest.raises(VerifyFailure, match="do not hash to the checkpoint's root"):
        verify_log(str(folder))


def test_a_changed_tile_is_caught(world: World, tmp_path: Path) -> None:
    _grow(world, 1, 3)
    folder = _exported(world, tmp_path / "a")
    tile = folder / "tile" / "0" / "000.p" / "7"
    tile.write_bytes(b"\x00" + tile.read_bytes()[1:])
    with pytest.raises(VerifyFailure, match=r"tile/0/000.p/7 does not match the entries"):
        verify_log(str(folder))


def test_a_changed_blob_is_caught(world: World, tmp_path: Path) -> None:
    body = canonical.dumps({"title": "Rev.1", "text": "y" * 70_000})
    world.submit(Submission(world.signed(A_KEY, blobs.reference(body), seq=1), body))
    folder = _exported(world, tmp_path / "a")
    blob = next((folder / "blob").iterdir())
    blob.write_bytes(blob.read_bytes()[:-2] + b"z}")
    with pytest.raises(VerifyFailure, match="does not match what the statement signs"):
        verify_log(str(folder))


def test_a_missing_file_is_named(world: World, tmp_path: Path) -> None:
    folder = _exported(world, tmp_path / "a")
    (folder / "checkpoint").unlink()
    with pytest.raises(VerifyFailure, match="does not serve checkpoint"):
        verify_log(str(folder))
    with pytest.raises(VerifyFailure, match="neither a URL nor a folder"):
        verify_log(str(tmp_path / "nowhere"))


@pytest.mark.django_db(transaction=True)
def test_a_served_log_is_verified_by_a_process_that_never_loads_django(
    live_server: object, tmp_path: Path
) -> None:
    world = next(build())
    _grow(world, 1, 5)
    sign_checkpoint()
    url = f"{live_server.url}/log"  # type: ignore[attr-defined]
    script = (
        "import sys\n"
        "from accord.ledger.verify import verify_log\n"
        "result = verify_log(sys.argv[1])\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django was imported'\n"
        "print(result.size)\n"
    )
    environment = {"ACCORD_VERIFY_STATE": str(tmp_path / "seen"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script, url],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "9"

    # An entry changed after its checkpoint is caught on the next check.
    row = Entry.objects.get(index=6)
    row.leaf = bytes(row.leaf).replace(b"Statement 3.", b"Statement 9.")
    row.save()
    done = subprocess.run(
        [sys.executable, "-c", script, url],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode != 0
    assert "do not hash to the checkpoint's root" in done.stderr
