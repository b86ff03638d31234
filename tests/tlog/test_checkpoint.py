"""accord.tlog.checkpoint: the text a log signs, parsed strictly and written back exactly."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tlog import FormatError, SignatureError
from accord.tlog.checkpoint import Checkpoint, open_checkpoint
from accord.tlog.merkle import EMPTY_ROOT, root
from tests.tlog.keys import log_keys

ROOT = root([b"a", b"b", b"c"])
ROOT_B64 = base64.b64encode(ROOT).decode()
SIGNER, VERIFIER = log_keys("accord.example/log")


def test_it_parses_and_writes_a_checkpoint() -> None:
    text = f"accord.example/log\n3\n{ROOT_B64}\n"
    checkpoint = Checkpoint.parse(text)
    assert checkpoint == Checkpoint("accord.example/log", 3, ROOT)
    assert checkpoint.text() == text


def test_it_keeps_extension_lines() -> None:
    text = f"go.sum database tree\n9\n{ROOT_B64}\nTimestamp: 1689707054\n"
    checkpoint = Checkpoint.parse(text)
    assert checkpoint.extensions == ("Timestamp: 1689707054",)
    assert checkpoint.text() == text


def test_the_empty_tree_has_size_zero() -> None:
    text = f"accord.example/log\n0\n{base64.b64encode(EMPTY_ROOT).decode()}\n"
    assert Checkpoint.parse(text).size == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"accord.example/log\n3\n{ROOT_B64}", "ending in a newline"),
        ("accord.example/log\n3\n", "at least 3 lines, found 2"),
        (f"\n3\n{ROOT_B64}\n", "origin: expected one non-empty line"),
        (f"accord.example/log\n03\n{ROOT_B64}\n", "no leading zeros"),
        (f"accord.example/log\n-3\n{ROOT_B64}\n", "ASCII decimal"),
        (f"accord.example/log\n+3\n{ROOT_B64}\n", "ASCII decimal"),
        (f"accord.example/log\n\u0663\n{ROOT_B64}\n", "ASCII decimal"),
        (f"accord.example/log\n 3\n{ROOT_B64}\n", "ASCII decimal"),
        (f"accord.example/log\n{2**63}\n{ROOT_B64}\n", "at most 9223372036854775807"),
        (f"accord.example/log\n3\n{ROOT_B64[:-4]}\n", "32-byte hash, found 30"),
        (f"accord.example/log\n3\n{ROOT_B64[:-1]}\n", "base64"),
        ("accord.example/log\n3\nnot base64!\n", "base64"),
        (f"accord.example/log\n3\n{ROOT_B64}\n\nextension\n", "extension line"),
        (f"accord\x01log\n3\n{ROOT_B64}\n", "control character U\\+0001"),
    ],
)
def test_malformed_checkpoints_are_refused(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        Checkpoint.parse(text)


def test_oversized_input_is_refused_unread() -> None:
    with pytest.raises(FormatError, match="checkpoint: expected at most 65536 bytes, found 65537"):
        Checkpoint.parse("x" * 65_537)


def test_the_constructor_refuses_what_could_not_be_written() -> None:
    with pytest.raises(FormatError, match="origin"):
        Checkpoint("two\nlines", 1, ROOT)
    with pytest.raises(FormatError, match="size: expected 0"):
        Checkpoint("o", -1, ROOT)
    with pytest.raises(FormatError, match="root: expected 32 bytes, found 31"):
        Checkpoint("o", 1, ROOT[:31])
    with pytest.raises(FormatError, match="extension line"):
        Checkpoint("o", 1, ROOT, ("",))


def test_open_checkpoint_checks_signature_and_origin() -> None:
    signed = Checkpoint("accord.example/log", 3, ROOT).sign(SIGNER)
    checkpoint, opened = open_checkpoint(signed, [VERIFIER], "accord.example/log")
    assert checkpoint.size == 3
    assert opened.signatures[0].name == "accord.example/log"
    with pytest.raises(FormatError, match="origin: expected 'other.example', found 'accord"):
        open_checkpoint(signed, [VERIFIER], "other.example")
    other_signer, _ = log_keys("other.example")
    with pytest.raises(SignatureError):
        open_checkpoint(Checkpoint("accord.example/log", 3, ROOT).sign(other_signer), [VERIFIER])


LINE = st.text(
    st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), min_size=1, max_size=30
)


@given(
    LINE,
    st.integers(0, 2**63 - 1),
    st.binary(min_size=32, max_size=32),
    st.lists(LINE, max_size=3).map(tuple),
)
def test_parse_of_text_is_the_same_checkpoint(
    origin: str, size: int, root_hash: bytes, extensions: tuple[str, ...]
) -> None:
    checkpoint = Checkpoint(origin, size, root_hash, extensions)
    assert Checkpoint.parse(checkpoint.text()) == checkpoint
