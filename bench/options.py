"""The two options every benchmark takes: how big a run, and where its result goes.

``--tiny`` exists so that ``make test`` runs every benchmark once, end to end, at a size
that takes seconds: a benchmark that only `make bench` runs breaks unnoticed. A tiny run
writes to ``--out`` (``make test`` gives a scratch file), never over the recorded results.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

RunSize = Literal["tiny", "quick", "full"]


def run_size() -> RunSize:
    """``tiny`` or ``quick`` when the flag is given, else ``full``."""
    if "--tiny" in sys.argv:
        return "tiny"
    if "--quick" in sys.argv:
        return "quick"
    return "full"


def result_path(default: Path) -> Path:
    """The file named by ``--out FILE``, else ``default`` (the recorded results)."""
    if "--out" in sys.argv:
        position = sys.argv.index("--out") + 1
        if position >= len(sys.argv):
            raise SystemExit("--out needs a file name")
        return Path(sys.argv[position])
    if run_size() == "tiny":
        raise SystemExit("a --tiny run must say where its result goes: --out FILE")
    return default


def run_child(module: str, arguments: list[str], folder: Path, *, kek: str) -> dict[str, Any]:
    """Run ``python -m module --child …`` in a fresh process on its own SQLite database in
    ``folder``, with production settings (DEBUG off, so Django records no queries), and
    return the JSON it prints last. A benchmark's timed work runs there so that one
    measurement's caches and connections never flatter the next."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "ACCORD_KEK": kek,
        "ACCORD_VAR_DIR": str(folder),
        "ACCORD_DEBUG": "false",
        "ACCORD_SECRET_KEY": "bench-only-secret",
        "ACCORD_ALLOWED_HOSTS": "testserver",
    }
    done = subprocess.run(
        [sys.executable, "-m", module, "--child", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    if done.returncode != 0:
        raise SystemExit(f"{module} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
