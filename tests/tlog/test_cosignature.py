"""accord.tlog.cosignature: witness cosignatures (Ed25519 and ML-DSA-44) made and checked."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PublicKey

from accord.tlog import FormatError, SignatureError, cosignature, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.merkle import root
from tests.tlog.keys import log_keys, skey, witness_key

LOG, LOG_VERIFIER = log_keys("accord.example/log")
WITNESS = witness_key("witness.example/by")
CHECKPOINT = Checkpoint("accord.example/log", 2, root([b"a", b"b"]))
SIGNED = CHECKPOINT.sign(LOG)


def test_a_cosigned_checkpoint_opens_with_its_timestamp() -> None:
    cosigned = SIGNED + WITNESS.cosign(CHECKPOINT.text(), 1_738_195_200)
    verifier = cosignature.CosignatureVerifier(WITNESS.vkey)
    opened = note.open(cosigned, [LOG_VERIFIER, verifier])
    assert [(s.name, s.timestamp) for s in opened.signatures] == [
        ("accord.example/log", None),
        ("witness.example/by", 1_738_195_200),
    ]


def test_the_cosignature_line_is_key_id_time_and_signature() -> None:
    line = WITNESS.cosign(CHECKPOINT.text(), 7)
    assert line.startswith("— witness.example/by ")
    assert line.endswith("\n")
    raw = base64.b64decode(line.split(" ")[2])
    assert len(raw) == 4 + 8 + 64
    assert int.from_bytes(raw[:4], "big") == WITNESS.key_id
    assert int.from_bytes(raw[4:12], "big") == 7


def test_the_witness_key_id_uses_type_0x04() -> None:
    signer = note.Signer(skey("witness.example/by"))
    assert WITNESS.key_id != signer.key_id
    public = base64.b64decode(WITNESS.vkey.split("+", 2)[2])
    assert public[0] == cosignature.COSIGNATURE_V1
    assert WITNESS.key_id == note.key_id("witness.example/by", public)


def test_generated_witness_keys_work() -> None:
    skey_text, vkey = cosignature.generate_key("witness.example/kz")
    assert skey_text.startswith("PRIVATE+KEY+witness.example/kz+")
    cosigner = cosignature.Cosigner(skey_text)
    assert cosigner.vkey == vkey
    verifier = cosignature.CosignatureVerifier(vkey)
    cosigned = SIGNED + cosigner.cosign(CHECKPOINT.text(), 1)
    assert note.open(cosigned, [verifier]).signatures[0].timestamp == 1


def test_a_cosignature_over_another_checkpoint_does_not_verify() -> None:
    other = Checkpoint("accord.example/log", 3, root([b"a", b"b", b"c"]))
    cosigned = SIGNED + WITNESS.cosign(other.text(), 1)
    with pytest.raises(SignatureError, match="witness.example/by .* does not verify"):
        note.open(cosigned, [cosignature.CosignatureVerifier(WITNESS.vkey)])


def test_a_changed_timestamp_does_not_verify() -> None:
    line = WITNESS.cosign(CHECKPOINT.text(), 5)
    prefix, encoded = line.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(encoded))
    raw[11] = 6
    forged = f"{prefix} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(SignatureError):
        note.open(SIGNED + forged, [cosignature.CosignatureVerifier(WITNESS.vkey)])


def test_a_timestamp_beyond_2_63_does_not_verify_even_when_signed() -> None:
    seed = hashlib.sha256(b"witness.example/by").digest()
    private = Ed25519PrivateKey.from_private_bytes(seed)
    timestamp = 2**63
    message = b"cosignature/v1\ntime %d\n" % timestamp + CHECKPOINT.text().encode()
    raw = WITNESS.key_id.to_bytes(4, "big") + timestamp.to_bytes(8, "big") + private.sign(message)
    line = f"— witness.example/by {base64.b64encode(raw).decode()}\n"
    with pytest.raises(SignatureError):
        note.open(SIGNED + line, [cosignature.CosignatureVerifier(WITNESS.vkey)])


def test_a_cosignature_of_the_wrong_length_does_not_verify() -> None:
    raw = WITNESS.key_id.to_bytes(4, "big") + b"\x00" * 60
    line = f"— witness.example/by {base64.b64encode(raw).decode()}\n"
    with pytest.raises(SignatureError):
        note.open(SIGNED + line, [cosignature.CosignatureVerifier(WITNESS.vkey)])


def test_the_cosigner_refuses_bad_input() -> None:
    with pytest.raises(FormatError, match="timestamp: expected 0..9223372036854775807"):
        WITNESS.cosign(CHECKPOINT.text(), -1)
    with pytest.raises(FormatError, match="timestamp"):
        WITNESS.cosign(CHECKPOINT.text(), 2**63)
    with pytest.raises(FormatError, match="checkpoint"):
        WITNESS.cosign("not a checkpoint\n", 1)


def test_a_plain_note_key_is_converted_to_its_cosignature_form() -> None:
    plain = note.Signer(skey("witness.example/by")).vkey
    verifier = cosignature.CosignatureVerifier(plain)
    assert verifier.vkey == WITNESS.vkey
    assert verifier.key_id == WITNESS.key_id
    cosigned = SIGNED + WITNESS.cosign(CHECKPOINT.text(), 9)
    assert note.open(cosigned, [verifier]).signatures[0].timestamp == 9
    assert cosignature.cosignature_vkey(WITNESS.vkey) == WITNESS.vkey


def test_a_witness_key_cannot_open_a_log_signature() -> None:
    with pytest.raises(FormatError, match="type 0x01"):
        note.Verifier(WITNESS.vkey)
    with pytest.raises(SignatureError, match="expected a signature from a known key"):
        note.open(SIGNED, [cosignature.CosignatureVerifier(LOG_VERIFIER.vkey)])


@pytest.mark.parametrize(
    ("vkey", "kind"),
    [
        (WITNESS.vkey, cosignature.COSIGNATURE_V1),
        (LOG_VERIFIER.vkey, note.ED25519),
        ("name+00000000", -1),
        ("name+00000000+not base64!", -1),
        ("name+00000000+", -1),
    ],
)
def test_the_key_type_is_read_from_the_key_bytes(vkey: str, kind: int) -> None:
    assert cosignature.key_type(vkey) == kind


def test_a_key_of_another_type_is_not_a_witness_key() -> None:
    ecdsa = note.format_vkey("rekor.example", b"\x02" + b"\x01" * 32)
    with pytest.raises(FormatError, match="type 0x04"):
        cosignature.witness_verifier(ecdsa)


# -- ML-DSA-44 (type 0x06) ------------------------------------------------------------------

MLDSA_SKEY = cosignature.format_mldsa_skey("witness.example/kz", hashlib.sha256(b"kz").digest())
MLDSA = cosignature.MLDSACosigner(MLDSA_SKEY)


def test_an_mldsa_cosignature_verifies_with_its_timestamp() -> None:
    verifier = cosignature.witness_verifier(MLDSA.vkey)
    assert isinstance(verifier, cosignature.MLDSACosignatureVerifier)
    cosigned = SIGNED + MLDSA.cosign(CHECKPOINT.text(), 1_738_195_200)
    opened = note.open(cosigned, [LOG_VERIFIER, verifier])
    assert [(s.name, s.timestamp) for s in opened.signatures] == [
        ("accord.example/log", None),
        ("witness.example/kz", 1_738_195_200),
    ]
    assert len(opened.signatures[1].signature) == 8 + cosignature.MLDSA44_SIGNATURE_SIZE


def test_the_mldsa_key_is_type_0x06_with_a_1312_byte_key() -> None:
    public = base64.b64decode(MLDSA.vkey.split("+", 2)[2])
    assert public[0] == cosignature.MLDSA44
    assert len(public) == 1 + cosignature.MLDSA44_PUBLIC_KEY_SIZE
    assert MLDSA.key_id == note.key_id("witness.example/kz", public)
    assert cosignature.cosignature_vkey(MLDSA.vkey) == MLDSA.vkey


def test_an_mldsa_cosignature_signs_the_subtree_message_not_the_text() -> None:
    line = MLDSA.cosign(CHECKPOINT.text(), 5)
    raw = base64.b64decode(line.split(" ")[2])
    message = cosignature.subtree_message(
        "witness.example/kz", 5, CHECKPOINT.origin, start=0, end=2, root=CHECKPOINT.root
    )
    assert message.startswith(b"subtree/v1\n\x00\x12witness.example/kz")
    public = base64.b64decode(MLDSA.vkey.split("+", 2)[2])[1:]
    MLDSA44PublicKey.from_public_bytes(public).verify(raw[12:], message)


def test_an_mldsa_cosignature_ignores_extension_lines_as_the_spec_says() -> None:
    extended = Checkpoint(CHECKPOINT.origin, CHECKPOINT.size, CHECKPOINT.root, ("extra",))
    line = MLDSA.cosign(CHECKPOINT.text(), 5)
    verifier = cosignature.MLDSACosignatureVerifier(MLDSA.vkey)
    assert note.open(extended.sign(LOG) + line, [verifier]).signatures


def test_an_mldsa_cosignature_over_another_tree_or_time_does_not_verify() -> None:
    verifier = cosignature.MLDSACosignatureVerifier(MLDSA.vkey)
    other = Checkpoint("accord.example/log", 3, root([b"a", b"b", b"c"]))
    with pytest.raises(SignatureError, match="does not verify"):
        note.open(SIGNED + MLDSA.cosign(other.text(), 1), [verifier])
    raw = bytearray(base64.b64decode(MLDSA.cosign(CHECKPOINT.text(), 5).split(" ")[2]))
    raw[11] = 6
    forged = f"— witness.example/kz {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(SignatureError):
        note.open(SIGNED + forged, [verifier])


@pytest.mark.parametrize(
    "signature",
    [
        b"\x00" * 64,
        (2**63).to_bytes(8, "big") + b"\x00" * cosignature.MLDSA44_SIGNATURE_SIZE,
    ],
    ids=["wrong length", "time beyond 2^63"],
)
def test_a_malformed_mldsa_signature_does_not_verify(signature: bytes) -> None:
    verifier = cosignature.MLDSACosignatureVerifier(MLDSA.vkey)
    assert not verifier.verify(CHECKPOINT.text().encode(), signature)


def test_an_mldsa_cosignature_of_what_is_not_a_checkpoint_does_not_verify() -> None:
    verifier = cosignature.MLDSACosignatureVerifier(MLDSA.vkey)
    signature = base64.b64decode(MLDSA.cosign(CHECKPOINT.text(), 5).split(" ")[2])[4:]
    assert verifier.verify(CHECKPOINT.text().encode(), signature)
    assert not verifier.verify(b"not a checkpoint\n", signature)
    assert not verifier.verify(b"\xff\n", signature)


def test_an_mldsa_subtree_cosignature_round_trips_and_binds_its_range() -> None:
    verifier = cosignature.MLDSACosignatureVerifier(MLDSA.vkey)
    line = MLDSA.cosign_subtree("accord.example/log", 8, 13, CHECKPOINT.root)
    assert verifier.verify_subtree("accord.example/log", 8, 13, CHECKPOINT.root, line)
    assert not verifier.verify_subtree("accord.example/log", 8, 14, CHECKPOINT.root, line)
    stranger = cosignature.MLDSACosigner(
        cosignature.format_mldsa_skey("witness.example/by", b"\x01" * 32)
    )
    other_line = stranger.cosign_subtree("accord.example/log", 8, 13, CHECKPOINT.root)
    assert not verifier.verify_subtree("accord.example/log", 8, 13, CHECKPOINT.root, other_line)
    with pytest.raises(FormatError, match="one line"):
        verifier.verify_subtree("accord.example/log", 8, 13, CHECKPOINT.root, line + line)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("", 0, "o", 0, 1, b"\x00" * 32), "cosigner name: expected 1..255 bytes, found 0"),
        (("w", 0, "o" * 256, 0, 1, b"\x00" * 32), "log origin: expected 1..255 bytes, found 256"),
        (("w", 0, "o", 0, 1, b"\x00" * 31), "subtree root: expected 32 bytes"),
        (("w", 0, "o", 2, 1, b"\x00" * 32), "start <= end"),
        (("w", -1, "o", 0, 1, b"\x00" * 32), "timestamp"),
        (("w", 7, "o", 1, 2, b"\x00" * 32), "starting at 1 must have timestamp 0"),
    ],
)
def test_the_subtree_message_refuses_what_the_spec_forbids(
    arguments: tuple[str, int, str, int, int, bytes], message: str
) -> None:
    name, timestamp, origin, start, end, tree_root = arguments
    with pytest.raises(FormatError, match=message):
        cosignature.subtree_message(name, timestamp, origin, start=start, end=end, root=tree_root)


def test_a_checkpoint_whose_origin_is_too_long_gets_no_mldsa_cosignature() -> None:
    long = Checkpoint("o" * 256, 2, CHECKPOINT.root)
    with pytest.raises(FormatError, match="log origin"):
        MLDSA.cosign(long.text(), 1)
    signature = base64.b64decode(MLDSA.cosign(CHECKPOINT.text(), 5).split(" ")[2])[4:]
    verifier = cosignature.MLDSACosignatureVerifier(MLDSA.vkey)
    assert not verifier.verify(long.text().encode(), signature)


def test_generated_mldsa_keys_work() -> None:
    skey_text, vkey = cosignature.generate_mldsa_key("witness.example/hu")
    assert skey_text.startswith("PRIVATE+KEY+witness.example/hu+")
    cosigner = cosignature.MLDSACosigner(skey_text)
    assert cosigner.vkey == vkey
    cosigned = SIGNED + cosigner.cosign(CHECKPOINT.text(), 3)
    opened = note.open(cosigned, [cosignature.MLDSACosignatureVerifier(vkey)])
    assert opened.signatures[0].timestamp == 3


@pytest.mark.parametrize(
    ("skey_text", "message"),
    [
        ("PRIVATE+KEY+name", "expected PRIVATE\\+KEY"),
        (skey("witness.example/by"), "expected type 0x06"),
        (MLDSA_SKEY.replace(f"+{MLDSA.key_id:08x}+", "+00000000+"), "key ID 00000000"),
    ],
)
def test_a_bad_mldsa_signer_key_is_refused(skey_text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        cosignature.MLDSACosigner(skey_text)


def test_an_mldsa_seed_must_be_32_bytes() -> None:
    with pytest.raises(FormatError, match="seed: expected 32 bytes, found 3"):
        cosignature.format_mldsa_skey("w", b"abc")
