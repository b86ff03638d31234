"""Benchmarks of witnessing, each figure beside its bound measured in the same run.

- Collecting: 57 witnesses, real ``accord.witness`` servers in threads of four processes
  on 127.0.0.1, each answering after an injected 100 ms delay as a network would. The
  time from the start of the host's collection round (``accord.ledger.cosigning.collect``)
  until a quorum (a majority, 29) of verified cosignatures is in, against one round trip
  to one such witness with the same delay; target <= 1.5x (parallel, not serial). The
  time until all 57 are in, and the whole round with the one transaction that stores
  them, are reported beside it.
- Opening: the 57-cosignature checkpoint that collection produced, opened with
  ``accord.tlog`` (``Policy.check``: parsing, the log's signature, every cosignature, the
  quorum), against raw verification with ``cryptography`` of the same signatures (the 57
  Ed25519 cosignatures and the log's own), keys and messages prepared beforehand; target
  >= 80 %.

Usage: python -m bench.witness_bench [--quick | --tiny] [--out FILE]

``--tiny`` (3 witnesses, 10 ms) proves in seconds that every measurement still runs and
writes its result; its figures are never reported.
"""

import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.options import result_path, run_child, run_size

RESULTS = Path(__file__).parent / "results" / "witness.json"
ROOT = Path(__file__).resolve().parent.parent
KEK = "bench:" + base64.b64encode(b"w" * 32).decode()
ORIGIN = "bench.example/witnessed"
WITNESS_PROCESSES = 4


@dataclass(frozen=True)
class Size:
    witnesses: int
    delay_s: float
    repeats: int
    opens: int


SIZES = {
    "tiny": Size(witnesses=3, delay_s=0.010, repeats=2, opens=20),
    "quick": Size(witnesses=57, delay_s=0.100, repeats=5, opens=200),
    "full": Size(witnesses=57, delay_s=0.100, repeats=15, opens=1000),
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)


def _skey(label: str) -> str:
    import hashlib  # noqa: PLC0415

    from accord.tlog import note  # noqa: PLC0415

    return note.format_skey(label, hashlib.sha256(label.encode()).digest())


# -- the witnesses ------------------------------------------------------------------------------


def _delayed_service(delay_s: float, **arguments: Any) -> Any:
    """A real witness service that waits ``delay_s`` before answering, as a network would."""
    from accord.witness.server import WitnessService  # noqa: PLC0415

    class DelayedService(WitnessService):
        def add_checkpoint(self, body: bytes) -> Any:
            time.sleep(delay_s)
            return super().add_checkpoint(body)

    return DelayedService(**arguments)


@dataclass(frozen=True)
class Witness:
    name: str
    vkey: str
    prefix: str


def _witness_name(number: int) -> str:
    return f"w{number:02d}.bench.example/witness"


def serve_witnesses(first: int, count: int, delay_s: float, log_vkey: str) -> None:
    """Serve witnesses ``first`` .. ``first + count - 1`` in threads of this process, print
    their URLs as one JSON line, and stop when standard input closes."""
    from accord.tlog import note  # noqa: PLC0415
    from accord.tlog.cosignature import Cosigner  # noqa: PLC0415
    from accord.tlog.witness import MemoryWitnessStore  # noqa: PLC0415
    from accord.witness.server import AddCheckpointHandler, WitnessServer  # noqa: PLC0415

    AddCheckpointHandler.log_message = lambda *_: None  # type: ignore[method-assign]
    prefixes = []
    for number in range(first, first + count):
        service = _delayed_service(
            delay_s,
            cosigner=[Cosigner(_skey(_witness_name(number)))],
            logs={ORIGIN: [note.Verifier(log_vkey)]},
            store=MemoryWitnessStore(),
        )
        server = WitnessServer("127.0.0.1", 0, service)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        prefixes.append(server.url.removesuffix("/add-checkpoint"))
    print(json.dumps(prefixes), flush=True)
    sys.stdin.read()


def _start_witnesses(count: int, delay_s: float, log_vkey: str) -> tuple[list[Witness], list[Any]]:
    """``count`` Ed25519 witnesses trusting the log, in threads spread over a few processes
    (so the witnesses' own signing does not share the collector's interpreter lock)."""
    from accord.tlog.cosignature import Cosigner  # noqa: PLC0415

    groups = min(WITNESS_PROCESSES, count)
    processes, prefixes = [], []
    for group in range(groups):
        first, last = group * count // groups, (group + 1) * count // groups
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.witness_bench",
                "--witnesses",
                str(first),
                str(last - first),
                str(delay_s),
                log_vkey,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        processes.append(process)
    for process in processes:
        assert process.stdout is not None
        prefixes += json.loads(process.stdout.readline())
    witnesses = [
        Witness(_witness_name(n), Cosigner(_skey(_witness_name(n))).vkey, prefixes[n])
        for n in range(count)
    ]
    return witnesses, processes


def _policy_text(log_vkey: str, witnesses: list[Witness]) -> str:
    """One witness per party and a majority of them, as the forum's default policy reads."""
    lines = [f"log {log_vkey}", *(f"witness {w.name} {w.vkey}" for w in witnesses)]
    majority = len(witnesses) // 2 + 1
    lines += [f"group parties {majority} {' '.join(w.name for w in witnesses)}", "quorum parties"]
    return "".join(line + "\n" for line in lines)


# -- the measurements ---------------------------------------------------------------------------


def _grow_and_sign() -> Any:
    from accord.ledger.actions import publish_communique  # noqa: PLC0415
    from accord.ledger.checkpoints import sign_checkpoint  # noqa: PLC0415

    publish_communique("AA", "Bench", "One more statement.")
    return sign_checkpoint()


def _round_trip(witness: Witness, checkpoint: Any, old: int) -> float:
    """One add-checkpoint request to one witness, as the collector sends it; seconds."""
    from accord.ledger.hashes import StoredHashes  # noqa: PLC0415
    from accord.tlog.witness import AddCheckpointRequest  # noqa: PLC0415

    proof = tuple(StoredHashes(checkpoint.size).consistency_proof(old)) if old else ()
    body = AddCheckpointRequest(old, proof, checkpoint.note).format().encode()
    request = urllib.request.Request(witness.prefix + "/add-checkpoint", data=body, method="POST")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
    return time.perf_counter() - started


def _collecting(size: Size) -> tuple[dict[str, Any], str, str]:
    """Collection from ``size.witnesses`` witnesses vs one round trip; and, for the opening
    measurement, the last cosigned checkpoint as served and the policy it meets."""
    from accord.ledger import actions, cosigning, witnesses  # noqa: PLC0415
    from accord.ledger.models import LogState  # noqa: PLC0415
    from accord.ledger.witnesses import WitnessEndpoint, Witnesses  # noqa: PLC0415
    from accord.tlog.policy import Policy  # noqa: PLC0415

    actions.found_log(
        ORIGIN, log_skey=_skey(ORIGIN), secretariat_skey=_skey("secretariat.bench.example")
    )
    actions.register_party("AA", "State A", hosted_skey=_skey("aa.bench.example"))
    log_vkey = LogState.objects.get(pk=1).log_vkey
    started, processes = _start_witnesses(size.witnesses + 1, size.delay_s, log_vkey)
    alone, asked = started[0], started[1:]
    text = _policy_text(log_vkey, asked)
    endpoints = tuple(
        WitnessEndpoint(w.name, (w.vkey,), w.prefix, "AA", counts=True) for w in asked
    )
    found = Witnesses(endpoints, Policy.parse(text), text, 10.0)
    witnesses._SOURCES[:] = [lambda: found]  # noqa: SLF001 -- the bench is the forum here
    collect_s, quorum_s, all_s, trip_s = [], [], [], []
    quorum = len(asked) // 2 + 1
    alone_size = 0
    for _ in range(size.repeats + 1):  # the first round warms connections and caches
        checkpoint = _grow_and_sign()
        trip_s.append(_round_trip(alone, checkpoint, alone_size))
        alone_size = checkpoint.size
        began = time.perf_counter()
        collected = cosigning.collect(checkpoint)
        collect_s.append(time.perf_counter() - began)
        assert len(collected.cosigned) == size.witnesses, collected.failed
        answered = sorted(t.total_seconds() for t in collected.answered_after.values())
        quorum_s.append(answered[quorum - 1])
        all_s.append(answered[-1])
    standing = cosigning.standing(checkpoint, found)
    assert standing is not None
    assert standing.met
    for process in processes:
        process.communicate()
    quorum_time, trip = statistics.median(quorum_s[1:]), statistics.median(trip_s[1:])
    row = {
        "witnesses": size.witnesses,
        "delay_s": size.delay_s,
        "quorum": quorum,
        "rounds": size.repeats,
        "quorum_s": quorum_time,
        "all_answered_s": statistics.median(all_s[1:]),
        "round_s": statistics.median(collect_s[1:]),
        "one_round_trip_s": trip,
        "ratio": quorum_time / trip,
        "all_answered_ratio": statistics.median(all_s[1:]) / trip,
    }
    return row, standing.note, text


def _best(action: Callable[[], object], count: int) -> float:
    """Seconds per call: the best of five runs of ``count`` calls."""
    runs = []
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(count):
            action()
        runs.append((time.perf_counter() - began) / count)
    return min(runs)


def _opening(served: str, policy_text: str, size: Size) -> dict[str, Any]:
    """``Policy.check`` of the cosigned checkpoint vs ``cryptography`` over its signatures."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PublicKey,
    )

    from accord.tlog import note  # noqa: PLC0415
    from accord.tlog.policy import Policy  # noqa: PLC0415

    policy = Policy.parse(policy_text)
    text, lines = note.split(served)
    keys = {}
    for vkey in [log.vkey for log in policy.logs] + [w.vkey for w in policy.witnesses]:
        name, key_id, typed = vkey.split("+", 2)  # name, key ID, base64(type || key)
        keys[(name, int(key_id, 16))] = base64.b64decode(typed)[1:]
    prepared = []
    for line in lines:
        public = Ed25519PublicKey.from_public_bytes(keys[(line.name, line.key_id)])
        if len(line.signature) == 64:  # the log's note signature
            prepared.append((public, line.signature, text.encode()))
        else:  # cosignature/v1: a timestamp, then the signature over the cosigned message
            stamp = int.from_bytes(line.signature[:8], "big")
            message = b"cosignature/v1\ntime %d\n" % stamp + text.encode()
            prepared.append((public, line.signature[8:], message))

    def raw_verification() -> None:
        for public, signature, message in prepared:
            public.verify(signature, message)

    witnessing = policy.check(served)
    assert witnessing.met
    assert len(witnessing.cosigned) == size.witnesses
    ours = _best(lambda: policy.check(served), max(1, size.opens // 10))
    raw = _best(raw_verification, max(1, size.opens // 10))
    return {
        "cosignatures": len(witnessing.cosigned),
        "signatures_verified": len(prepared),
        "ours_s": ours,
        "raw_s": raw,
        "ratio": raw / ours,
    }


def child_witness(size_name: str) -> dict[str, Any]:
    _setup()
    size = SIZES[size_name]
    collecting, served, policy = _collecting(size)
    return {
        "python": sys.version.split()[0],
        "size": size_name,
        "collect": collecting,
        "open": _opening(served, policy, size),
    }


def _child(size_name: str, folder: Path) -> dict[str, Any]:
    return run_child("bench.witness_bench", [size_name], folder, kek=KEK)


def _rows(results: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    collect = results["collect"]
    yield (
        (
            f"quorum of {collect['quorum']} from {collect['witnesses']} witnesses,"
            f" {collect['delay_s'] * 1000:.0f} ms each"
        ),
        f"{collect['quorum_s'] * 1000:,.0f} ms",
        f"one round trip {collect['one_round_trip_s'] * 1000:,.0f} ms",
        f"{collect['ratio']:.2f}x",
        "<= 1.5x",
    )
    yield (
        "  all answered, verified / whole round, stored",
        f"{collect['all_answered_s'] * 1000:,.0f} ms",
        f"{collect['round_s'] * 1000:,.0f} ms",
        f"{collect['all_answered_ratio']:.2f}x",
        "",
    )
    opened = results["open"]
    yield (
        f"open a {opened['cosignatures']}-cosignature checkpoint (Policy.check)",
        f"{opened['ours_s'] * 1000:,.2f} ms",
        f"raw {opened['signatures_verified']} verifications {opened['raw_s'] * 1000:,.2f} ms",
        f"{opened['ratio'] * 100:.0f} %",
        ">= 80 %",
    )


def main() -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    size_name = run_size()
    size = SIZES[size_name]
    out = result_path(RESULTS)
    console = Console()
    with (
        tempfile.TemporaryDirectory() as scratch,
        console.status(f"{size.witnesses} witnesses answering after {size.delay_s * 1000:.0f} ms"),
    ):
        results = _child(size_name, Path(scratch))
    for part in ("collect", "open"):
        assert part in results, f"the result has no {part} row"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = Table(title="Accord witnessing (ratios measured in one run)")
    for column in ("operation", "ours", "against", "ratio", "target"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for row in _rows(results):
        table.add_row(*row)
    console.print(table)
    console.print(f"Wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child_witness(sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--witnesses":
        serve_witnesses(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        main()
