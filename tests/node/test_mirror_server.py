"""The node's mirror server answers only the C2SP layout and the exchange endpoint, read-only:
a junk client can name nothing outside the mirror and change nothing; and the node's code
outside its replay step imports no Django."""

import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.witness.mirror_server import MirrorServer
from tests.processes import ROOT


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[str]:
    folder = tmp_path / "log"
    (folder / "tile" / "entries").mkdir(parents=True)
    (folder / "checkpoint").write_text("forum.example/log\n1\nAAAA\n\n— sig\n", encoding="utf-8")
    (folder / "tile" / "entries" / "000.p").mkdir()
    (folder / "tile" / "entries" / "000.p" / "1").write_bytes(b"\x00\x01x")
    (tmp_path / "secret").write_text("not for the mirror", encoding="utf-8")
    server = MirrorServer("127.0.0.1", 0, folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def _status(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"x" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_it_serves_the_checkpoint_at_both_paths_byte_for_byte(mirror: str, tmp_path: Path) -> None:
    kept = (tmp_path / "log" / "checkpoint").read_bytes()
    assert _status(f"{mirror}/node/checkpoint") == (200, kept)
    assert _status(f"{mirror}/log/checkpoint") == (200, kept)
    assert _status(f"{mirror}/log/tile/entries/000.p/1") == (200, b"\x00\x01x")


@pytest.mark.parametrize(
    "path",
    [
        "/log/../secret",
        "/log/%2e%2e/secret",
        "/log/tile/../../secret",
        "/log/tile/entries/../../../secret",
        "/log/blob/../../secret",
        "/log/blob/ABC",
        "/secret",
        "/log/",
        "/node/checkpoint/../../secret",
        "/log/tile/0/x001",
    ],
)
def test_it_names_nothing_outside_the_layout(mirror: str, path: str) -> None:
    status, body = _status(mirror + path)
    assert status == 404
    assert b"not for the mirror" not in body


def test_it_changes_nothing(mirror: str, tmp_path: Path) -> None:
    before = (tmp_path / "log" / "checkpoint").read_bytes()
    for method in ("POST", "PUT", "DELETE"):
        assert _status(f"{mirror}/log/checkpoint", method)[0] == 405
    assert (tmp_path / "log" / "checkpoint").read_bytes() == before


def test_the_node_imports_no_django_until_it_replays() -> None:
    script = (
        "import sys\n"
        "import accord.cli.node, accord.witness.node, accord.witness.mirror_server\n"
        "from accord.cli.main import app\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
