"""accord.tlog.policy: trust policies (c2sp.org/tlog-policy) and quorums of states."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.tlog import FormatError, SignatureError, cosignature, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.merkle import root
from accord.tlog.policy import Policy
from tests.tlog.keys import log_keys, skey, witness_key

ORIGIN = "accord.example/log"
LOG, LOG_VERIFIER = log_keys(ORIGIN)
W = {name: witness_key(f"witness.example/{name}") for name in ["X1", "X2", "X3", "Y1", "Y2", "Y3"]}
V = {name: cosigner.vkey for name, cosigner in W.items()}

# The example of c2sp.org/tlog-policy (C2SP/C2SP tlog-policy.md, CC BY 4.0), with real keys.
SPEC_POLICY = f"""log {LOG_VERIFIER.vkey}

witness X1 {V["X1"]}
witness X2 {V["X2"]}
witness X3 {V["X3"]}
group X-witnesses 2 X1 X2 X3

witness Y1 {V["Y1"]}
witness Y2 {V["Y2"]}
witness Y3 {V["Y3"]}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
"""

CHECKPOINT = Checkpoint(ORIGIN, 3, root([b"a", b"b", b"c"]))


def _cosigned(*names: str) -> str:
    return CHECKPOINT.sign(LOG) + "".join(W[n].cosign(CHECKPOINT.text(), 1) for n in names)


def test_it_parses_the_spec_example() -> None:
    policy = Policy.parse(SPEC_POLICY)
    assert [w.name for w in policy.witnesses] == ["X1", "X2", "X3", "Y1", "Y2", "Y3"]
    assert [(g.name, g.threshold) for g in policy.groups] == [
        ("X-witnesses", 2),
        ("Y-witnesses", 1),
        ("X-and-Y", 2),
    ]
    assert policy.quorum == "X-and-Y"


@pytest.mark.parametrize(
    ("witnesses", "met"),
    [
        ({"X1", "X2", "Y3"}, True),
        ({"X1", "X3", "Y1", "Y2"}, True),
        ({"X1", "Y1", "Y2", "Y3"}, False),
        ({"X1", "X2", "X3"}, False),
        (set(), False),
    ],
)
def test_the_spec_quorum(witnesses: set[str], met: bool) -> None:
    assert Policy.parse(SPEC_POLICY).witnessed(witnesses) is met


def test_a_cosigned_checkpoint_meeting_the_quorum_verifies() -> None:
    checkpoint, names = Policy.parse(SPEC_POLICY).verify(_cosigned("X1", "X3", "Y2"))
    assert checkpoint == CHECKPOINT
    assert names == ["X1", "X3", "Y2"]


def test_a_checkpoint_short_of_the_quorum_is_refused() -> None:
    with pytest.raises(SignatureError, match="quorum 'X-and-Y' is not met by X1, Y2"):
        Policy.parse(SPEC_POLICY).verify(_cosigned("X1", "Y2"))


def test_cosignatures_without_the_log_signature_are_refused() -> None:
    stranger, _ = log_keys("stranger.example")
    forged = note_with_witnesses_only()
    with pytest.raises(SignatureError, match="signed by no accepted log .*only witnesses"):
        Policy.parse(SPEC_POLICY).verify(forged)
    with pytest.raises(SignatureError, match="expected a signature from a known key"):
        Policy.parse(SPEC_POLICY).verify(
            Checkpoint("other.example", 1, CHECKPOINT.root).sign(stranger)
        )


def test_a_log_whose_key_name_is_not_its_origin_is_accepted() -> None:
    # As sum.golang.org signs "go.sum database tree": the origin comes from the checkpoint.
    sumdb, sumdb_verifier = log_keys("sum.golang.org")
    tree = Checkpoint("go.sum database tree", 3, CHECKPOINT.root)
    cosigned = tree.sign(sumdb) + W["X1"].cosign(tree.text(), 1)
    policy = Policy.parse(f"log {sumdb_verifier.vkey}\nwitness X1 {V['X1']}\nquorum X1\n")
    checkpoint, names = policy.verify(cosigned)
    assert (checkpoint.origin, names) == ("go.sum database tree", ["X1"])
    assert policy.check(cosigned).log == "sum.golang.org"


def test_check_reports_who_cosigned_and_what_is_unknown_without_raising() -> None:
    stranger = witness_key("witness.example/stranger")
    cosigned = _cosigned("X1", "Y2") + stranger.cosign(CHECKPOINT.text(), 2)
    witnessing = Policy.parse(SPEC_POLICY).check(cosigned)
    assert witnessing.met is False
    assert witnessing.quorum == "X-and-Y"
    assert witnessing.witnesses == ["X1", "Y2"]
    assert [(c.key_name, c.timestamp, c.algorithm) for c in witnessing.cosigned] == [
        ("witness.example/X1", 1, "Ed25519"),
        ("witness.example/Y2", 1, "Ed25519"),
    ]
    assert [(s.name, s.key_id) for s in witnessing.unknown] == [
        ("witness.example/stranger", stranger.key_id)
    ]
    assert Policy.parse(SPEC_POLICY).check(_cosigned("X1", "X2", "Y2")).met is True


def test_check_takes_the_log_key_beside_the_policy() -> None:
    policy = Policy.parse(f"witness X1 {V['X1']}\nquorum X1\n")
    with pytest.raises(SignatureError, match="no log key is given"):
        policy.check(_cosigned("X1"))
    witnessing = policy.check(_cosigned("X1"), [LOG_VERIFIER.vkey])
    assert (witnessing.log, witnessing.met) == (ORIGIN, True)


def test_a_failing_witness_signature_rejects_the_whole_checkpoint() -> None:
    line = W["X1"].cosign(Checkpoint(ORIGIN, 9, CHECKPOINT.root).text(), 1)
    with pytest.raises(SignatureError, match="witness.example/X1 .* does not verify"):
        Policy.parse(SPEC_POLICY).check(CHECKPOINT.sign(LOG) + line)


def test_an_mldsa_witness_counts_toward_the_quorum() -> None:
    skey_text = cosignature.format_mldsa_skey("witness.example/HU", b"\x07" * 32)
    cosigner = cosignature.MLDSACosigner(skey_text)
    text = f"log {LOG_VERIFIER.vkey}\nwitness HU {cosigner.vkey}\nwitness BY {V['X1']}\n"
    policy = Policy.parse(text + "group states all HU BY\nquorum states\n")
    cosigned = _cosigned("X1") + cosigner.cosign(CHECKPOINT.text(), 4)
    witnessing = policy.check(cosigned)
    assert witnessing.met
    assert [(c.witness, c.algorithm, c.timestamp) for c in witnessing.cosigned] == [
        ("BY", "Ed25519", 1),
        ("HU", "ML-DSA-44", 4),
    ]
    with pytest.raises(FormatError, match="repeats a key"):
        Policy.parse(f"witness A {cosigner.vkey}\nwitness B {cosigner.vkey}\nquorum none\n")


def test_a_plain_witness_key_is_refused_unless_asked_for_and_then_converted() -> None:
    plain = note.Signer(skey("witness.example/X1")).vkey
    text = f"log {LOG_VERIFIER.vkey}\nwitness X1 {plain}\nquorum X1\n"
    with pytest.raises(FormatError, match="line 2: .*plain Ed25519 note key"):
        Policy.parse(text)
    policy = Policy.parse(text, plain_witness_keys=True)
    assert policy.witnesses[0].vkey == V["X1"]
    assert policy.verify(_cosigned("X1"))[1] == ["X1"]
    assert Policy.parse(policy.format()) == policy
    with pytest.raises(FormatError, match="repeats a key"):
        Policy.parse(
            f"witness A {plain}\nwitness B {V['X1']}\nquorum none\n", plain_witness_keys=True
        )


def note_with_witnesses_only() -> str:
    lines = "".join(W[n].cosign(CHECKPOINT.text(), 1) for n in ["X1", "X2", "Y1"])
    return CHECKPOINT.text() + "\n" + lines


def test_quorum_none_needs_only_the_log() -> None:
    policy = Policy.parse(f"log {LOG_VERIFIER.vkey} https://accord.example/log\nquorum none\n")
    assert policy.logs[0].url == "https://accord.example/log"
    checkpoint, names = policy.verify(CHECKPOINT.sign(LOG))
    assert (checkpoint.size, names) == (3, [])


def test_a_quorum_of_states_each_with_its_own_witness() -> None:
    text = (
        f"log {LOG_VERIFIER.vkey}\n"
        "# one witness per participating state\n"
        f"witness BY {V['X1']}\nwitness RU {V['X2']}\nwitness HU {V['X3']}\n"
        f"\twitness KZ   {V['Y1']} https://witness.kz.example\n"
        "group states 3 BY RU HU KZ\nquorum states\n"
    )
    policy = Policy.parse(text)
    assert policy.verify(_cosigned("X1", "X3", "Y1"))[1] == ["BY", "HU", "KZ"]
    with pytest.raises(SignatureError):
        policy.verify(_cosigned("X1", "Y1"))


def test_a_single_witness_can_be_the_quorum() -> None:
    policy = Policy.parse(f"witness only {V['X1']}\nquorum only\n")
    assert policy.witnessed(["only"])
    assert not policy.witnessed(["other"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a quorum line"),
        ("quorum none\nquorum none\n", "line 2: .*exactly one quorum line"),
        ("quorum X1\n", "line 1: quorum 'X1' is not defined"),
        (f"group g any X1\nwitness X1 {V['X1']}\nquorum g\n", "line 1: group member 'X1'"),
        (
            f"witness X1 {V['X1']}\nwitness X1 {V['X2']}\nquorum X1\n",
            "line 2: 'X1' is defined twice",
        ),
        (f"witness none {V['X1']}\nquorum none\n", "reserved"),
        (f"witness X1 {V['X1']}\nwitness X2 {V['X1']}\nquorum none\n", "repeats a key"),
        (f"log {LOG_VERIFIER.vkey}\nlog {LOG_VERIFIER.vkey}\nquorum none\n", "repeats a key"),
        (
            f"witness X1 {V['X1']}\ngroup a any X1\ngroup b any X1\nquorum b\n",
            "line 3: 'X1' is already a member",
        ),
        (f"witness X1 {V['X1']}\ngroup a 2 X1\nquorum a\n", "threshold 2 is outside 1..1"),
        (f"witness X1 {V['X1']}\ngroup a 0 X1\nquorum a\n", "threshold 0"),
        (f"witness X1 {V['X1']}\ngroup a 01 X1\nquorum a\n", "expected all, any or a number"),
        (f"witness X1 {V['X1']}\ngroup a some X1\nquorum a\n", "expected all, any or a number"),
        ("group a any\nquorum none\n", "expected 'group"),
        ("witness X1\nquorum none\n", "expected 'witness"),
        ("log\nquorum none\n", "expected 'log"),
        ("quorum\n", "expected 'quorum <name>'"),
        (f"witness X1 {LOG_VERIFIER.vkey}\nquorum none\n", "type 0x04 or 0x06"),
        (f"log {V['X1']}\nquorum none\n", "type 0x01"),
        ("monitor x\nquorum none\n", "expected log, witness, group or quorum, found 'monitor'"),
        ("quorum none\x7f\n", "control character U\\+007F"),
        ("quorum\x0bnone\n", "control character U\\+000B"),
    ],
)
def test_malformed_policies_are_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        Policy.parse(text)


def test_an_oversized_policy_is_refused_unread() -> None:
    with pytest.raises(FormatError, match="policy: expected at most 1048576 bytes"):
        Policy.parse("# comment\n" * 200_000)


def test_comments_blank_lines_and_a_missing_final_newline_are_fine() -> None:
    policy = Policy.parse("  # a comment\n\n\t\nquorum none")
    assert policy.quorum == "none"
    assert policy.witnessed([])


@given(st.data())
def test_parse_of_format_is_the_same_policy(data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(sorted(V)), min_size=1, unique=True))
    urls = data.draw(
        st.lists(
            st.one_of(st.none(), st.just("https://w.example")),
            min_size=len(names),
            max_size=len(names),
        )
    )
    lines = [f"log {LOG_VERIFIER.vkey}"]
    lines += [
        f"witness {n} {V[n]}" + (f" {u}" if u else "") for n, u in zip(names, urls, strict=True)
    ]
    threshold = data.draw(st.sampled_from(["all", "any", *map(str, range(1, len(names) + 1))]))
    lines += [f"group g {threshold} {' '.join(names)}", "quorum g"]
    policy = Policy.parse("\n".join(lines) + "\n")
    assert Policy.parse(policy.format()) == policy
    assert policy.witnessed(names)
    assert policy.witnessed(names[: policy.groups[0].threshold])
    assert not policy.witnessed(names[: policy.groups[0].threshold - 1])
