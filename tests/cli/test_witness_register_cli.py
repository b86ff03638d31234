"""A party registers its witness from the CLI with its own key, and that registration counts;
the same act through the host does not. Real processes: ``accord serve`` on a file database,
the witness folder made by ``accord witness init``.

World: the forum of tests/forum/world.py behind a live server; CC keeps its own key and has
accepted its invitation with it (tests/cli/test_own_key.py's ``served``).
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli.test_own_key import Served, _get, accord, said, served
from tests.processes import run_accord

__all__ = ["served"]


def _witnesses(url: str) -> dict[str, Any]:
    status, body = _get(f"{url}/api/v1/witnesses")
    assert status == 200, body
    found: dict[str, Any] = json.loads(body)
    return found


def _participate(world: Served) -> None:
    answered = world.act("forum", "answer", "accepted")
    assert answered.returncode == 0, answered.stderr
    world.proven(int(answered.stdout.split()[-1]))


def test_an_own_key_registration_from_the_cli_counts_and_the_hosts_does_not(
    served: Served, tmp_path: Path
) -> None:
    _participate(served)
    folder = tmp_path / "cc-witness"
    run_accord(served.environment, "witness", "init", "cc.example/witness", "--out", str(folder))
    registered = served.act(
        "witness", "register", str(folder), "--witness-url", "http://127.0.0.1:7399/"
    )
    assert registered.returncode == 0, registered.stderr
    assert "(ledger.witness.registered)" in registered.stdout
    entry = int(registered.stdout.split()[-1])
    theirs = tmp_path / "aa-witness"
    run_accord(served.environment, "witness", "init", "aa.example/witness", "--out", str(theirs))
    hosted = run_accord(
        served.environment,
        *("witness", "register", str(theirs), "--witness-url", "http://a.example", "--as", "AA"),
    )
    assert "(ledger.witness.registered)" in hosted
    found = {one["name"]: one for one in _witnesses(served.url)["registrations"]}
    cc, aa = found["cc.example/witness"], found["aa.example/witness"]
    assert (cc["party"], cc["url"], cc["registered_at"]) == ("CC", "http://127.0.0.1:7399", entry)
    assert (cc["own_custody"], cc["attested"], cc["counts"]) == (True, True, True)
    assert (aa["own_custody"], aa["attested"], aa["counts"]) == (False, True, False)
    assert cc["vkeys"] == (folder / "witness.pub").read_text(encoding="utf-8").split()
    assert "witness cc.example/witness" in _witnesses(served.url)["policy"]
    served.proven(entry)
    _status, body = _get(f"{served.url}/log/entry/{entry}")
    attestation = json.loads(body)["entry"]["statement"]["body"]["attestation"]
    attested = accord(
        served.environment,
        *("witness", "attest", str(folder), "--origin", "forum.example/forum", "--party", "CC"),
        *("--url", "http://127.0.0.1:7399"),
    )
    assert attested.stdout.strip() == attestation


def test_another_party_cannot_remove_it_and_its_own_party_can(
    served: Served, tmp_path: Path
) -> None:
    _participate(served)
    folder = tmp_path / "cc-witness"
    run_accord(served.environment, "witness", "init", "cc.example/witness", "--out", str(folder))
    registered = served.act("witness", "register", str(folder), "--witness-url", "http://w.cc")
    assert registered.returncode == 0, registered.stderr
    served.proven(int(registered.stdout.split()[-1]))
    theirs = accord(served.environment, "witness", "remove", "cc.example/witness", "--as", "AA")
    assert theirs.returncode == 1
    assert theirs.stdout == ""
    assert "witness_of_another_party" in said(theirs)
    removed = served.act("witness", "remove", "cc.example/witness")
    assert removed.returncode == 0, removed.stderr
    assert "(ledger.witness.removed)" in removed.stdout
    (only,) = _witnesses(served.url)["registrations"]
    assert only["removed_at"] == int(removed.stdout.split()[-1])
    assert not only["counts"]


def test_register_without_a_witness_folder_fails_with_a_sentence(
    served: Served, tmp_path: Path
) -> None:
    missing = served.act(
        "witness", "register", str(tmp_path / "nowhere"), "--witness-url", "http://w.cc"
    )
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert "holds no witness" in said(missing)


NO_DJANGO = (
    "import sys; from accord.cli.main import app\n"
    "sys.argv = ['accord', *sys.argv[1:]]\n"
    "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "assert not [m for m in sys.modules if m.startswith('django')], 'django was imported'\n"
    "sys.exit(code)\n"
)


def test_attest_runs_without_django_and_signs_what_the_log_checks(tmp_path: Path) -> None:
    from accord.ledger.witness_attestation import attested  # noqa: PLC0415
    from accord.witness.folder import WitnessFolder  # noqa: PLC0415

    folder = WitnessFolder.create(tmp_path / "w", "kz.example/witness")
    done = subprocess.run(
        [
            *(sys.executable, "-c", NO_DJANGO, "witness", "attest", str(folder.path)),
            *("--origin", "o.example/log", "--party", "KZ", "--url", "http://w.kz"),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    key = folder.verifier_keys()[0]
    assert attested(key, done.stdout.strip(), "o.example/log", "KZ", "http://w.kz")
    assert not attested(key, done.stdout.strip(), "o.example/log", "HU", "http://w.kz")
