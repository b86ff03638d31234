"""accord.tlog.cosignature: witness cosignatures (cosignature/v1) made and checked."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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


def test_a_note_key_is_not_a_witness_key() -> None:
    with pytest.raises(FormatError, match="type 0x04"):
        cosignature.CosignatureVerifier(LOG_VERIFIER.vkey)
    with pytest.raises(FormatError, match="type 0x01"):
        note.Verifier(WITNESS.vkey)
