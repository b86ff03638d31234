"""accord.tlog.note: keys, signing and opening notes, and every way a note can be wrong."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tlog import FormatError, NoteError, SignatureError, TlogError, note
from tests.tlog.keys import log_keys, skey

# The example of c2sp.org/signed-note (C2SP/C2SP signed-note.md, CC BY 4.0).
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n"
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ER"
    "YNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

SIGNER, VERIFIER = log_keys("accord.example/log")
OTHER_SIGNER, OTHER_VERIFIER = log_keys("minsk.example/witness")


def test_it_opens_the_spec_example() -> None:
    opened = note.open(SPEC_NOTE, [note.Verifier(SPEC_VKEY)])
    assert opened.text == "This is an example message.\n"
    assert [(s.name, s.key_id) for s in opened.signatures] == [("example.com/foo", 0x530D903A)]
    assert opened.signatures[0].timestamp is None
    assert opened.unverified == ()


def test_it_opens_the_spec_example_as_bytes() -> None:
    assert note.open(SPEC_NOTE.encode(), [note.Verifier(SPEC_VKEY)]).text.startswith("This")


def test_generated_keys_sign_and_verify() -> None:
    skey_text, vkey = note.generate_key("accord.example/log")
    assert skey_text.startswith("PRIVATE+KEY+accord.example/log+")
    signer = note.Signer(skey_text)
    assert signer.vkey == vkey
    verifier = note.Verifier(vkey)
    assert (verifier.name, verifier.key_id) == (signer.name, signer.key_id)
    opened = note.open(note.sign("hello\n", signer), [verifier])
    assert opened.signatures[0].name == "accord.example/log"


def test_signing_is_deterministic() -> None:
    assert note.sign("same text\n", SIGNER) == note.sign("same text\n", SIGNER)


def test_it_keeps_signatures_from_unknown_keys_apart() -> None:
    signed = note.sign("text\n", SIGNER, OTHER_SIGNER)
    opened = note.open(signed, [VERIFIER])
    assert [s.name for s in opened.signatures] == ["accord.example/log"]
    assert [s.name for s in opened.unverified] == ["minsk.example/witness"]


def test_a_signature_counts_only_when_name_and_key_id_both_match() -> None:
    # Same key ID but another name: a different key as far as the note is concerned.
    impostor = note.Signer(skey("accord.example/other", label="accord.example/log"))
    signed = note.sign("text\n", impostor)
    with pytest.raises(SignatureError, match=r"expected a signature from a known key \(accord"):
        note.open(signed, [VERIFIER])


def test_a_failing_known_signature_rejects_the_whole_note() -> None:
    signed = note.sign("text\n", SIGNER, OTHER_SIGNER)
    tampered = signed.replace("text\n", "test\n", 1)
    with pytest.raises(SignatureError, match="signature of accord.example/log .* does not verify"):
        note.open(tampered, [VERIFIER, OTHER_VERIFIER])


def test_no_known_key_means_no_note() -> None:
    with pytest.raises(SignatureError, match="none given"):
        note.open(note.sign("text\n", SIGNER), [])


def test_a_hundred_signatures_are_accepted_and_a_hundred_and_one_are_not() -> None:
    signers = [note.Signer(skey(f"witness{i}.example")) for i in range(101)]
    verifiers = [note.Verifier(s.vkey) for s in signers]
    opened = note.open(note.sign("checkpoint\n", *signers[:100]), verifiers)
    assert len(opened.signatures) == 100
    with pytest.raises(NoteError, match="at most 100 signatures, found 101"):
        note.open(note.sign("checkpoint\n", *signers), verifiers)


def test_two_lines_from_one_key_are_refused() -> None:
    signed = note.sign("text\n", SIGNER)
    line = signed.split("\n\n")[1]
    with pytest.raises(NoteError, match="two signature lines from accord.example/log"):
        note.open(signed + line, [VERIFIER])
    with pytest.raises(NoteError, match="two signature lines"):
        note.open(signed + line, [OTHER_VERIFIER])


def test_signing_with_one_key_twice_or_with_none_is_refused() -> None:
    with pytest.raises(NoteError, match="given twice"):
        note.sign("text\n", SIGNER, SIGNER)
    with pytest.raises(NoteError, match="at least one signer"):
        note.sign("text\n")


def test_a_signature_of_the_wrong_length_does_not_verify() -> None:
    signed = note.sign("text\n", SIGNER)
    line = signed.split("\n\n")[1]
    raw = base64.b64decode(line.split(" ")[2])
    short = (
        line.split(" ")[0] + " " + line.split(" ")[1] + " " + base64.b64encode(raw[:-1]).decode()
    )
    with pytest.raises(SignatureError, match="does not verify"):
        note.open("text\n\n" + short + "\n", [VERIFIER])


def test_two_verifiers_for_one_key_are_a_configuration_error() -> None:
    with pytest.raises(TlogError, match="two keys named accord.example/log"):
        note.open(note.sign("text\n", SIGNER), [VERIFIER, VERIFIER])


GOOD = note.sign("line one\nline two\n", SIGNER)
SIGNATURE_B64 = GOOD.rsplit(" ", 1)[1].rstrip("\n")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (GOOD[:-1], "ending in a newline"),
        ("line one\n— accord.example/log " + SIGNATURE_B64 + "\n", "blank line before"),
        ("line one\nline two\n\n", "at least one signature line"),
        (GOOD.replace("line one", "line\x07one"), "control character U\\+0007"),
        (GOOD.replace("line one", "line\rone"), "control character U\\+000D"),
        (GOOD.replace("line one", "line\ud800one"), "valid UTF-8"),
        (GOOD.replace("— ", "- "), "expected '— name signature'"),
        (GOOD.replace("— ", "—"), "expected '— name signature'"),
        (GOOD.replace("accord.example/log ", "accord.example/log  "), "base64"),
        (GOOD.replace(SIGNATURE_B64, SIGNATURE_B64[:-3]), "base64"),
        (GOOD.replace(SIGNATURE_B64, SIGNATURE_B64.rstrip("=")), "base64"),
        (GOOD.replace(SIGNATURE_B64, "!" + SIGNATURE_B64[1:]), "base64"),
        (GOOD.replace(SIGNATURE_B64, "QUJDRA=="), "expected a key ID and a signature, found 4"),
        (GOOD.replace("accord.example/log ", "accord+example "), "without spaces or '\\+'"),
        (GOOD.replace("accord.example/log ", " "), "non-empty name"),
        (GOOD.replace(SIGNATURE_B64, "QUJDREV="), "canonical base64"),
        ("x" * (note.MAX_NOTE_BYTES + 1), "at most 1048576 bytes"),
    ],
)
def test_malformed_notes_are_refused_with_a_reason(bad: str, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        note.open(bad, [VERIFIER])


def test_invalid_utf8_bytes_are_refused() -> None:
    with pytest.raises(NoteError, match="expected UTF-8, found an invalid byte at 4"):
        note.open(b"line\xff\n\n", [VERIFIER])


def test_sign_refuses_text_it_could_not_open_again() -> None:
    with pytest.raises(NoteError, match="ending in a newline"):
        note.sign("no newline", SIGNER)
    with pytest.raises(NoteError, match="control character"):
        note.sign("tab\there\n", SIGNER)


def test_split_reads_a_note_without_verifying_it() -> None:
    text, signatures = note.split(note.sign("text\n", SIGNER, OTHER_SIGNER))
    assert text == "text\n"
    assert [s.name for s in signatures] == ["accord.example/log", "minsk.example/witness"]


# Keys.

VKEY_PARTS = VERIFIER.vkey.split("+", 2)


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("no-plus-signs", "expected name\\+keyid\\+key"),
        ("name+abcd", "expected name\\+keyid\\+key"),
        (f"+{VKEY_PARTS[1]}+{VKEY_PARTS[2]}", "non-empty name"),
        (f"a b+{VKEY_PARTS[1]}+{VKEY_PARTS[2]}", "without spaces"),
        (f"{VKEY_PARTS[0]}+{VKEY_PARTS[1].upper()}+{VKEY_PARTS[2]}", "lower-case hex"),
        (f"{VKEY_PARTS[0]}+1234567+{VKEY_PARTS[2]}", "8-digit"),
        (f"{VKEY_PARTS[0]}+00000000+{VKEY_PARTS[2]}", "does not match the key"),
        (f"{VKEY_PARTS[0]}+{VKEY_PARTS[1]}+{VKEY_PARTS[2][:-4]}", "base64|32-byte key"),
        (
            f"{VKEY_PARTS[0]}+{VKEY_PARTS[1]}+" + base64.b64encode(b"\x04" + b"k" * 32).decode(),
            "type 0x01",
        ),
        (f"{VKEY_PARTS[0]}+{VKEY_PARTS[1]}+", "type 0x01 and a 32-byte key, found type 0x\\?\\?"),
    ],
)
def test_malformed_verifier_keys_are_refused(vkey: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        note.Verifier(vkey)


SKEY_PARTS = skey("accord.example/log").split("+", 4)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("PRIVATE+KEY+name+1234", "PRIVATE\\+KEY\\+name\\+keyid\\+key"),
        ("+".join(["PUBLIC", *SKEY_PARTS[1:]]), "PRIVATE\\+KEY"),
        ("+".join([*SKEY_PARTS[:3], "00000000", SKEY_PARTS[4]]), "does not match"),
        (
            "+".join([*SKEY_PARTS[:4], base64.b64encode(b"\x01" + b"s" * 31).decode()]),
            "32-byte Ed25519 seed, found 32 bytes of type 0x01",
        ),
        ("+".join([*SKEY_PARTS[:4], base64.b64encode(b"\x04" + b"s" * 32).decode()]), "type 0x04"),
        ("+".join([*SKEY_PARTS[:4], ""]), "type 0x\\?\\?"),
    ],
)
def test_malformed_signer_keys_are_refused(bad: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        note.Signer(bad)


def test_a_seed_must_be_32_bytes() -> None:
    with pytest.raises(FormatError, match="seed: expected 32 bytes, found 3"):
        note.format_skey("name", b"abc")


def test_key_names_follow_the_spec() -> None:
    for bad in ["", "a b", "a+b", "tab\tname", "no\u00a0break"]:
        with pytest.raises(FormatError):
            note.check_name(bad)
    note.check_name("sum.golang.org")


# Round trips.

TEXT = st.lists(
    st.text(st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), min_size=1),
    min_size=1,
    max_size=5,
).map(lambda lines: "".join(line + "\n" for line in lines))


@given(TEXT, st.integers(1, 4))
def test_open_returns_what_sign_wrote(text: str, count: int) -> None:
    signers = [note.Signer(skey(f"signer{i}.example")) for i in range(count)]
    signed = note.sign(text, *signers)
    opened = note.open(signed, [note.Verifier(s.vkey) for s in signers])
    assert opened.text == text
    assert text + "\n" + "".join(s.line() for s in opened.signatures) == signed
