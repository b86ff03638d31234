"""Independent recomputations for checking accord.tlog.merkle.

Written straight from the recursive definitions of RFC 9162 §2.1 (MTH, PATH,
PROOF), with no shared code, so that a test can ask "what should happen"
without trusting the implementation under test.
"""

import hashlib
from collections.abc import Sequence


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: Sequence[bytes]) -> bytes:
    if not leaves:
        return _h(b"")
    if len(leaves) == 1:
        return _h(b"\x00" + leaves[0])
    k = _k(len(leaves))
    return _h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    return _subproof(m, leaves, complete=True)


def _subproof(m: int, leaves: Sequence[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = _k(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), mth(leaves[:k])]


def root_from_path(index: int, size: int, leaf_hash: bytes, audit: Sequence[bytes]) -> bytes | None:
    """The root an audit path leads to for (index, size), or None if its length is wrong."""
    if size == 1:
        return None if audit else leaf_hash
    if not audit:
        return None
    k = _k(size)
    if index < k:
        below = root_from_path(index, k, leaf_hash, audit[:-1])
        return None if below is None else _h(b"\x01" + below + audit[-1])
    below = root_from_path(index - k, size - k, leaf_hash, audit[:-1])
    return None if below is None else _h(b"\x01" + audit[-1] + below)
