"""A party's witness needs no Django and no database: ``accord witness init`` and
``accord checkpoint check`` run without importing it (nor does ``serve``, which imports the
same modules as ``init``)."""

import subprocess
import sys
from pathlib import Path

SCRIPT = (
    "import sys; from accord.cli.main import app\n"
    "sys.argv = ['accord', *sys.argv[1:]]\n"
    "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "assert not [m for m in sys.modules if m.startswith('django')], 'django was imported'\n"
    "sys.exit(code)\n"
)


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *arguments], check=False, capture_output=True, text=True
    )


def test_witness_init_runs_without_django(tmp_path: Path) -> None:
    done = _run("witness", "init", "kz.example/witness", "--out", str(tmp_path / "w"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0].startswith("kz.example/witness+")
    assert (tmp_path / "w" / "witness.key").exists()


def test_checkpoint_check_runs_without_django(tmp_path: Path) -> None:
    (tmp_path / "checkpoint").write_text("not a checkpoint\n", encoding="utf-8")
    (tmp_path / "policy").write_text("quorum none\n", encoding="utf-8")
    done = _run(
        "checkpoint", "check", str(tmp_path / "checkpoint"), "--policy", str(tmp_path / "policy")
    )
    assert done.returncode == 1, done.stdout
    assert "django was imported" not in done.stderr
    assert done.stdout == ""
