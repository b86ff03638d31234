"""Real cosigned checkpoints from the public witness network (tests/tlog/data/witnessed/SOURCES.md).

Signed bytes cannot be forged into test data, so each case here is what real logs
and witnesses published: Ed25519 cosignature/v1 from five operators, an ML-DSA-44
cosignature, a log signature of a type Accord does not check, and a quorum met
for one log and not for another.
"""

from pathlib import Path

import pytest

from accord.tlog import SignatureError, note
from accord.tlog.cosignature import CosignatureVerifier, witness_verifier
from accord.tlog.policy import Policy

DATA = Path(__file__).parent / "data" / "witnessed"
POLICY = Policy.parse((DATA / "witness-network.policy").read_text(encoding="utf-8"))


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_a_ct_log_checkpoint_cosigned_by_four_operators_meets_three_of_five() -> None:
    witnessing = POLICY.check(_read("arche2025h1.checkpoint"))
    assert witnessing.checkpoint.size == 1_432_088_532
    assert witnessing.log == "arche2025h1.staging.ct.transparency.dev"
    assert witnessing.witnesses == ["little-garden", "smartit", "remora", "stagemole"]
    assert {c.timestamp for c in witnessing.cosigned} == {1_779_573_024}
    # The log's RFC 6962 (type 0x05) line is under the same name, with another key ID.
    assert [(s.name, f"{s.key_id:08x}") for s in witnessing.unknown] == [
        ("arche2025h1.staging.ct.transparency.dev", "cd333cb1")
    ]
    assert witnessing.met


def test_a_rekor_checkpoint_with_one_cosignature_falls_short_of_the_quorum() -> None:
    witnessing = POLICY.check(_read("rekor-log2025-1.checkpoint"))
    assert (witnessing.log, witnessing.witnesses) == ("log2025-1.rekor.sigstore.dev", ["stagemole"])
    assert witnessing.cosigned[0].timestamp == 1_791_253_884
    assert not witnessing.met
    with pytest.raises(SignatureError, match="quorum 'network' is not met by stagemole"):
        POLICY.verify(_read("rekor-log2025-1.checkpoint"))


def test_a_real_mldsa44_cosignature_verifies_beside_the_same_witness_ed25519_one() -> None:
    mldsa = witness_verifier(_read("navigli-mldsa44.vkey").strip())
    ed25519 = next(w.verifier for w in POLICY.witnesses if w.name == "navigli-ed25519")
    opened = note.open(_read("coachandhorses2026h1.checkpoint"), [ed25519, mldsa])
    assert [(s.key_id, s.timestamp) for s in opened.signatures] == [
        (0xA3E00FE2, 1_785_704_691),
        (0x6BC44249, 1_785_704_691),
    ]
    assert [s.name for s in opened.unverified] == [
        "coachandhorses2026h1.staging.certificate.transparency.goog"
    ]


def test_a_changed_size_breaks_every_real_signature() -> None:
    forged = _read("arche2025h1.checkpoint").replace("1432088532", "1432088533")
    with pytest.raises(SignatureError, match="does not verify"):
        POLICY.check(forged)
    mldsa = witness_verifier(_read("navigli-mldsa44.vkey").strip())
    changed = _read("coachandhorses2026h1.checkpoint").replace("185550722", "185550723")
    with pytest.raises(SignatureError, match="6bc44249"):
        note.open(changed, [mldsa])


def test_a_witness_list_plain_key_checks_the_real_cosignature() -> None:
    # Public witness lists often give Ed25519 witness keys as 0x01 note keys.
    stagemole = next(w for w in POLICY.witnesses if w.name == "stagemole")
    public = note.parse_vkey(stagemole.vkey, 0x04, 32)[2]
    plain = note.format_vkey("witness.stagemole.eu", b"\x01" + public)
    opened = note.open(_read("rekor-log2025-1.checkpoint"), [CosignatureVerifier(plain)])
    assert [s.name for s in opened.signatures] == ["witness.stagemole.eu"]
