"""accord verify --policy: the checkpoint must carry the cosignatures the auditor's quorum asks for.

Witnesses here are real Ed25519 cosignature/v1 keys; the cosigned checkpoint is
the exported one with their signature lines appended, as the host serves it.
"""

import base64
import subprocess
import sys
from pathlib import Path

import pytest

from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.export import export
from accord.ledger.verify import QuorumNotMet, VerifyFailure, verify_log
from accord.tlog import cosignature, note
from accord.tlog.policy import Policy
from tests.ledger.world import LOG_KEY, World

NAMES = ("witness.by", "witness.ru", "witness.hu")


@pytest.fixture(autouse=True)
def verify_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / "seen"))


@pytest.fixture
def witnesses() -> dict[str, cosignature.Cosigner]:
    return {name: cosignature.Cosigner(cosignature.generate_key(name)[0]) for name in NAMES}


def _log(world: World, folder: Path) -> Path:
    for seq in range(1, 4):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))
    export(folder, sign_checkpoint())
    return folder


def _cosign(folder: Path, cosigners: list[cosignature.Cosigner]) -> None:
    signed = (folder / "checkpoint").read_text()
    text = signed[: signed.index("\n\n") + 1]
    lines = "".join(c.cosign(text, 1_764_000_000 + i) for i, c in enumerate(cosigners))
    (folder / "checkpoint").write_text(signed + lines)


def _policy(witnesses: dict[str, cosignature.Cosigner], quorum: str = "2") -> Policy:
    lines = [f"log {LOG_KEY.vkey}"]
    lines += [f"witness {name} {w.vkey}" for name, w in witnesses.items()]
    lines += [f"group states {quorum} {' '.join(witnesses)}", "quorum states"]
    return Policy.parse("\n".join(lines) + "\n")


def test_a_quorum_met_verifies_and_names_who_cosigned(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    _cosign(folder, [witnesses["witness.by"], witnesses["witness.hu"]])
    verified = verify_log(str(folder), log_key=LOG_KEY.vkey, policy=_policy(witnesses))
    assert verified.quorum is not None
    assert verified.quorum.met
    assert [c.witness for c in verified.quorum.cosigned] == ["witness.by", "witness.hu"]
    assert verified.quorum.missing == ("witness.ru",)


def test_a_quorum_not_met_fails_naming_the_missing_witnesses_and_since_when(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    _cosign(folder, [witnesses["witness.ru"]])
    with pytest.raises(QuorumNotMet) as failure:
        verify_log(str(folder), log_key=LOG_KEY.vkey, policy=_policy(witnesses))
    message = str(failure.value)
    assert "cosigned by witness.ru; missing witness.by, witness.hu" in message
    assert "(the log signed it at 20" in message


def test_a_cosignature_by_a_key_not_in_the_policy_does_not_count(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    impostor = cosignature.Cosigner(cosignature.generate_key("witness.by")[0])
    _cosign(folder, [impostor, witnesses["witness.hu"]])
    with pytest.raises(QuorumNotMet, match="cosigned by witness.hu;"):
        verify_log(str(folder), log_key=LOG_KEY.vkey, policy=_policy(witnesses))


def test_a_forged_cosignature_from_a_listed_key_is_refused(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    _cosign(folder, [witnesses["witness.by"], witnesses["witness.hu"]])
    signed = (folder / "checkpoint").read_text()
    last = signed.rstrip("\n").rsplit("\n", 1)[1]
    name, key_id, signature = _split(last)
    forged = bytes(signature[:8]) + bytes(64)
    line = note.Signature(name, key_id, forged).line()
    (folder / "checkpoint").write_text(signed[: -len(last) - 1] + line)
    with pytest.raises(VerifyFailure, match="a cosignature on the checkpoint does not verify"):
        verify_log(str(folder), log_key=LOG_KEY.vkey, policy=_policy(witnesses))


def _split(line: str) -> tuple[str, int, bytes]:
    _dash, name, blob = line.split(" ")
    raw = base64.b64decode(blob)
    return name, int.from_bytes(raw[:4], "big"), raw[4:]


def test_a_policy_for_another_log_is_refused(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    _cosign(folder, list(witnesses.values()))
    _, other = note.generate_key("other.example/log")
    text = _policy(witnesses).format().replace(LOG_KEY.vkey, other)
    with pytest.raises(VerifyFailure, match="the policy given is for the log key"):
        verify_log(str(folder), log_key=LOG_KEY.vkey, policy=Policy.parse(text))


def test_the_policy_the_log_serves_is_reported_not_required(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    _cosign(folder, [witnesses["witness.ru"]])
    (folder / "witness-policy").write_text(_policy(witnesses).format())
    verified = verify_log(str(folder), log_key=LOG_KEY.vkey)
    assert verified.quorum is not None
    assert (verified.quorum.given, verified.quorum.met) == (False, False)
    assert verified.quorum.missing == ("witness.by", "witness.hu")


def test_the_command_exits_1_when_the_quorum_is_not_met_and_0_when_it_is(
    world: World, tmp_path: Path, witnesses: dict[str, cosignature.Cosigner]
) -> None:
    folder = _log(world, tmp_path / "log")
    policy = tmp_path / "policy.txt"
    policy.write_text(_policy(witnesses, quorum="all").format())
    _cosign(folder, [witnesses["witness.by"], witnesses["witness.ru"]])
    command = [sys.executable, "-m", "accord.cli.main", "verify", str(folder)]
    command += ["--log-key", LOG_KEY.vkey, "--policy", str(policy)]
    refused = subprocess.run(command, capture_output=True, text=True, check=False)
    assert refused.returncode == 1
    assert "missing witness.hu" in refused.stderr
    _cosign(folder, [witnesses["witness.hu"]])
    passed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert passed.returncode == 0, passed.stderr
    assert "Cosigned by witness.hu (Ed25519," in passed.stdout
    assert "The quorum 'states' of the policy given is met." in passed.stdout
    policy.write_text("witness oops\n")
    malformed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert malformed.returncode == 1
    assert "policy line 1" in malformed.stderr
