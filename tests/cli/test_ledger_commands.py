"""The ledger's commands, as an operator and a delegation with only the CLI would use them."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger.hashes import forget_cached_tiles
from accord.ledger.models import Communique, Entry, LogState
from accord.tlog import note

runner = CliRunner()


@pytest.fixture(autouse=True)
def host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: object) -> None:
    from tests.ledger.conftest import TEST_KEK  # noqa: PLC0415

    monkeypatch.setenv("ACCORD_KEK", TEST_KEK)
    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    settings.ACCORD_BLOB_DIR = tmp_path / "blobs"  # type: ignore[attr-defined]
    forget_cached_tiles()


def _ok(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.django_db
def test_a_delegation_joins_acts_and_checks_with_the_cli(tmp_path: Path) -> None:
    founded = _ok("log", "init", "--origin", "forum.example/log")
    log_key = founded.split("Log verifier key: ")[1].strip()
    assert LogState.objects.get().log_vkey == log_key

    _ok("keygen", "hu", "--out", str(tmp_path / "keys"))
    vkey = (tmp_path / "keys" / "hu.pub").read_text().strip()
    assert "Registered HU (Hungary) at entry 1" in _ok(
        "party", "add", "HU", "--name", "Hungary", "--vkey", vkey
    )
    _ok("party", "add", "BY", "--name", "Belarus", "--hosted")

    draft = tmp_path / "statement.json"
    draft.write_text(
        json.dumps(
            {
                "kind": "ledger.communique.published",
                "v": 1,
                "actor": "HU",
                "distribution": "restricted",
                "body": {"title": "Delegation", "text": "Our delegation to the Minsk conference."},
            }
        )
    )
    signed = _ok("sign", str(draft), "--key", str(tmp_path / "keys" / "hu.key"))
    assert "Minsk" not in json.loads(signed)["statement"]["body"]["commitment"]
    (tmp_path / "signed.json").write_text(signed)
    receipt = _ok("submit", str(tmp_path / "signed.json"))
    assert "Accepted at entry 3" in receipt
    assert Communique.objects.get(entry_index=3).text == "Our delegation to the Minsk conference."

    again = runner.invoke(app, ["submit", str(tmp_path / "signed.json")])
    assert again.exit_code == 1
    assert "next sequence number is 2; 1 was already used (bad_seq)" in again.output
    assert "accord-refusal/v1" in again.output

    assert "Signed a checkpoint at size 4" in _ok("tick")
    assert "Nothing was due" in _ok("tick")
    assert "Wrote" in _ok("log", "export", str(tmp_path / "static"))
    checked = _ok("verify", str(tmp_path / "static"), "--log-key", log_key)
    assert "Verified forum.example/log: 4 entries" in checked
    assert "(pinned)" in checked
    assert "The live database matches the log." in _ok("replay", "--compare")
    assert "Replayed 2 entries." in _ok("replay", "--size", "2")
    beyond = runner.invoke(app, ["replay", "--size", "9"])
    assert beyond.exit_code == 1
    assert "the log holds 4 entries, fewer than 9" in beyond.output
    assert "accord-" not in note.Verifier(log_key).name


@pytest.mark.django_db
def test_rotating_the_kek_rewraps_every_hosted_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64  # noqa: PLC0415

    from accord.ledger.models import HostedKey  # noqa: PLC0415
    from tests.ledger.conftest import TEST_KEK  # noqa: PLC0415

    _ok("log", "init", "--origin", "forum.example/log")
    _ok("party", "add", "BY", "--name", "Belarus", "--hosted")
    fresh = "test2:" + base64.b64encode(b"n" * 32).decode()
    monkeypatch.setenv("ACCORD_KEK", f"{fresh},{TEST_KEK}")
    assert "Re-sealed 3 hosted keys" in _ok("log", "rewrap")
    assert set(HostedKey.objects.values_list("kek_version", flat=True)) == {"test2"}
    monkeypatch.setenv("ACCORD_KEK", fresh)
    from accord.ledger import submit  # noqa: PLC0415

    submit._signers.clear()
    _ok("party", "add", "KZ", "--name", "Kazakhstan", "--hosted")


@pytest.mark.django_db
def test_commands_fail_with_a_sentence(tmp_path: Path) -> None:
    nothing = runner.invoke(app, ["party", "add", "HU", "--name", "Hungary", "--hosted"])
    assert nothing.exit_code == 1
    _ok("log", "init", "--origin", "forum.example/log")
    twice = runner.invoke(app, ["log", "init", "--origin", "forum.example/log"])
    assert twice.exit_code == 1
    assert "already holds a log" in twice.output
    both = runner.invoke(
        app, ["party", "add", "HU", "--name", "Hungary", "--hosted", "--vkey", "x"]
    )
    assert both.exit_code == 1
    assert "exactly one of --vkey VKEY or --hosted" in both.output
    bad = runner.invoke(app, ["verify", str(tmp_path / "missing")])
    assert bad.exit_code == 1
    assert "neither a URL nor a folder" in bad.output


@pytest.mark.django_db
def test_replay_compare_names_a_live_database_that_drifted(tmp_path: Path) -> None:
    _ok("log", "init", "--origin", "forum.example/log")
    _ok("party", "add", "BY", "--name", "Belarus", "--hosted")
    from accord.ledger.models import Party  # noqa: PLC0415

    Party.objects.filter(code="BY").update(name="Someone else")
    drifted = runner.invoke(app, ["replay", "--compare"])
    assert drifted.exit_code == 1
    assert "the live projections differ from the log" in drifted.output
    assert Entry.objects.count() == 2
