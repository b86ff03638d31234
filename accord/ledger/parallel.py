"""Signature checks spread over the machine's cores, before the single writer runs.

Verifying an Ed25519 signature costs more than everything else the writer does
for a statement, and it depends on nothing but the statement, so bulk
ingestion and replay check every signature first, in worker processes, and the
single writer then skips that step. The writer still checks everything that
depends on the log's state (keys, sequence numbers, the kind's rules).
"""

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from accord.ledger.envelope import Entry, EnvelopeError, SignedStatement

CHUNK = 2000


def _check_leaves(leaves: list[bytes]) -> list[str | None]:
    results: list[str | None] = []
    for leaf in leaves:
        try:
            Entry.from_bytes(leaf).signed.verify()
            results.append(None)
        except EnvelopeError as exc:
            results.append(str(exc))
    return results


def _check_signed(signed: list[SignedStatement]) -> list[str | None]:
    results: list[str | None] = []
    for statement in signed:
        try:
            statement.verify()
            results.append(None)
        except EnvelopeError as exc:
            results.append(str(exc))
    return results


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def check_leaves(leaves: Sequence[bytes], processes: int | None = None) -> list[str | None]:
    """For each entry's bytes: None if its statement's signature verifies, else why not."""
    return _spread(_check_leaves, list(leaves), processes)


def check_signed(
    signed: Sequence[SignedStatement], processes: int | None = None
) -> list[str | None]:
    """For each signed statement: None if its signature verifies, else why not."""
    return _spread(_check_signed, list(signed), processes)


Item = TypeVar("Item")


def _spread(
    check: Callable[[list[Item]], list[str | None]], items: list[Item], processes: int | None
) -> list[str | None]:
    count = processes or workers()
    if count == 1 or len(items) < CHUNK:
        return check(items)
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    results: list[str | None] = []
    with ProcessPoolExecutor(max_workers=count) as pool:
        for part in pool.map(check, chunks):
            results += part
    return results
