"""``accord checkpoint check``: a stand-alone cosigned checkpoint against a tlog-policy, offline.

Real checkpoints of the public witness network (tests/tlog/data/witnessed/SOURCES.md) show
that a log Accord never ran verifies; Accord's own keys show the rest: a log key whose name
is not the origin, an ML-DSA-44 witness, a witness list's plain Ed25519 key, and every
refusal as a sentence on stderr with nothing on stdout.
"""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from accord.cli.main import app
from accord.tlog import cosignature, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.merkle import root
from tests.tlog.keys import log_keys, skey, witness_key

runner = CliRunner()
WITNESSED = Path(__file__).resolve().parent.parent / "tlog" / "data" / "witnessed"
POLICY = WITNESSED / "witness-network.policy"
ARCHE = WITNESSED / "arche2025h1.checkpoint"
ARCHE_KEY = (
    "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f"
)

# Accord's own log under a key name that is not its origin, and two witnesses: BY signs with
# Ed25519 and is listed by its plain note key, HU signs with ML-DSA-44.
LOG, LOG_VERIFIER = log_keys("keys.forum.example")
TREE = Checkpoint("forum.example/log", 3, root([b"a", b"b", b"c"]))
BY = witness_key("witness.by.example")
HU = cosignature.MLDSACosigner(cosignature.format_mldsa_skey("witness.hu.example", b"\x02" * 32))
OWN_POLICY = (
    f"witness BY {note.Signer(skey('witness.by.example')).vkey}\n"
    f"witness HU {HU.vkey}\n"
    "group states all BY HU\nquorum states\n"
)


def run(*arguments: str) -> Result:
    return runner.invoke(app, ["checkpoint", "check", *arguments])


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / name)


def test_a_real_ct_checkpoint_cosigned_by_four_operators_passes() -> None:
    result = run(str(ARCHE), "--policy", str(POLICY))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "The checkpoint of 1432088532 entries of arche2025h1.staging.ct.transparency.dev is"
        " signed by the log key arche2025h1.staging.ct.transparency.dev."
    )
    assert [line.split(" (")[0] for line in lines if line.startswith("Cosigned by")] == [
        "Cosigned by little-garden",
        "Cosigned by smartit",
        "Cosigned by remora",
        "Cosigned by stagemole",
    ]
    assert "Cosigned by stagemole (witness.stagemole.eu, Ed25519) at 2026-05-23T21:50:24Z." in lines
    assert "Not cosigned by navigli-mldsa44." in lines
    assert (
        "Not checked: a signature by arche2025h1.staging.ct.transparency.dev (cd333cb1),"
        " a key not given." in lines
    )
    assert lines[-1] == "The quorum network is met."
    assert result.stderr == ""


def test_a_real_rekor_checkpoint_short_of_the_quorum_exits_one_naming_who_is_missing() -> None:
    result = run(str(WITNESSED / "rekor-log2025-1.checkpoint"), "--policy", str(POLICY))
    assert result.exit_code == 1
    assert result.stdout == ""
    said = " ".join(result.stderr.split())
    assert "log2025-1.rekor.sigstore.dev is signed by its log" in said
    assert (
        "quorum network is not met: cosigned by stagemole; missing little-garden, smartit" in said
    )


def test_json_says_the_same_as_one_object() -> None:
    result = run(str(ARCHE), "--policy", str(POLICY), "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["origin"], shown["size"], shown["quorum"], shown["quorum_met"]) == (
        "arche2025h1.staging.ct.transparency.dev",
        1_432_088_532,
        "network",
        True,
    )
    assert shown["root"] == "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro="
    assert [c["witness"] for c in shown["cosigned"]] == [
        "little-garden",
        "smartit",
        "remora",
        "stagemole",
    ]
    assert shown["cosigned"][0] == {
        "witness": "little-garden",
        "key_name": "transparency.dev/DEV:witness-little-garden",
        "key_id": "d8042a87",
        "algorithm": "Ed25519",
        "timestamp": 1_779_573_024,
        "time": "2026-05-23T21:50:24Z",
    }
    assert shown["missing"] == ["navigli-ed25519", "navigli-mldsa44"]
    assert shown["unknown"] == [
        {"name": "arche2025h1.staging.ct.transparency.dev", "key_id": "cd333cb1"}
    ]


def test_own_log_with_another_key_name_an_mldsa_and_a_plain_key_witness(tmp_path: Path) -> None:
    signed = TREE.sign(LOG) + BY.cosign(TREE.text(), 1_738_195_200) + HU.cosign(TREE.text(), 7)
    checkpoint = write(tmp_path, "checkpoint", signed)
    policy = write(tmp_path, "policy", OWN_POLICY)
    result = run(checkpoint, "--policy", policy, "--log-key", LOG_VERIFIER.vkey, "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["origin"], shown["log"]) == ("forum.example/log", "keys.forum.example")
    assert [(c["witness"], c["algorithm"], c["timestamp"]) for c in shown["cosigned"]] == [
        ("BY", "Ed25519", 1_738_195_200),
        ("HU", "ML-DSA-44", 7),
    ]
    assert shown["cosigned"][0]["key_id"] == f"{BY.key_id:08x}"


def test_a_checkpoint_only_witnesses_signed_is_refused(tmp_path: Path) -> None:
    stranger, _ = log_keys("stranger.example")
    signed = TREE.sign(stranger) + BY.cosign(TREE.text(), 1) + HU.cosign(TREE.text(), 1)
    result = run(
        write(tmp_path, "checkpoint", signed),
        "--policy",
        write(tmp_path, "policy", OWN_POLICY),
        "--log-key",
        LOG_VERIFIER.vkey,
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "signed by no accepted log (keys.forum.example)" in " ".join(result.stderr.split())


def test_a_time_beyond_the_calendar_is_shown_in_seconds(tmp_path: Path) -> None:
    far = 2**63 - 1
    signed = TREE.sign(LOG) + BY.cosign(TREE.text(), far) + HU.cosign(TREE.text(), 1)
    result = run(
        write(tmp_path, "checkpoint", signed),
        "--policy",
        write(tmp_path, "policy", OWN_POLICY),
        "--log-key",
        LOG_VERIFIER.vkey,
    )
    assert result.exit_code == 0, result.output
    assert f"Cosigned by BY (witness.by.example, Ed25519) at {far} s." in result.stdout


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("missing checkpoint", "the checkpoint"),
        ("missing policy", "the policy"),
        ("bad policy", "is not a tlog-policy: policy line 1"),
        ("bad log key", "the checkpoint does not verify: verifier key"),
        ("not a note", "the checkpoint does not verify: note"),
        ("forged size", "does not verify"),
        ("no log key", "no log key is given"),
    ],
)
def test_every_refusal_is_a_sentence_on_stderr(tmp_path: Path, case: str, said: str) -> None:
    arche, policy, keys = str(ARCHE), str(POLICY), ["--log-key", ARCHE_KEY]
    nowhere = str(tmp_path / "nowhere")
    arguments = {
        "missing checkpoint": [nowhere, "--policy", policy],
        "missing policy": [arche, "--policy", nowhere],
        "bad policy": [arche, "--policy", write(tmp_path, "bad", "quorum nobody\n")],
        "bad log key": [arche, "--policy", policy, "--log-key", "not+a+key"],
        "not a note": [write(tmp_path, "hello", "hello\n"), "--policy", policy],
        "forged size": [
            write(tmp_path, "forged", ARCHE.read_text(encoding="utf-8").replace("1432", "1433")),
            "--policy",
            policy,
        ],
        "no log key": [arche, "--policy", write(tmp_path, "none", "quorum none\n")],
    }[case]
    result = run(*arguments, *(keys if case == "missing policy" else []))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert said in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
