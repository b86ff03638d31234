"""A node follows a live ``accord serve`` by the forum's own address, as a party would: it finds
the log at /log, mirrors and replays it to the host's digest, and fetches only what is new."""

import re
import signal
import time
from pathlib import Path

from tests.node.world import Host, node_environment, ok
from tests.processes import run_accord, start_server, wait_until_answering


def _public_digest(said: str) -> str:
    found = re.search(r"public digest ([0-9a-f]{64})", said)
    assert found, said
    return found[1]


def test_a_node_follows_accord_serve_by_the_forums_address(tmp_path: Path) -> None:
    host = Host(tmp_path / "host")
    key = host.found()
    host.publish_with_blobs("HU", 5)
    server, address = start_server(host.environment)
    environment = node_environment(tmp_path)
    state = tmp_path / "HU"
    try:
        wait_until_answering(f"{address}/log/checkpoint", process=server)
        ok(environment, "node", "init", address, "--party", "HU", "--state", str(state))
        assert (state / "node.json").read_text(encoding="utf-8").count(f"{address}/log") == 1
        said = ok(environment, "node", "sync", "--state", str(state))
        assert "Synced 9 entries (9 new, 1 blobs)" in said
        host.publish("KZ", 2)
        deadline = time.monotonic() + 60
        while "Synced 11 entries (2 new" not in said and time.monotonic() < deadline:
            time.sleep(1)  # the host checkpoints every second
            said = ok(environment, "node", "sync", "--state", str(state))
        assert "Synced 11 entries (2 new, 0 blobs)" in said
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    assert _public_digest(said) == _public_digest(run_accord(host.environment, "replay"))
    assert (state / "log" / "key").read_text(encoding="utf-8").strip() == key
