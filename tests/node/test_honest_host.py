"""Three parties' nodes follow an honest host as real processes on 127.0.0.1: each mirrors the
log incrementally, replays it to the host's own digest, serves a mirror that ``accord verify``
accepts, and agrees with its peers' checkpoints."""

import re
import urllib.error
import urllib.request
from pathlib import Path

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
from tests.processes import free_port, run_accord

PARTIES = ("BY", "HU", "KZ")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _host_digest(host: Host) -> str:
    found = re.search(r"public digest ([0-9a-f]{64})", run_accord(host.environment, "replay"))
    assert found
    return found[1]


def test_three_nodes_mirror_replay_serve_and_agree_with_each_other(tmp_path: Path) -> None:
    host = Host(tmp_path / "host")
    log_key = host.found()
    host.publish("HU", 4)
    served = StaticLog(host.export(tmp_path / "export"))
    environment = node_environment(tmp_path)
    ports = {party: free_port() for party in PARTIES}
    nodes = []
    try:
        for party in PARTIES:
            peers = [f"http://127.0.0.1:{ports[p]}" for p in PARTIES if p != party]
            ok(
                environment,
                *("node", "init", served.url, "--party", party),
                *("--state", str(tmp_path / party), "--log-key", log_key),
                *(arg for peer in peers for arg in ("--peer", peer)),
            )
        nodes = [RunningNode(environment, tmp_path / p, ports[p]) for p in PARTIES]
        digest = _host_digest(host)
        for node in nodes:
            said = node.wait_for(lambda s: "entries is reproduced" in s)
            assert f"The host's state digest at 8 entries is reproduced: {digest}." in said
        for node in nodes:
            witness = re.search(r"Witness answers at (\S+)", node.said())
            assert witness, node.said()
            assert _status(witness[1]) == 405, "the party's witness answers POST only"
        for node in nodes:
            node.wait_for(lambda s: s.count("holds the same 8 entries") >= 2)
            assert node.get("/node/checkpoint") == (tmp_path / "export" / "checkpoint").read_bytes()
            checked = ok(environment, "verify", f"{node.url}/log", "--log-key", log_key)
            assert "Verified forum.example/log: 8 entries" in checked

        # The log grows; each node fetches only what is new and still reaches the host's digest.
        host.publish("BY", 300)
        host.export(tmp_path / "export")
        digest = _host_digest(host)
        for node in nodes:
            said = node.wait_for(lambda s: "Synced 308 entries (300 new" in s)
            node.wait_for(lambda s: f"at 308 entries is reproduced: {digest}." in s)
            assert "no longer trusted" not in said
        for node in nodes:
            node.wait_for(lambda s: s.count("holds the same 308 entries") >= 2)
    finally:
        codes = stop_all(nodes)
        served.stop()
    assert codes == [0, 0, 0], [node.said() for node in nodes]
    # The node's own database replays, with accord replay itself, to the host's digest.
    replayed = ok(
        environment | {"DATABASE_URL": f"sqlite:///{tmp_path / 'HU' / 'node.sqlite3'}"}, "replay"
    )
    assert f"public digest {digest}" in replayed
    assert (tmp_path / "HU" / "witness" / "witness.pub").is_file()
    assert not list((tmp_path / "HU").glob("evidence/*"))


def test_init_refuses_a_folder_that_holds_something_else(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    host = Host(tmp_path / "host")
    host.found()
    served = StaticLog(host.export(tmp_path / "export"))
    try:
        done = accord(
            node_environment(tmp_path),
            *("node", "init", served.url, "--party", "HU", "--state", str(tmp_path / "busy")),
        )
    finally:
        served.stop()
    assert done.returncode == 1
    assert done.stdout == ""
    assert "is not empty and is not a node's folder" in sentence(done)
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_init_without_a_pinned_key_prints_the_key_it_fetched(tmp_path: Path) -> None:
    host = Host(tmp_path / "host")
    log_key = host.found()
    served = StaticLog(host.export(tmp_path / "export"))
    try:
        said = ok(
            node_environment(tmp_path),
            *("node", "init", served.url, "--party", "HU", "--state", str(tmp_path / "HU")),
        )
    finally:
        served.stop()
    assert f"Log key {log_key}, fetched from {served.url}: compare it" in " ".join(said.split())
