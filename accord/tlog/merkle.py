"""Merkle trees as RFC 9162 §2.1 defines them (the same hashing as RFC 6962).

Leaves are hashed ``SHA-256(0x00 || data)`` and interior nodes
``SHA-256(0x01 || left || right)``; a tree of n leaves splits at the largest power
of two below n. Proofs are lists of 32-byte hashes in leaf-to-root order, the
order RFC 9162, C2SP tlog-proof and tlog-witness use on the wire.

The verifiers are transcriptions of RFC 9162 §2.1.3.2 and §2.1.4.2 with the
checks the RFC leaves implicit made explicit: an index must be below the size,
every hash must be 32 bytes, and a consistency proof from size 0 is refused (as
transparency-dev/merkle refuses it; the witness code handles ``old 0`` itself,
as c2sp.org/tlog-witness asks).
"""

import hashlib
from collections.abc import Callable, Sequence

from accord.tlog.errors import ProofError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the empty tree: SHA-256 of nothing (RFC 9162 §2.1.1)."""

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of raw leaf data; one hash per leaf and per interior node."""
    level = [leaf_hash(data) for data in leaves]
    if not level:
        return EMPTY_ROOT
    # Pairing neighbours level by level and carrying an odd last node up unchanged
    # builds exactly the left-balanced tree of RFC 9162 §2.1.1.
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path PATH(index, leaves); O(n) hashes to build the tree first."""
    return _tree_of(leaves).inclusion_proof(index)


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, leaves); ``[]`` when old_size is the whole tree."""
    return _tree_of(leaves).consistency_proof(old_size)


def _tree_of(leaves: Sequence[bytes]) -> "Tree":
    tree = Tree()
    for data in leaves:
        tree.append(data)
    return tree


def _largest_power_below(n: int) -> int:
    """The largest power of two strictly less than n (n >= 2): RFC 9162's k."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """An append-only tree that keeps the hash of every complete subtree, packed.

    Level l is one ``bytearray`` holding the hashes of the subtrees
    ``D[i·2^l : (i+1)·2^l]``, 32 bytes each, so the tree costs about 64 bytes per
    leaf and no Python object per node. That is enough to answer an inclusion or
    consistency proof for any index at any earlier size: every hash a proof
    needs is either stored or the fold of at most log2(n) stored hashes.
    Appending costs one leaf hash plus, amortised, one node hash.
    """

    __slots__ = ("_levels", "_size")

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def append(self, data: bytes) -> int:
        """Add a leaf of raw data; returns its index."""
        return self.append_hash(_sha256(b"\x00" + data).digest())

    def append_hash(self, leaf: bytes) -> int:
        """Add a leaf by its leaf hash (as a log stores it); returns its index."""
        if len(leaf) != HASH_SIZE:
            raise ProofError(f"leaf hash: expected {HASH_SIZE} bytes, found {len(leaf)}")
        levels = self._levels
        index = self._size
        levels[0] += leaf
        node = leaf
        level = 0
        completed = index + 1
        # Each trailing one bit of the new size is a pair this leaf completes.
        while not completed & 1:
            node = _sha256(b"\x01" + levels[level][-64:-32] + node).digest()
            level += 1
            if level == len(levels):
                levels.append(bytearray())
            levels[level] += node
            completed >>= 1
        self._size = index + 1
        return index

    def root(self, size: int | None = None) -> bytes:
        """The root at ``size`` (default: now); at most log2(size) hashes."""
        size = self._size_at(size)
        return range_root(self.perfect_hash, 0, size) if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) in leaf-to-root order (RFC 9162 §2.1.3.1)."""
        return audit_path(self.perfect_hash, index, self._size_at(size))

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) (RFC 9162 §2.1.4.1); ``[]`` for equal sizes."""
        return consistency_path(self.perfect_hash, old_size, self._size_at(new_size))

    def perfect_hash(self, level: int, index: int) -> bytes:
        """The stored hash of the complete subtree D[index·2^level : (index+1)·2^level]."""
        offset = index * HASH_SIZE
        return bytes(self._levels[level][offset : offset + HASH_SIZE])

    def tile(self, level: int, index: int, width: int = 256) -> bytes:
        """The bytes of C2SP tile ``level/index`` of ``width`` hashes (height 8)."""
        hashes = self._levels[8 * level] if 8 * level < len(self._levels) else bytearray()
        start, stop = index * 256, index * 256 + width
        if not (0 < width <= 256 and index >= 0 and stop * HASH_SIZE <= len(hashes)):
            raise ProofError(
                f"tile {level}/{index} width {width}: the tree of size {self._size}"
                " does not have that many hashes at that level"
            )
        return bytes(hashes[start * HASH_SIZE : stop * HASH_SIZE])

    def _size_at(self, size: int | None) -> int:
        if size is None:
            return self._size
        if not 0 <= size <= self._size:
            raise ProofError(f"tree size: expected 0 <= size <= {self._size}, found {size}")
        return size


PerfectHash = Callable[[int, int], bytes]
"""``perfect(level, index)``: MTH of the complete subtree D[index·2^level : (index+1)·2^level]."""


def range_root(perfect: PerfectHash, lo: int, hi: int) -> bytes:
    """MTH(D[lo:hi]) for the aligned ranges RFC 9162's recursion produces (lo < hi).

    A complete subtree is one ``perfect`` call; the right edge of a tree is the
    fold of at most log2(hi − lo) of them.
    """
    n = hi - lo
    if not n & (n - 1):
        level = n.bit_length() - 1
        return perfect(level, lo >> level)
    k = _largest_power_below(n)
    return _sha256(
        b"\x01" + range_root(perfect, lo, lo + k) + range_root(perfect, lo + k, hi)
    ).digest()


def audit_path(perfect: PerfectHash, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) from any source of complete-subtree hashes (a Tree, stored tiles)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index: expected 0 <= index < {size}, found {index}")
    siblings = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_below(hi - lo)
        if index < lo + k:
            siblings.append(range_root(perfect, lo + k, hi))
            hi = lo + k
        else:
            siblings.append(range_root(perfect, lo, lo + k))
            lo += k
    siblings.reverse()
    return siblings


def consistency_path(perfect: PerfectHash, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) from any source of complete-subtree hashes."""
    if not 0 < old_size <= new_size:
        raise ProofError(
            f"old size: expected 0 < old size <= {new_size}, found {old_size}"
            " (a consistency proof from size 0 is meaningless)"
        )
    proof = []
    lo, hi, whole = 0, new_size, True
    while old_size != hi:
        k = _largest_power_below(hi - lo)
        if old_size - lo <= k:
            proof.append(range_root(perfect, lo + k, hi))
            hi = lo + k
        else:
            proof.append(range_root(perfect, lo, lo + k))
            lo += k
            whole = False
    if not whole:
        proof.append(range_root(perfect, lo, hi))
    proof.reverse()
    return proof


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what}: expected a {HASH_SIZE}-byte hash, found {len(value)} bytes")


def _check_proof(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof):
        _check_hash(element, f"proof[{position}]")


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree ``(size, root)``.

    RFC 9162 §2.1.3.2; raises ProofError on any mismatch. Costs one hash per
    proof element.
    """
    _check_hash(leaf_hash, "leaf hash")
    _check_hash(root, "root")
    _check_proof(proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf index: expected 0 <= index < size {size}, found {index}")
    fn, sn, computed = index, size - 1, leaf_hash
    sha256 = _sha256
    for element in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof: {len(proof)} hashes are too many for size {size}")
        if fn & 1 or fn == sn:
            computed = sha256(b"\x01" + element + computed).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            computed = sha256(b"\x01" + computed + element).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof: {len(proof)} hashes are too few for size {size}")
    if computed != root:
        raise ProofError(f"inclusion proof: expected root {root.hex()}, computed {computed.hex()}")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Check that the tree ``(new_size, new_root)`` extends ``(old_size, old_root)``.

    RFC 9162 §2.1.4.2 for 0 < old_size < new_size; equal sizes need an empty
    proof and equal roots. Raises ProofError on any mismatch, including a check
    from size 0. Costs two hashes per proof element at most.
    """
    _check_hash(old_root, "old root")
    _check_hash(new_root, "new root")
    _check_proof(proof)
    if not 0 < old_size <= new_size:
        raise ProofError(
            f"sizes: expected 0 < old size <= new size, found {old_size} and {new_size}"
        )
    if old_size == new_size:
        if proof:
            raise ProofError(
                f"consistency proof: expected no hashes for equal sizes, found {len(proof)}"
            )
        if old_root != new_root:
            raise ProofError(
                f"roots: expected equal roots at equal size {old_size},"
                f" found {old_root.hex()} and {new_root.hex()}"
            )
        return
    if not proof:
        raise ProofError("consistency proof: expected at least one hash, found none")
    old_computed, new_computed = _consistency_roots(old_size, new_size, proof, old_root)
    if old_computed != old_root:
        raise ProofError(
            f"consistency proof: expected old root {old_root.hex()}, computed {old_computed.hex()}"
        )
    if new_computed != new_root:
        raise ProofError(
            f"consistency proof: expected new root {new_root.hex()}, computed {new_computed.hex()}"
        )


def _consistency_roots(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes
) -> tuple[bytes, bytes]:
    """The (old, new) roots a consistency proof leads to (RFC 9162 §2.1.4.2 steps 1-6)."""
    path = list(proof)
    if not old_size & (old_size - 1):
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old_computed = new_computed = path[0]
    sha256 = _sha256
    for element in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof: {len(proof)} hashes are too many")
        if fn & 1 or fn == sn:
            old_computed = sha256(b"\x01" + element + old_computed).digest()
            new_computed = sha256(b"\x01" + element + new_computed).digest()
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            new_computed = sha256(b"\x01" + new_computed + element).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"consistency proof: {len(proof)} hashes are too few")
    return old_computed, new_computed
