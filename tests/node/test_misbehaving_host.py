"""A host that misbehaves is caught by the parties' nodes, each case as real processes on
127.0.0.1: it rewinds, it forks (two histories of one origin shown to two parties whose nodes
are peers), it drops an entry a party holds a receipt for, it publishes a state digest that
replay does not reproduce. Each ends with one evidence file that ``accord evidence check``
(a process, offline) confirms with the log key alone, and a node that refuses to go on until
it is reset."""

import json
from pathlib import Path

import pytest

from tests.node.world import (
    Host,
    RunningNode,
    StaticLog,
    accord,
    node_environment,
    ok,
    sentence,
    stop_all,
)
from tests.processes import free_port


def _init(environment: dict[str, str], url: str, state: Path, key: str) -> None:
    ok(environment, "node", "init", url, "--party", "HU", "--state", str(state), "--log-key", key)


def _evidence(state: Path) -> Path:
    files = sorted((state / "evidence").glob("*.json"))
    assert len(files) == 1, files
    return files[0]


def _confirmed(environment: dict[str, str], state: Path, key: str, claim: str) -> Path:
    """The one evidence file, confirmed by accord evidence check in a process of its own."""
    found = _evidence(state)
    checked = accord(environment, "evidence", "check", str(found), "--log-key", key)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(f"Confirmed: {claim} (forum.example/log).")
    return found


def _refuses(environment: dict[str, str], state: Path, found: Path) -> None:
    """The node refuses every later sync, naming the claim and the file, until reset."""
    again = accord(environment, "node", "sync", "--state", str(state))
    assert again.returncode == 1
    assert again.stdout == ""
    said = sentence(again)
    assert "is no longer trusted" in said
    assert str(found) in said
    assert f"accord node reset --state {state}" in said
    record = json.loads((state / "distrust.json").read_text(encoding="utf-8"))
    assert record["evidence"] == str(found)


def test_a_host_that_rewinds_is_caught_and_the_node_stops(tmp_path: Path) -> None:
    host = Host(tmp_path / "host")
    key = host.found()
    host.publish("HU", 3)
    older = host.export(tmp_path / "older")
    host.publish("HU", 3)
    newer = host.export(tmp_path / "newer")
    served = StaticLog(newer)
    environment = node_environment(tmp_path)
    state = tmp_path / "HU"
    try:
        _init(environment, served.url, state, key)
        assert "Synced 10 entries" in ok(environment, "node", "sync", "--state", str(state))
        served.folder = older
        done = accord(environment, "node", "sync", "--state", str(state))
    finally:
        served.stop()
    assert done.returncode == 1
    assert done.stdout == ""
    assert "a checkpoint of 7 entries after one of 10" in sentence(done)
    found = _confirmed(environment, state, key, "rewind")
    _refuses(environment, state, found)
    # The mirror still holds what the node accepted; the rewound checkpoint was never kept.
    assert (state / "log" / "checkpoint").read_bytes() == (newer / "checkpoint").read_bytes()
    reset = ok(environment, "node", "reset", "--state", str(state))
    assert "trusts its host again" in reset
    assert not (state / "distrust.json").exists()
    assert found.is_file(), "reset keeps the evidence"


@pytest.mark.parametrize(("hu", "by"), [(3, 3), (2, 5)], ids=["same-size", "other-size"])
def test_a_fork_shown_to_two_parties_is_caught_by_exchanging_checkpoints(
    tmp_path: Path, hu: int, by: int
) -> None:
    host = Host(tmp_path / "host")
    key = host.found()
    host.publish("KZ", 2)
    other = host.copy(tmp_path / "other")  # the same log key and history so far
    host.publish("HU", hu)
    other.publish("BY", by)
    one, two = StaticLog(host.export(tmp_path / "one")), StaticLog(other.export(tmp_path / "two"))
    environment = node_environment(tmp_path)
    ports = free_port(), free_port()
    states = tmp_path / "HU", tmp_path / "KZ"
    for served, state, peer in ((one, states[0], ports[1]), (two, states[1], ports[0])):
        ok(
            environment,
            *("node", "init", served.url, "--party", state.name, "--state", str(state)),
            *("--log-key", key, "--peer", f"http://127.0.0.1:{peer}"),
        )
    nodes = [RunningNode(environment, s, p) for s, p in zip(states, ports, strict=True)]
    try:
        for node in nodes:
            node.wait_for(lambda s: "is no longer trusted" in s)
    finally:
        codes = stop_all(nodes)
        one.stop()
        two.stop()
    assert codes == [1, 1], [node.said() for node in nodes]
    claim = "different-roots" if hu == by else "not-consistent"
    for state in states:
        found = _confirmed(environment, state, key, claim)
        _refuses(environment, state, found)


def test_a_dropped_entry_that_holds_a_receipt_is_caught(tmp_path: Path) -> None:
    host = Host(tmp_path / "host")
    key = host.found()
    before = host.copy(tmp_path / "before")  # the host as it stood before HU's statement
    index = host.publish("HU", 1)[0]
    (tmp_path / "hu.receipt").write_text(host.receipt(index), encoding="utf-8")
    before.publish("BY", 2)  # the history it serves: HU's entry gone, BY's in its place
    served = StaticLog(before.export(tmp_path / "dropped"))
    environment = node_environment(tmp_path)
    state = tmp_path / "HU"
    try:
        _init(environment, served.url, state, key)
        done = accord(
            environment,
            *("node", "sync", "--state", str(state), "--receipt", str(tmp_path / "hu.receipt")),
        )
    finally:
        served.stop()
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"entry {index}, for which it signed a receipt" in sentence(done)
    found = _confirmed(environment, state, key, "missing-entry")
    _refuses(environment, state, found)
    assert not (state / "log" / "checkpoint").exists(), "the checkpoint was never accepted"


def test_a_state_digest_that_replay_does_not_reproduce_is_caught(tmp_path: Path) -> None:
    host = Host(tmp_path / "host")
    key = host.found()
    host.publish("HU", 3)
    host.publish_with_blobs("BY", 5)  # the evidence carries the blob, so it replays anywhere
    # A projection row changed behind the log's back: the pages would show what no one signed.
    changed = host.sql(
        "UPDATE ledger_communique SET text = 'We never said that.' WHERE entry_index = 4"
    )
    assert changed == 1
    served = StaticLog(host.export(tmp_path / "export"))
    environment = node_environment(tmp_path)
    state = tmp_path / "HU"
    try:
        _init(environment, served.url, state, key)
        done = accord(environment, "node", "sync", "--state", str(state))
    finally:
        served.stop()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "replaying those entries gives" in sentence(done)
    found = _confirmed(environment, state, key, "digest-not-reproduced")
    _refuses(environment, state, found)


def test_a_checkpoint_served_again_with_fewer_cosignatures_keeps_those_the_node_held(
    tmp_path: Path,
) -> None:
    from accord.tlog.cosignature import Cosigner, generate_key  # noqa: PLC0415

    host = Host(tmp_path / "host")
    key = host.found()
    host.publish("HU", 2)
    folder = host.export(tmp_path / "log")
    bare = (folder / "checkpoint").read_text(encoding="utf-8")
    text = bare[: bare.index("\n\n") + 1]
    witnesses = [Cosigner(generate_key(name)[0]) for name in ("by.witness", "kz.witness")]
    lines = [witness.cosign(text, 1_764_000_000) for witness in witnesses]
    served = StaticLog(folder)
    environment = node_environment(tmp_path)
    state = tmp_path / "HU"
    try:
        _init(environment, served.url, state, key)
        (folder / "checkpoint").write_text(bare + lines[0], encoding="utf-8")
        ok(environment, "node", "sync", "--state", str(state))
        (folder / "checkpoint").write_text(bare + lines[1], encoding="utf-8")
        ok(environment, "node", "sync", "--state", str(state))
        (folder / "checkpoint").write_text(bare, encoding="utf-8")
        ok(environment, "node", "sync", "--state", str(state))
    finally:
        served.stop()
    kept = (state / "log" / "checkpoint").read_text(encoding="utf-8")
    assert kept == bare + lines[0] + lines[1]
