"""The witness over HTTP: ``POST /add-checkpoint`` as c2sp.org/tlog-witness (v1.0.0) says.

Stdlib ``http.server``, one thread per connection, HTTP/1.1 keep-alive (the
spec asks witnesses to support it). What to answer is decided by
``accord.tlog.witness.add_checkpoint``; this module only moves bytes:

- ``POST /add-checkpoint`` with a ``Content-Length`` of at most
  ``MAX_REQUEST_BYTES``: the rules' answer (200 with cosignature lines, 400,
  403, 404, 409 with ``text/x.tlog.size``, 422);
- a longer body: 413, unread; no length: 411; another method on that path:
  405 with ``Allow: POST``; any other path: 404;
- a state file that cannot be read back: 500, and nothing is cosigned.

The answer is sent only after the store has made the new state durable.
Stopping (SIGTERM, SIGINT) stops accepting and lets requests in progress
finish before the process exits.
"""

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from accord.tlog import note
from accord.tlog.witness import (
    MAX_REQUEST_BYTES,
    TEXT_CONTENT_TYPE,
    CheckpointCosigner,
    WitnessResponse,
    WitnessStore,
    add_checkpoint,
)
from accord.witness.store import WitnessStateDamaged

ADD_CHECKPOINT = "/add-checkpoint"
REQUEST_TIMEOUT = timedelta(seconds=30)
"""A connection silent this long is closed, so a slow client cannot hold a thread."""


class WitnessService:
    """The rules bound to one witness: its key, the logs it trusts, its store and a clock."""

    def __init__(
        self,
        *,
        cosigner: CheckpointCosigner | Sequence[CheckpointCosigner],
        logs: Mapping[str, Sequence[note.NoteVerifier]],
        store: WitnessStore,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cosigner = cosigner
        self.logs = logs
        self.store = store
        self.clock = clock

    def add_checkpoint(self, body: bytes) -> WitnessResponse:
        """One request's answer; the new state is durable before this returns 200."""
        return add_checkpoint(
            body,
            cosigner=self.cosigner,
            logs=self.logs,
            store=self.store,
            timestamp=int(self.clock()),
        )


class WitnessServer(ThreadingHTTPServer):
    """An HTTP server for one ``WitnessService``, counting the requests in progress."""

    daemon_threads = True

    def __init__(self, host: str, port: int, service: WitnessService) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.service = service
        self._in_progress = 0
        self._idle = threading.Condition()
        super().__init__((host, port), AddCheckpointHandler)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{ADD_CHECKPOINT}"

    @contextlib.contextmanager
    def request_in_progress(self) -> Iterator[None]:
        with self._idle:
            self._in_progress += 1
        try:
            yield
        finally:
            with self._idle:
                self._in_progress -= 1
                self._idle.notify_all()

    def finish_requests(self, within: timedelta) -> bool:
        """Wait for the requests in progress to be answered; False if some were not in time."""
        with self._idle:
            return self._idle.wait_for(
                lambda: self._in_progress == 0, timeout=within.total_seconds()
            )


class AddCheckpointHandler(BaseHTTPRequestHandler):
    """One connection to the witness; see the module docstring for what it answers."""

    server: WitnessServer
    protocol_version = "HTTP/1.1"
    server_version = "accord-witness"
    sys_version = ""
    timeout = REQUEST_TIMEOUT.total_seconds()

    def do_POST(self) -> None:
        if urlsplit(self.path).path != ADD_CHECKPOINT:
            self._refuse(404, f"nothing here; a witness answers POST {ADD_CHECKPOINT}")
            return
        length = self._content_length()
        if length is None:
            return
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return
        with self.server.request_in_progress():
            try:
                answer = self.server.service.add_checkpoint(body)
            except WitnessStateDamaged as exc:
                self.log_error("%s", exc)
                answer = WitnessResponse(500, "the witness's state cannot be read\n")
        self._send(answer)

    def _content_length(self) -> int | None:
        declared = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or declared is None:
            self._refuse(411, "send the request with a Content-Length")
            return None
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            self._refuse(400, f"Content-Length {declared[:40]!r} is not a size")
            return None
        if length > MAX_REQUEST_BYTES:
            self._refuse(413, f"a request is at most {MAX_REQUEST_BYTES} bytes, not {length}")
            return None
        return length

    def _not_post(self) -> None:
        if urlsplit(self.path).path == ADD_CHECKPOINT:
            self._refuse(405, f"{ADD_CHECKPOINT} takes POST only", allow="POST")
        else:
            self._refuse(404, f"nothing here; a witness answers POST {ADD_CHECKPOINT}")

    def do_GET(self) -> None:
        self._not_post()

    def do_HEAD(self) -> None:
        self._not_post()

    def do_PUT(self) -> None:
        self._not_post()

    def do_DELETE(self) -> None:
        self._not_post()

    def do_PATCH(self) -> None:
        self._not_post()

    def do_OPTIONS(self) -> None:
        self._not_post()

    def _refuse(self, status: int, sentence: str, *, allow: str | None = None) -> None:
        # The body (if any) was not read, so the connection cannot carry another request.
        self.close_connection = True
        self._send(WitnessResponse(status, sentence + "\n"), allow=allow)

    def _send(self, answer: WitnessResponse, *, allow: str | None = None) -> None:
        body = answer.body.encode("utf-8")
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type or TEXT_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        if allow:
            self.send_header("Allow", allow)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 -- http.server's name
        sys.stderr.write(f"witness: {self.address_string()} {format % args}\n")
