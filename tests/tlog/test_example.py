"""The multi-party example in tests/tlog/data/example: reproducible and checkable from its files."""

from pathlib import Path

from accord.tlog.merkle import leaf_hash
from accord.tlog.policy import Policy
from accord.tlog.proof import Receipt
from accord.tlog.witness import AddCheckpointRequest
from tests.tlog import example

COMMITTED = Path(__file__).parent / "data" / "example"


def test_the_committed_example_is_regenerated_byte_for_byte() -> None:
    fresh = example.build()
    assert sorted(fresh) == sorted(p.name for p in COMMITTED.iterdir())
    for name, text in fresh.items():
        assert (COMMITTED / name).read_text(encoding="utf-8") == text, name


def test_an_auditor_checks_the_example_from_its_files_alone() -> None:
    policy = Policy.parse((COMMITTED / "policy.txt").read_text())
    checkpoint, witnesses = policy.verify((COMMITTED / "checkpoint.txt").read_text())
    assert (checkpoint.origin, checkpoint.size) == ("forum.example/log", 7)
    assert witnesses == ["BY", "HU", "KZ"]

    receipt = Receipt.parse((COMMITTED / "entry-5.tlog-proof").read_text())
    entry = (COMMITTED / "entries.txt").read_text().splitlines()[5]
    log_verifier = policy.logs[0].verifier
    assert (
        receipt.verify(leaf_hash(entry.encode()), [log_verifier], "forum.example/log") == checkpoint
    )

    request = AddCheckpointRequest.parse((COMMITTED / "add-checkpoint.txt").read_text())
    assert request.old_size == 4
    assert request.checkpoint == (COMMITTED / "checkpoint.txt").read_text().split("— witness")[0]
