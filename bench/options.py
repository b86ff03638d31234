"""The two options every benchmark takes: how big a run, and where its result goes.

``--tiny`` exists so that ``make test`` runs every benchmark once, end to end, at a size
that takes seconds: a benchmark that only `make bench` runs breaks unnoticed. A tiny run
writes to ``--out`` (``make test`` gives a scratch file), never over the recorded results.
"""

import sys
from pathlib import Path
from typing import Literal

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
