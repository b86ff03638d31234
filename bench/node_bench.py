"""Benchmark of a party's node: a first ``accord node sync`` of N entries against ``accord
replay`` of the same log on the same machine (target >= 70 %), both run as the commands a
party runs, each in its own process (Python and Django start-up included in both).

The log (N own-key communiqués, 100,000 by default, 10,000 with ``--quick``, 50 with
``--tiny``) is built by bulk ingestion in a scratch SQLite database and exported with the
code of ``accord log export``; the node syncs from that folder (no network: what is measured
is the node's work, not a link's). Also reported: an idle round (nothing new) and a round
after 1 % more entries, which must cost about 1 % of the first (the sync is incremental).

Usage: python -m bench.node_bench [--quick | --tiny] [--out FILE]
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ledger_bench import KEK, ROOT
from bench.options import result_path, run_size

RESULTS = Path(__file__).parent / "results" / "node.json"
SIZES = {"tiny": 50, "quick": 10_000, "full": 100_000}


def _environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'host.sqlite3'}",
        "ACCORD_KEK": KEK,
        "ACCORD_VAR_DIR": str(folder / "var"),
        "PYTHONPATH": str(ROOT),
    }


def child_build(folder: str, count: int, more: int) -> dict[str, Any]:
    """Found a log of ``count`` entries, export it to FOLDER/export, then ``more`` beyond it
    into FOLDER/export-more; returns the log key."""
    from bench.ledger_bench import _found, _presigned, _setup  # noqa: PLC0415

    _setup()
    from accord.ledger.checkpoints import sign_checkpoint  # noqa: PLC0415
    from accord.ledger.export import export  # noqa: PLC0415
    from accord.ledger.models import LogState  # noqa: PLC0415
    from accord.ledger.submit import ingest  # noqa: PLC0415

    signer = _found()
    submissions = _presigned(signer, count + more)
    ingest(submissions[: count - 2], batch=1000)  # the founding and the party are 2 entries
    export(Path(folder) / "export", sign_checkpoint())
    ingest(submissions[count - 2 :], batch=1000)
    export(Path(folder) / "export-more", sign_checkpoint())
    return {"log_key": LogState.objects.get(pk=1).log_vkey}


def _timed(environment: dict[str, str], *arguments: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"accord {' '.join(arguments)} failed: {done.stderr}")
    return seconds, done.stdout


def _digest(said: str, label: str) -> str:
    for line in said.splitlines():
        if label in line:
            return line.split()[-1].rstrip(".")
    raise SystemExit(f"no {label!r} in: {said}")


def measure(count: int) -> dict[str, Any]:
    more = max(1, count // 100)
    with tempfile.TemporaryDirectory(prefix="accord-node-bench-") as scratch:
        folder = Path(scratch)
        host = _environment(folder)
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.node_bench",
                "--child",
                str(folder),
                str(count),
                str(more),
            ],
            env=host,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        log_key = json.loads(built.stdout.splitlines()[-1])["log_key"]
        # accord replay of the log as it was exported (the first `count` entries): the host's
        # database holds more, so it replays that size.
        replay_s, replayed = _timed(host, "replay", "--size", str(count))
        party = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        party["PYTHONPATH"] = str(ROOT)
        state = folder / "node"
        _timed(
            party,
            *("node", "init", str(folder / "export"), "--party", "AA"),
            *("--state", str(state), "--log-key", log_key),
        )
        sync_s, synced = _timed(party, "node", "sync", "--state", str(state))
        idle_s, _ = _timed(party, "node", "sync", "--state", str(state))
        config = json.loads((state / "node.json").read_text(encoding="utf-8"))
        config["log"] = str(folder / "export-more")
        (state / "node.json").write_text(json.dumps(config), encoding="utf-8")
        more_s, _ = _timed(party, "node", "sync", "--state", str(state))
    if _digest(replayed, "public digest") != _digest(synced, "Replayed public digest"):
        raise SystemExit("the node's replay and accord replay reached different digests")
    return {
        "entries": count,
        "replay_s": replay_s,
        "node_sync_s": sync_s,
        "ratio": replay_s / sync_s,
        "idle_round_s": idle_s,
        "more_entries": more,
        "more_round_s": more_s,
    }


def main() -> None:
    size = run_size()
    out = result_path(RESULTS)
    row = measure(SIZES[size])
    results = {"node_sync_sqlite": row, "size": size}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    console = Console()
    table = Table("measure", "ours", "bound", "ratio", "target")
    table.add_row(
        f"node sync, {row['entries']:,} entries",
        f"{row['node_sync_s']:.1f} s",
        f"accord replay {row['replay_s']:.1f} s",
        f"{row['ratio']:.0%}",
        ">= 70%",
    )
    table.add_row("idle round (nothing new)", f"{row['idle_round_s']:.2f} s", "", "", "")
    table.add_row(
        f"round after {row['more_entries']:,} more", f"{row['more_round_s']:.2f} s", "", "", ""
    )
    console.print(table)
    console.print(f"Wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child_build(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
