"""`accord keygen NAME --out DIR`: an own key pair that never leaves the party's machine."""

import stat
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.tlog import note


def test_it_writes_a_private_key_only_its_owner_can_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["keygen", "by.example/accord", "--out", str(tmp_path / "keys")]
    )
    assert result.exit_code == 0, result.output
    private = tmp_path / "keys" / "by.example_accord.key"
    public = tmp_path / "keys" / "by.example_accord.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    signer = note.Signer(private.read_text().strip())
    verifier = note.Verifier(public.read_text().strip())
    assert signer.vkey == verifier.vkey
    assert note.open(note.sign("hello\n", signer), [verifier]).text == "hello\n"
    assert verifier.vkey in result.output


def test_it_refuses_to_overwrite_a_key(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["keygen", "hu", "--out", str(tmp_path)]).exit_code == 0
    before = (tmp_path / "hu.key").read_text()
    result = runner.invoke(app, ["keygen", "hu", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (tmp_path / "hu.key").read_text() == before


def test_it_refuses_a_bad_key_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["keygen", "two words", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "key name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_runs_without_django(tmp_path: Path) -> None:
    script = (
        "import sys; from accord.cli.main import app\n"
        "sys.argv = ['accord', 'keygen', 'kz', '--out', sys.argv[1]]\n"
        "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django was imported'\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "kz.pub").exists()


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("accord ")
