"""Benchmarks of the ledger, each figure beside its bound measured in the same run.

- ``submit()`` durable throughput on SQLite (a file, WAL, synchronous=FULL) and on
  PostgreSQL, vs the bound "raw Ed25519 verify + one empty durable INSERT and
  COMMIT on the same database"; target >= 50 %.
- ``replay`` of N entries (100,000 by default; built by bulk ingestion, which checks
  signatures on every core before the single writer), vs the same bound with the
  verifies spread over two cores; target >= 50 %.
- hosted ``submit()`` by a head of delegation under the forum's rules of procedure vs the
  same statements with the admission rules switched off, alternating in one run (no target:
  the cost of the rules, reported).
- inclusion proofs served from the database at 10^6 entries: rows read per proof
  (O(log n)) and rate vs the in-memory ``Tree``; target >= 20 %.

Each measurement runs in a child process with its own ``DATABASE_URL``.
Usage: python -m bench.ledger_bench [--quick | --tiny] [--out FILE]

``--tiny`` runs every measurement at a size too small to mean anything, so that
``make test`` proves each one still runs and writes its result (a benchmark that
nobody runs breaks unnoticed); its figures are never reported.
"""

import base64
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.options import result_path, run_size

RESULTS = Path(__file__).parent / "results" / "ledger.json"
ROOT = Path(__file__).resolve().parent.parent
KEK = "bench:" + base64.b64encode(b"b" * 32).decode()
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


def _found() -> Any:
    from accord.ledger import actions  # noqa: PLC0415
    from accord.tlog import note  # noqa: PLC0415

    actions.found_log("bench.example/log")
    signer = note.Signer(note.format_skey("aa.bench", b"\x01" * 32))
    actions.register_party("AA", "State A", vkey=signer.vkey)
    return signer


def _presigned(signer: Any, count: int) -> list[Any]:
    from accord.ledger.envelope import SignedStatement, Statement  # noqa: PLC0415
    from accord.ledger.submit import Submission  # noqa: PLC0415

    submissions = []
    for seq in range(1, count + 1):
        statement = Statement(
            forum="bench.example/log",
            kind="ledger.communique.published",
            v=1,
            actor="AA",
            seq=seq,
            at="2025-01-30T09:00:00.000000Z",
            distribution="public",
            body={"title": f"No. {seq}", "text": "A statement of ordinary length. " * 8},
        )
        submissions.append(
            Submission(
                SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
            )
        )
    return submissions


def _bound_per_entry(signer: Any, count: int) -> tuple[float, float]:
    """(seconds per raw Ed25519 verify, seconds per empty durable INSERT + COMMIT)."""
    from django.db import connection, transaction  # noqa: PLC0415

    from accord.tlog import note  # noqa: PLC0415

    message = b"x" * 300
    signature = signer.sign(message)
    verifier = note.Verifier(signer.vkey)
    start = time.perf_counter()
    for _ in range(count):
        verifier.verify(message, signature)
    verify = (time.perf_counter() - start) / count
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bound (id integer primary key, data text)")
    start = time.perf_counter()
    for number in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bound (id, data) VALUES (%s, %s)", [number, ""])
    insert = (time.perf_counter() - start) / count
    return verify, insert


def _design_bound_per_entry(signer: Any, count: int) -> float:
    """Seconds per entry for what the design itself requires of every submission, done raw:
    one Ed25519 verify, one Ed25519 sign (the receipt) and five one-row writes (entry,
    sequence, projection, log state, receipt) in one durable transaction."""
    from django.db import connection, transaction  # noqa: PLC0415

    from accord.tlog import note  # noqa: PLC0415

    message = b"x" * 300
    signature = signer.sign(message)
    verifier = note.Verifier(signer.vkey)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_design (id integer primary key, data text)")
    start = time.perf_counter()
    for number in range(count):
        verifier.verify(message, signature)
        signer.sign(message)
        with transaction.atomic(), connection.cursor() as cursor:
            for row in range(5):
                cursor.execute(
                    "INSERT INTO bench_design (id, data) VALUES (%s, %s)", [number * 5 + row, ""]
                )
    return (time.perf_counter() - start) / count


def child_submit(count: int) -> dict[str, Any]:
    _setup()
    from accord.ledger.submit import submit  # noqa: PLC0415

    signer = _found()
    submissions = _presigned(signer, count)
    start = time.perf_counter()
    for submission in submissions:
        submit(submission)
    ours = (time.perf_counter() - start) / count
    verify, insert = _bound_per_entry(signer, count)
    design = _design_bound_per_entry(signer, count)
    return {
        "per_s": 1 / ours,
        "bound_per_s": 1 / (verify + insert),
        "ratio": (verify + insert) / ours,
        "design_bound_per_s": 1 / design,
        "design_ratio": design / ours,
    }


def child_replay(count: int) -> dict[str, Any]:
    _setup()
    from accord.ledger.replay import replay  # noqa: PLC0415
    from accord.ledger.submit import ingest  # noqa: PLC0415

    signer = _found()
    submissions = _presigned(signer, count)
    start = time.perf_counter()
    ingest(submissions, batch=1000)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    result = replay()
    replay_s = time.perf_counter() - start
    verify, insert = _bound_per_entry(signer, 2000)
    bound = verify / 2 + insert  # two cores share the verifies; the writes stay one at a time
    return {
        "entries": result.entries,
        "ingest_per_s": count / ingest_s,
        "replay_per_s": result.entries / replay_s,
        "bound_per_s": 1 / bound,
        "ratio": bound * result.entries / replay_s,
    }


def child_proofs(size: int) -> dict[str, Any]:
    _setup()
    from accord.ledger.hashes import (  # noqa: PLC0415
        StoredHashes,
        forget_cached_tiles,
        store_full_tiles,
    )
    from accord.ledger.models import Entry  # noqa: PLC0415
    from accord.tlog.merkle import Tree  # noqa: PLC0415

    tree = Tree()
    rows = []
    for index in range(size):
        leaf_hash = hashlib.sha256(b"%d" % index).digest()
        tree.append_hash(leaf_hash)
        rows.append(
            Entry(
                index=index,
                leaf=b"",
                leaf_hash=leaf_hash,
                logged_at="",
                kind="k",
                actor="AA",
                seq=index + 1,
            )
        )
        if len(rows) == 20_000:
            Entry.objects.bulk_create(rows)
            rows = []
    Entry.objects.bulk_create(rows)
    for tile_end in range(256, size + 1, 256):
        store_full_tiles(tile_end)
    rng = random.Random(2025)
    indexes = [rng.randrange(size) for _ in range(400)]
    counts = []
    for index in indexes[:50]:
        forget_cached_tiles()  # a cold process: every tile read from the database
        hashes = StoredHashes(size)
        hashes.inclusion_proof(index)
        counts.append(hashes.rows)
    forget_cached_tiles()
    rows_read = 0
    start = time.perf_counter()
    for index in indexes:
        hashes = StoredHashes(size)
        hashes.inclusion_proof(index)
        rows_read += hashes.rows
    stored_s = (time.perf_counter() - start) / len(indexes)
    start = time.perf_counter()
    for index in indexes:  # the same proofs again: a server whose tile cache is warm
        StoredHashes(size).inclusion_proof(index)
    warm_s = (time.perf_counter() - start) / len(indexes)
    start = time.perf_counter()
    for index in indexes * 10:
        tree.inclusion_proof(index)
    memory_s = (time.perf_counter() - start) / (len(indexes) * 10)
    return {
        "entries": size,
        "rows_per_proof_mean": sum(counts) / len(counts),
        "rows_per_proof_max": max(counts),
        "rows_per_proof_in_a_run": rows_read / len(indexes),
        "stored_per_s": 1 / stored_s,
        "memory_per_s": 1 / memory_s,
        "ratio": memory_s / stored_s,
        "warm_per_s": 1 / warm_s,
        "warm_ratio": memory_s / warm_s,
    }


def child_forum(count: int) -> dict[str, Any]:
    """Hosted statements by a head of delegation, with the forum's rules of procedure
    (one extra query and a profile check each) and, alternating in the same run, without."""
    _setup()
    from django.conf import settings  # noqa: PLC0415

    from accord.forum import actions, founding  # noqa: PLC0415
    from accord.ledger import registry  # noqa: PLC0415
    from accord.ledger.actions import publish_communique  # noqa: PLC0415

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    forum = founding.parse(
        '[forum]\nname = "Bench"\norigin = "bench.example/forum"\nlanguages = ["en"]\n'
        'symbol_prefix = "B"\nchair = "AA"\n[[party]]\ncode = "AA"\nname = "State A"\n'
    )
    actions.found_forum(forum)
    actions.add_person("aa.head", party="AA", role="head", email="head@bench.example")
    # Adding a person signs nothing: the party itself accredits its first head in the log.
    actions.accredit(actions.as_party("AA"), "aa.head", "head")
    rules = list(registry.ADMISSION_RULES)
    spent = {"with": 0.0, "without": 0.0}
    batch = 25
    for round_ in range(count // batch):
        for label in ("with", "without"):
            registry.ADMISSION_RULES[:] = rules if label == "with" else []
            started = time.perf_counter()
            for i in range(batch):
                publish_communique("AA", f"{label} {round_}.{i}", "Text.", by="aa.head")
            spent[label] += time.perf_counter() - started
    done = batch * (count // batch)
    with_rules, without = done / spent["with"], done / spent["without"]
    return {
        "statements": done,
        "with_per_s": with_rules,
        "without_per_s": without,
        "ratio": with_rules / without,
    }


def _postgres_database() -> str | None:
    try:
        import psycopg  # noqa: PLC0415

        name = f"accord_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**PG_ADMIN, autocommit=True, connect_timeout=3) as connection:  # type: ignore[arg-type]
            connection.execute(f'CREATE DATABASE "{name}"')
    except Exception:  # noqa: BLE001 -- no PostgreSQL here: its row is left out and said so
        return None
    return name


def _drop(name: str) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(**PG_ADMIN, autocommit=True) as connection:  # type: ignore[arg-type]
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _child(kind: str, amount: int, url: str, folder: Path) -> dict[str, Any]:
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "ACCORD_KEK": KEK,
        "ACCORD_VAR_DIR": str(folder),
        # Production settings: DEBUG off, so Django does not record every query.
        "ACCORD_DEBUG": "false",
        "ACCORD_SECRET_KEY": "bench-only-secret",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.ledger_bench", "--child", kind, str(amount)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    submits, replayed, proved = {
        "tiny": (50, 300, 2_000),
        "quick": (100, 2_000, 100_000),
        "full": (500, 100_000, 1_000_000),
    }[run_size()]
    out = result_path(RESULTS)
    console = Console()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with console.status("submit() on SQLite"):
            results["submit_sqlite"] = _child(
                "submit", submits, f"sqlite:///{folder / 'submit.sqlite3'}", folder
            )
        name = _postgres_database()
        if name is not None:
            with console.status("submit() on PostgreSQL"):
                try:
                    results["submit_postgresql"] = _child(
                        "submit", submits, f"postgres://postgres@127.0.0.1:5432/{name}", folder
                    )
                finally:
                    _drop(name)
        with console.status("hosted submit() under the forum's rules of procedure"):
            results["forum_rules_sqlite"] = _child(
                "forum", submits, f"sqlite:///{folder / 'forum.sqlite3'}", folder
            )
        with console.status(f"bulk ingestion and replay of {replayed:,} entries"):
            results["replay_sqlite"] = _child(
                "replay", replayed, f"sqlite:///{folder / 'replay.sqlite3'}", folder
            )
        with console.status(f"proofs from stored tiles at {proved:,} entries"):
            results["proofs_sqlite"] = _child(
                "proofs", proved, f"sqlite:///{folder / 'proofs.sqlite3'}", folder
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = Table(title="Accord ledger (ratios measured in one run)")
    for column in ("operation", "ours", "bound", "ratio", "target"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for engine in ("sqlite", "postgresql"):
        row = results.get(f"submit_{engine}")
        if row is None:
            table.add_row(f"submit(), {engine}", "not run: no server", "", "", ">= 50%")
            continue
        table.add_row(
            f"submit(), {engine}",
            f"{row['per_s']:,.0f}/s",
            f"{row['bound_per_s']:,.0f}/s",
            f"{row['ratio']:.0%}",
            ">= 50%",
        )
        table.add_row(
            "  vs verify+sign+5 writes",
            "",
            f"{row['design_bound_per_s']:,.0f}/s",
            f"{row['design_ratio']:.0%}",
            "",
        )
    forum_row = results["forum_rules_sqlite"]
    table.add_row(
        "hosted submit(), rules of procedure on / off",
        f"{forum_row['with_per_s']:,.0f}/s",
        f"{forum_row['without_per_s']:,.0f}/s",
        f"{forum_row['ratio']:.0%}",
        "",
    )
    replay_row = results["replay_sqlite"]
    table.add_row(
        f"bulk ingestion, {replay_row['entries']:,}",
        f"{replay_row['ingest_per_s']:,.0f}/s",
        "",
        "",
        "",
    )
    table.add_row(
        f"replay, {replay_row['entries']:,}",
        f"{replay_row['replay_per_s']:,.0f}/s",
        f"{replay_row['bound_per_s']:,.0f}/s",
        f"{replay_row['ratio']:.0%}",
        ">= 50%",
    )
    proofs = results["proofs_sqlite"]
    table.add_row(
        f"proof from stored tiles, {proofs['entries']:,}",
        f"{proofs['stored_per_s']:,.0f}/s",
        f"Tree {proofs['memory_per_s']:,.0f}/s",
        f"{proofs['ratio']:.0%}",
        ">= 20%",
    )
    table.add_row(
        f"same proofs, warm tile cache, {proofs['entries']:,}",
        f"{proofs['warm_per_s']:,.0f}/s",
        f"Tree {proofs['memory_per_s']:,.0f}/s",
        f"{proofs['warm_ratio']:.0%}",
        ">= 20%",
    )
    table.add_row(
        "rows per proof: cold / in a run of 400",
        f"{proofs['rows_per_proof_mean']:.0f} / {proofs['rows_per_proof_in_a_run']:.1f}",
        "",
        "",
        "O(log n)",
    )
    console.print(table)
    console.print(f"Wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, amount = sys.argv[2], int(sys.argv[3])
        measure = {
            "submit": child_submit,
            "forum": child_forum,
            "replay": child_replay,
            "proofs": child_proofs,
        }[kind]
        print(json.dumps(measure(amount)))
    else:
        main()
