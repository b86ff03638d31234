"""accord.tlog.merkle against RFC 9162, published test data and an independent recomputation."""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tlog import ProofError, TlogError
from accord.tlog.merkle import (
    EMPTY_ROOT,
    Tree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from tests.tlog import rfc

DATA = Path(__file__).parent / "data" / "merkle"


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _probes(kind: str) -> list[Any]:
    files = sorted((DATA / kind).glob("*/*.json"))
    return [pytest.param(json.loads(f.read_text()), id=f"{f.parent.name}/{f.stem}") for f in files]


def _leaves(n: int) -> list[bytes]:
    return [b"leaf %d" % i for i in range(n)]


def _tree(leaves: list[bytes]) -> Tree:
    tree = Tree()
    for data in leaves:
        tree.append(data)
    return tree


# RFC 6962 hasher cases (transparency-dev/merkle rfc6962/rfc6962_test.go).


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root([]).hex() == expected
    assert EMPTY_ROOT.hex() == expected
    assert Tree().root().hex() == expected


def test_it_hashes_leaves_and_nodes_with_their_prefixes() -> None:
    assert (
        leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert leaf_hash(b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert node_hash(b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_it_matches_the_reference_tree_at_every_size() -> None:
    reference = json.loads((DATA / "reference_tree.json").read_text())
    leaves = [bytes.fromhex(h) for h in reference["leaves_hex"]]
    tree = Tree()
    for size, expected in enumerate(reference["roots_hex"]):
        assert root(leaves[:size]).hex() == expected
        assert tree.root().hex() == expected
        if size < len(leaves):
            tree.append(leaves[size])


# transparency-dev/merkle probe files: accept exactly what wantErr says.


def test_every_published_probe_is_present() -> None:
    assert len(_probes("inclusion")) == 82
    assert len(_probes("consistency")) == 84


@pytest.mark.parametrize("probe", _probes("inclusion"))
def test_inclusion_probe(probe: dict[str, Any]) -> None:
    leaf, proof, top = (
        _b64(probe["leafHash"]),
        [_b64(h) for h in probe["proof"] or []],
        _b64(probe["root"]),
    )
    index: int = probe["leafIdx"] if "leafIdx" in probe else probe["leafIndex"]
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, probe["treeSize"], proof, top)
    else:
        verify_inclusion(leaf, index, probe["treeSize"], proof, top)


@pytest.mark.parametrize("probe", _probes("consistency"))
def test_consistency_probe(probe: dict[str, Any]) -> None:
    arguments = (
        probe["size1"],
        probe["size2"],
        [_b64(h) for h in probe["proof"] or []],
        _b64(probe["root1"]),
        _b64(probe["root2"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*arguments)
    else:
        verify_consistency(*arguments)


# Proof generation against the recursive definitions, exhaustively for small trees.


def test_proofs_equal_the_rfc_definitions_for_every_size_up_to_40() -> None:
    leaves = _leaves(40)
    tree = _tree(leaves)
    for size in range(1, 41):
        assert tree.root(size) == rfc.mth(leaves[:size])
        for index in range(size):
            assert tree.inclusion_proof(index, size) == rfc.path(index, leaves[:size])
        for old in range(1, size + 1):
            assert tree.consistency_proof(old, size) == rfc.proof(old, leaves[:size])


def test_module_functions_agree_with_the_tree() -> None:
    leaves = _leaves(13)
    assert inclusion_proof(leaves, 7) == _tree(leaves).inclusion_proof(7)
    assert consistency_proof(leaves, 5) == _tree(leaves).consistency_proof(5)
    assert consistency_proof(leaves, 13) == []


def test_tree_root_agrees_with_root_at_every_size_up_to_300() -> None:
    leaves = _leaves(300)
    tree = Tree()
    for size in range(301):
        assert tree.size == size
        assert tree.root() == root(leaves[:size])
        if size < 300:
            assert tree.append(leaves[size]) == size


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=3000), st.data())
def test_random_trees_prove_and_verify(leaves: list[bytes], data: st.DataObject) -> None:
    tree = _tree(leaves)
    size = data.draw(st.integers(1, len(leaves)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(1, size), label="old size")
    new_root, old_root = tree.root(size), tree.root(old)
    assert new_root == rfc.mth(leaves[:size])

    audit = tree.inclusion_proof(index, size)
    verify_inclusion(leaf_hash(leaves[index]), index, size, audit, new_root)
    consistency = tree.consistency_proof(old, size)
    verify_consistency(old, size, consistency, old_root, new_root)


@given(st.integers(1, 600), st.data())
def test_a_flipped_bit_anywhere_breaks_an_inclusion_proof(size: int, data: st.DataObject) -> None:
    leaves = _leaves(size)
    tree = _tree(leaves)
    index = data.draw(st.integers(0, size - 1))
    audit = tree.inclusion_proof(index)
    leaf, top = leaf_hash(leaves[index]), tree.root()
    for position in range(len(audit)):
        bit = data.draw(st.integers(0, 255))
        broken = list(audit)
        broken[position] = _flip(broken[position], bit)
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, size, broken, top)
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, size, audit, _flip(top, data.draw(st.integers(0, 255))))
    with pytest.raises(ProofError):
        verify_inclusion(_flip(leaf, data.draw(st.integers(0, 255))), index, size, audit, top)


@given(st.integers(2, 600), st.data())
def test_a_flipped_bit_anywhere_breaks_a_consistency_proof(size: int, data: st.DataObject) -> None:
    tree = _tree(_leaves(size))
    old = data.draw(st.integers(1, size - 1))
    proof = tree.consistency_proof(old)
    old_root, new_root = tree.root(old), tree.root()
    for position in range(len(proof)):
        broken = list(proof)
        broken[position] = _flip(broken[position], data.draw(st.integers(0, 255)))
        with pytest.raises(ProofError):
            verify_consistency(old, size, broken, old_root, new_root)
    with pytest.raises(ProofError):
        verify_consistency(
            old, size, proof, _flip(old_root, data.draw(st.integers(0, 255))), new_root
        )
    with pytest.raises(ProofError):
        verify_consistency(
            old, size, proof, old_root, _flip(new_root, data.draw(st.integers(0, 255)))
        )


@given(st.lists(st.sampled_from([b"a", b"b"]), min_size=1, max_size=70), st.data())
def test_another_index_or_size_verifies_only_when_the_rfc_says_so(
    leaves: list[bytes], data: st.DataObject
) -> None:
    # Repeated leaf values make coinciding paths likely; the expectation comes
    # from the recursive definition, not from a blanket "it must fail".
    tree = _tree(leaves)
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1))
    audit = tree.inclusion_proof(index)
    leaf, top = leaf_hash(leaves[index]), tree.root()
    other_index = data.draw(st.integers(0, size - 1))
    other_size = data.draw(st.integers(other_index + 1, size + 70))
    for claimed_index, claimed_size in [(other_index, size), (other_index, other_size)]:
        expected = rfc.root_from_path(claimed_index, claimed_size, leaf, audit) == top
        try:
            verify_inclusion(leaf, claimed_index, claimed_size, audit, top)
        except ProofError:
            assert not expected
        else:
            assert expected


def _flip(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


# Edge cases the verifiers must pin down (reference/transparency-log.md §3.4).


def test_it_rejects_an_index_at_or_beyond_the_size() -> None:
    tree = _tree(_leaves(4))
    with pytest.raises(ProofError, match="expected 0 <= index < size 4, found 4"):
        verify_inclusion(leaf_hash(b"x"), 4, 4, tree.inclusion_proof(3), tree.root())
    with pytest.raises(ProofError, match="found -1"):
        verify_inclusion(leaf_hash(b"x"), -1, 4, [], tree.root())


def test_it_rejects_hashes_that_are_not_32_bytes() -> None:
    tree = _tree(_leaves(4))
    good = tree.inclusion_proof(1)
    leaf = leaf_hash(b"leaf 1")
    with pytest.raises(ProofError, match="leaf hash: expected a 32-byte hash, found 31"):
        verify_inclusion(leaf[:31], 1, 4, good, tree.root())
    with pytest.raises(ProofError, match=r"proof\[1\]: expected a 32-byte hash, found 33"):
        verify_inclusion(leaf, 1, 4, [good[0], good[1] + b"\x00"], tree.root())
    with pytest.raises(ProofError, match="root: expected a 32-byte hash, found 0"):
        verify_inclusion(leaf, 1, 4, good, b"")
    with pytest.raises(ProofError, match="old root: expected a 32-byte hash"):
        verify_consistency(2, 4, tree.consistency_proof(2), b"", tree.root())
    with pytest.raises(ProofError, match="new root: expected a 32-byte hash"):
        verify_consistency(2, 4, tree.consistency_proof(2), tree.root(2), b"x" * 12)


def test_it_rejects_proofs_of_the_wrong_length() -> None:
    tree = _tree(_leaves(8))
    audit = tree.inclusion_proof(5)
    leaf = leaf_hash(b"leaf 5")
    with pytest.raises(ProofError, match="too few"):
        verify_inclusion(leaf, 5, 8, audit[:-1], tree.root())
    with pytest.raises(ProofError, match="too many"):
        verify_inclusion(leaf, 5, 8, [*audit, audit[0]], tree.root())
    proof = tree.consistency_proof(3)
    with pytest.raises(ProofError, match="too few"):
        verify_consistency(3, 8, proof[:-1], tree.root(3), tree.root())
    with pytest.raises(ProofError, match="too many"):
        verify_consistency(3, 8, [*proof, proof[0]], tree.root(3), tree.root())
    with pytest.raises(ProofError, match="at least one hash"):
        verify_consistency(3, 8, [], tree.root(3), tree.root())


def test_consistency_from_size_zero_or_backwards_is_refused() -> None:
    tree = _tree(_leaves(5))
    with pytest.raises(ProofError, match="expected 0 < old size <= new size, found 0 and 5"):
        verify_consistency(0, 5, [], EMPTY_ROOT, tree.root())
    with pytest.raises(ProofError, match="found 5 and 3"):
        verify_consistency(5, 3, [], tree.root(), tree.root(3))
    with pytest.raises(ProofError, match="meaningless"):
        tree.consistency_proof(0)
    with pytest.raises(ProofError, match="meaningless"):
        consistency_proof(_leaves(5), 6)


def test_equal_sizes_need_equal_roots_and_no_proof() -> None:
    tree = _tree(_leaves(5))
    verify_consistency(5, 5, [], tree.root(), tree.root())
    with pytest.raises(ProofError, match="expected equal roots at equal size 5"):
        verify_consistency(5, 5, [], tree.root(), tree.root(4))
    with pytest.raises(ProofError, match="expected no hashes for equal sizes, found 1"):
        verify_consistency(5, 5, [tree.root()], tree.root(), tree.root())


def test_the_tree_answers_for_earlier_sizes_only() -> None:
    tree = _tree(_leaves(10))
    with pytest.raises(ProofError, match="expected 0 <= size <= 10, found 11"):
        tree.root(11)
    with pytest.raises(ProofError, match="expected 0 <= index < 5, found 5"):
        tree.inclusion_proof(5, 5)
    with pytest.raises(ProofError, match="found -1"):
        tree.inclusion_proof(0, -1)
    with pytest.raises(ProofError, match="expected 0 <= index < 0"):
        inclusion_proof([], 0)


def test_a_leaf_hash_must_be_32_bytes() -> None:
    with pytest.raises(ProofError, match="leaf hash: expected 32 bytes, found 3"):
        Tree().append_hash(b"abc")


def test_append_hash_builds_the_same_tree_as_append() -> None:
    by_data, by_hash = Tree(), Tree()
    for data in _leaves(77):
        by_data.append(data)
        by_hash.append_hash(leaf_hash(data))
    assert by_hash.root() == by_data.root()
    assert by_hash.consistency_proof(33) == by_data.consistency_proof(33)


def test_every_error_is_a_tlog_error() -> None:
    assert issubclass(ProofError, TlogError)
