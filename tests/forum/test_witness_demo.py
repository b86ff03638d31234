"""The demo's four witnesses: registered with own keys, attested, counting, and kept on disk
as a party keeps them, so the demo's checkpoints can meet their policy."""

from pathlib import Path

import pytest

from accord.forum import demo, witness_demo
from accord.ledger.hosted import log_signer
from accord.ledger.models import LogState, PartyKey, RegisteredWitness
from accord.ledger.witnesses import current_witnesses
from accord.tlog import note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.cosignature import Cosigner
from accord.witness.folder import LogKey, WitnessFolder
from tests.forum.test_demo_digest import DEMO_PRESENT

pytestmark = pytest.mark.django_db


def test_four_parties_register_counting_witnesses_with_their_own_keys() -> None:
    demo.build(present=DEMO_PRESENT)
    rows = list(RegisteredWitness.objects.order_by("party"))
    assert [row.party for row in rows] == ["BY", "HU", "KZ", "RU"]
    assert all(row.own_custody and row.attested and row.counts for row in rows)
    own = PartyKey.objects.filter(custody="own").values_list("party", flat=True)
    assert sorted(own) == ["BY", "HU", "KZ", "RU"]
    assert [row.url for row in rows] == [
        "http://127.0.0.1:7381",
        "http://127.0.0.1:7383",
        "http://127.0.0.1:7384",
        "http://127.0.0.1:7382",
    ]


def test_three_of_the_demo_witnesses_meet_its_policy_and_two_do_not() -> None:
    demo.build(present=DEMO_PRESENT)
    found = current_witnesses()
    assert [one.counts for one in found.endpoints] == [True] * 4
    assert found.policy is not None
    state = LogState.objects.get()
    text = Checkpoint(state.origin, 3, bytes(32)).text()
    log_signed = note.sign(text, log_signer())
    cosigners = [Cosigner(one.skeys[0]) for one in witness_demo.witnesses()]
    three = log_signed + "".join(c.cosign(text, 1_700_000_000) for c in cosigners[:3])
    two = log_signed + "".join(c.cosign(text, 1_700_000_000) for c in cosigners[:2])
    assert found.policy.check(three).met
    assert not found.policy.check(two).met


def test_the_folders_are_witnesses_serve_can_open_and_keep_their_state(tmp_path: Path) -> None:
    log_vkey = note.Signer(note.format_skey("demo.accord.invalid/eurasia", bytes(32))).vkey
    made = witness_demo.write_folders(tmp_path, log_vkey)
    assert len(made) == 4
    for witness, folder in made:
        opened = WitnessFolder.open(folder)
        assert opened.verifier_keys() == witness.vkeys
        assert [c.vkey for c in opened.cosigners()] == witness.vkeys
        assert opened.log_keys() == [LogKey.parse(log_vkey)]
        assert (tmp_path / "keys" / f"{witness.party.lower()}.key").stat().st_mode & 0o077 == 0
    (made[0][1] / "state" / "kept").write_text("state", encoding="utf-8")
    witness_demo.write_folders(tmp_path, log_vkey)
    assert (made[0][1] / "state" / "kept").read_text(encoding="utf-8") == "state"


def test_the_first_port_can_be_moved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(witness_demo.PORT_VARIABLE, "9100")
    assert [one.url for one in witness_demo.witnesses()][-1] == "http://127.0.0.1:9103"
