"""A reproducible multi-party example: a log, three state witnesses, and what they exchange.

``python -m tests.tlog.example DIR`` writes, byte for byte the same on every run
(Ed25519 signing is deterministic and every seed is SHA-256 of a label):

- ``policy.txt``: a tlog-policy naming the log and one witness per state, quorum 2 of 3;
- ``add-checkpoint.txt``: the tlog-witness request the log sends to grow from 4 to 7 entries;
- ``checkpoint.txt``: the checkpoint of 7 entries, signed by the log and cosigned by all three;
- ``entry-5.tlog-proof``: a tlog-proof receipt for entry 5 against that checkpoint;
- ``entries.txt``: the seven entries, one per line.

The committed copy in tests/tlog/data/example is checked against a fresh one in
the suite, so a change to any format shows up as a diff an auditor can read.
"""

import sys
from pathlib import Path

from accord.tlog.checkpoint import Checkpoint
from accord.tlog.merkle import Tree
from accord.tlog.proof import Receipt
from accord.tlog.witness import AddCheckpointRequest, MemoryWitnessStore, add_checkpoint
from tests.tlog.keys import log_keys, witness_key

ORIGIN = "forum.example/log"
STATES = ("by", "hu", "kz")
ENTRIES = [f"statement {n}: communique of state {STATES[n % 3].upper()}" for n in range(7)]
TIME = 1_738_195_200  # 2025-01-30T00:00:00Z


def build() -> dict[str, str]:
    """The example's files, by name."""
    log, log_verifier = log_keys(ORIGIN)
    witnesses = {state: witness_key(f"witness.{state}.example") for state in STATES}
    tree = Tree()
    for entry in ENTRIES:
        tree.append(entry.encode())

    policy = f"log {log_verifier.vkey}\n"
    policy += "".join(f"witness {s.upper()} {w.vkey}\n" for s, w in witnesses.items())
    policy += "group states 2 BY HU KZ\nquorum states\n"

    signed = {
        size: Checkpoint(ORIGIN, size, tree.root(size)).sign(log) for size in (4, len(ENTRIES))
    }
    request = AddCheckpointRequest(4, tuple(tree.consistency_proof(4)), signed[len(ENTRIES)])
    cosigned = signed[len(ENTRIES)]
    for state, cosigner in witnesses.items():
        store = MemoryWitnessStore()
        logs = {ORIGIN: [log_verifier]}
        first = AddCheckpointRequest(0, (), signed[4]).format()
        for body in (first, request.format()):
            answer = add_checkpoint(
                body,
                cosigner=cosigner,
                logs=logs,
                store=store,
                timestamp=TIME + STATES.index(state),
            )
            assert answer.status == 200, answer.body
        cosigned += answer.body
    receipt = Receipt(5, tuple(tree.inclusion_proof(5)), cosigned)
    return {
        "policy.txt": policy,
        "add-checkpoint.txt": request.format(),
        "checkpoint.txt": cosigned,
        "entry-5.tlog-proof": receipt.format(),
        "entries.txt": "".join(entry + "\n" for entry in ENTRIES),
    }


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in build().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
