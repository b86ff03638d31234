"""The node's mirror over HTTP, read-only, in the layout the host serves (c2sp.org/tlog-tiles).

::

    GET /log/checkpoint            the checkpoint this node accepted last, cosigned, verbatim
    GET /log/key                   the log's verifier key
    GET /log/tile/<L>/<N>[.p/<W>]  hash tiles;  GET /log/tile/entries/<N>[.p/<W>]  entry bundles
    GET /log/blob/<sha256>         blobs
    GET /log/state-digest          the host's signed state digest this node last reproduced
    GET /node/checkpoint           the exchange endpoint: the latest cosigned checkpoint this
                                   node accepted (the same bytes as /log/checkpoint), which
                                   other parties' nodes compare with their own (docs/node.md)

So anyone reads the log from any party while the host is down, and ``accord verify
http://node/log`` checks it. Anything else is 404; a method other than GET or HEAD
is 405. Paths are matched against the layout before any file is opened, so
nothing outside the mirror can be named. Stdlib ``http.server``, one thread per
connection; each answer is one file read.
"""

import re
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from accord.tlog import FormatError
from accord.tlog.tiles import parse_tile_path

EXCHANGE = "/node/checkpoint"
_BLOB = re.compile(r"blob/[0-9a-f]{64}")
_TEXT = {"checkpoint", "key", "state-digest"}


def mirror_file(folder: Path, path: str) -> tuple[Path, str] | None:
    """The file under ``folder`` that answers ``path`` and its content type, or None."""
    name = "checkpoint" if path == EXCHANGE else path.removeprefix("/log/")
    if name == path:
        return None
    if name in _TEXT:
        return folder / name, "text/plain; charset=utf-8"
    if _BLOB.fullmatch(name):
        return folder / name, "application/json"
    if name.startswith("tile/") and _tile(name):
        return folder / name, "application/octet-stream"
    return None


def _tile(name: str) -> bool:
    try:
        parse_tile_path(name)
    except FormatError:
        return False
    return True


class MirrorServer(ThreadingHTTPServer):
    """Serves one node's mirror folder read-only."""

    daemon_threads = True

    def __init__(self, host: str, port: int, folder: Path) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.folder = folder
        super().__init__((host, port), MirrorHandler)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"


class MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"
    server_version = "accord-node"
    sys_version = ""
    timeout = 30

    def do_GET(self) -> None:
        found = mirror_file(self.server.folder, urlsplit(self.path).path)
        data = None
        if found is not None:
            try:
                data = found[0].read_bytes()
            except OSError:
                data = None
        if found is None or data is None:
            self._send(404, b"nothing here\n", "text/plain; charset=utf-8")
            return
        self._send(200, data, found[1])

    def do_HEAD(self) -> None:
        self.do_GET()

    def _refuse(self) -> None:
        self.close_connection = True
        self._send(405, b"the mirror is read-only: GET or HEAD\n", "text/plain; charset=utf-8")

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815 -- http.server's names

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache")
        if status == 405:
            self.send_header("Allow", "GET, HEAD")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Reads are not logged: every party's node reads every round."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 -- http.server's name
        sys.stderr.write(f"mirror: {self.address_string()} {format % args}\n")
