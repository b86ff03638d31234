"""accord.tlog.proof: offline receipts (c2sp.org/tlog-proof) written, read back and checked."""

import base64
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tlog import FormatError, ProofError, SignatureError
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.cosignature import CosignatureVerifier
from accord.tlog.merkle import Tree, leaf_hash
from accord.tlog.proof import Receipt
from tests.tlog.keys import log_keys, witness_key

if TYPE_CHECKING:
    from accord.tlog.note import NoteVerifier

ORIGIN = "accord.example/log"
LOG, LOG_VERIFIER = log_keys(ORIGIN)
WITNESS = witness_key("witness.example/kz")
TREE = Tree()
for i in range(109):
    TREE.append(b"statement %d" % i)
CHECKPOINT = Checkpoint(ORIGIN, TREE.size, TREE.root())
COSIGNED = CHECKPOINT.sign(LOG) + WITNESS.cosign(CHECKPOINT.text(), 1_738_195_200)


def _receipt(index: int, extra: bytes | None = None) -> Receipt:
    return Receipt(index, tuple(TREE.inclusion_proof(index)), COSIGNED, extra)


def test_a_receipt_verifies_offline() -> None:
    receipt = _receipt(73)
    checkpoint = receipt.verify(leaf_hash(b"statement 73"), [LOG_VERIFIER], ORIGIN)
    assert checkpoint == CHECKPOINT


def test_a_receipt_carries_the_witnesses_cosignatures() -> None:
    receipt = Receipt.parse(_receipt(5).format())
    verifiers: list[NoteVerifier] = [LOG_VERIFIER, CosignatureVerifier(WITNESS.vkey)]
    receipt.verify(leaf_hash(b"statement 5"), verifiers, ORIGIN)
    assert receipt.checkpoint.endswith(WITNESS.cosign(CHECKPOINT.text(), 1_738_195_200))


def test_the_format_is_the_spec_layout() -> None:
    text = _receipt(2, extra=b"ESD.DEC/3").format()
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1] == "extra " + base64.b64encode(b"ESD.DEC/3").decode()
    assert lines[2] == "index 2"
    assert lines[3 : 3 + len(TREE.inclusion_proof(2))] == [
        base64.b64encode(h).decode() for h in TREE.inclusion_proof(2)
    ]
    assert text.endswith("\n\n" + COSIGNED)


def test_another_leaf_or_index_does_not_verify() -> None:
    with pytest.raises(ProofError):
        _receipt(73).verify(leaf_hash(b"statement 74"), [LOG_VERIFIER])
    moved = Receipt(74, tuple(TREE.inclusion_proof(73)), COSIGNED)
    with pytest.raises(ProofError):
        moved.verify(leaf_hash(b"statement 73"), [LOG_VERIFIER])


def test_a_receipt_from_another_log_or_key_does_not_verify() -> None:
    with pytest.raises(FormatError, match="origin"):
        _receipt(1).verify(leaf_hash(b"statement 1"), [LOG_VERIFIER], "other.example")
    _, stranger = log_keys("stranger.example")
    with pytest.raises(SignatureError):
        _receipt(1).verify(leaf_hash(b"statement 1"), [stranger])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("c2sp.org/tlog-proof@v1\nindex 1\n", "blank line"),
        ("c2sp.org/tlog-proof@v2\nindex 1\n\n" + COSIGNED, "expected 'c2sp.org/tlog-proof@v1'"),
        ("c2sp.org/tlog-proof@v1\n\n" + COSIGNED, "index"),
        ("c2sp.org/tlog-proof@v1\nextra AAAA\n\n" + COSIGNED, "index"),
        ("c2sp.org/tlog-proof@v1\nindex 01\n\n" + COSIGNED, "leading zeros"),
        ("c2sp.org/tlog-proof@v1\nextra !!\nindex 1\n\n" + COSIGNED, "extra"),
        ("c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\n" + COSIGNED, "32-byte hash, found 3"),
        ("c2sp.org/tlog-proof@v1\nindex 1\n\nno signatures\n", "blank line before the signatures"),
    ],
)
def test_malformed_receipts_are_refused(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        Receipt.parse(text)


def test_an_oversized_receipt_is_refused_unread() -> None:
    with pytest.raises(FormatError, match="receipt: expected at most"):
        Receipt.parse("c2sp.org/tlog-proof@v1\n" + "A" * 2**21)


def test_a_receipt_holds_at_most_63_hashes_and_no_empty_extra() -> None:
    with pytest.raises(FormatError, match="at most 63 hashes, found 64"):
        Receipt(0, (b"h" * 32,) * 64, COSIGNED)
    with pytest.raises(FormatError, match="non-empty"):
        Receipt(0, (), COSIGNED, b"")


@given(
    st.integers(0, 108),
    st.one_of(st.none(), st.binary(min_size=1, max_size=40)),
)
def test_parse_of_format_is_the_same_receipt(index: int, extra: bytes | None) -> None:
    receipt = _receipt(index, extra)
    assert Receipt.parse(receipt.format()) == receipt
