"""Witnesses for the host's tests, on 127.0.0.1 in threads: real ``accord.witness`` servers,
and scripted ones that answer what a broken or hostile witness would.

``forum_witnesses`` stands in for the forum's witness source: a test says who the
witnesses are and which policy holds, and the source registered before is put back
afterwards.
"""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from accord.ledger import witnesses
from accord.ledger.witnesses import WitnessEndpoint, Witnesses, register_witness_source
from accord.tlog import note
from accord.tlog.cosignature import Cosigner, MLDSACosigner, format_mldsa_skey
from accord.tlog.policy import Policy
from accord.tlog.witness import MemoryWitnessStore, WitnessResponse
from accord.witness.server import WitnessServer, WitnessService
from tests.ledger.world import LOG_KEY, ORIGIN, skey

Script = Callable[[bytes], WitnessResponse]


@dataclass
class ForumWitnesses:
    """The witnesses the host asks, as a test sets them."""

    current: Witnesses = field(default_factory=Witnesses)

    def set(
        self, endpoints: list[WitnessEndpoint], *, quorum: str = "any", timeout: float = 5.0
    ) -> Policy:
        """Ask ``endpoints``; the policy: one group of all of them with threshold ``quorum``."""
        return self.set_policy(endpoints, policy_text(endpoints, quorum), timeout=timeout)

    def set_policy(
        self, endpoints: list[WitnessEndpoint], text: str, *, timeout: float = 5.0
    ) -> Policy:
        """Ask ``endpoints`` under the policy ``text``."""
        policy = Policy.parse(text)
        self.current = Witnesses(tuple(endpoints), policy, text, timeout)
        return policy

    def source(self) -> Witnesses:
        return self.current


def policy_text(endpoints: list[WitnessEndpoint], quorum: str) -> str:
    """A tlog-policy with the log, each endpoint's first key, and one quorum group."""
    lines = [f"log {LOG_KEY.vkey}"]
    lines += [f"witness {e.name} {e.vkeys[0]} {e.url}" for e in endpoints]
    lines += [f"group parties {quorum} {' '.join(e.name for e in endpoints)}", "quorum parties"]
    return "".join(line + "\n" for line in lines)


def install(forum: ForumWitnesses) -> Iterator[ForumWitnesses]:
    saved = witnesses._SOURCES[:]
    witnesses._SOURCES.clear()
    register_witness_source(forum.source)
    try:
        yield forum
    finally:
        witnesses._SOURCES[:] = saved


class ThreadedWitness:
    """An HTTP witness in a thread on a free loopback port; stop it with ``close``."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def prefix(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class DelayedService(WitnessService):
    """A real witness that waits ``delay`` seconds before each answer, as a network would,
    and counts the requests it was sent."""

    def __init__(self, *, delay: float = 0.0, **arguments: object) -> None:
        super().__init__(**arguments)  # type: ignore[arg-type]
        self.delay = delay
        self.requests: list[bytes] = []

    def add_checkpoint(self, body: bytes) -> WitnessResponse:
        self.requests.append(body)
        if self.delay:
            time.sleep(self.delay)
        return super().add_checkpoint(body)


@dataclass
class RealWitness:
    name: str
    cosigners: list[Cosigner | MLDSACosigner]
    service: DelayedService
    running: ThreadedWitness

    def endpoint(self, party: str = "AA", *, counts: bool = True) -> WitnessEndpoint:
        vkeys = tuple(c.vkey for c in self.cosigners)
        return WitnessEndpoint(self.name, vkeys, self.running.prefix, party, counts)


def real_witness(name: str, *, delay: float = 0.0, mldsa: bool = False) -> RealWitness:
    """An ``accord.witness`` server trusting the test log's key, Ed25519 (and ML-DSA-44)."""
    cosigners: list[Cosigner | MLDSACosigner] = [Cosigner(skey(name))]
    if mldsa:
        seed = note.parse_skey(skey(name + "/ml-dsa"))[2]
        cosigners.append(MLDSACosigner(format_mldsa_skey(name, seed)))
    service = DelayedService(
        delay=delay,
        cosigner=cosigners,
        logs={ORIGIN: [note.Verifier(LOG_KEY.vkey)]},
        store=MemoryWitnessStore(),
    )
    server = WitnessServer("127.0.0.1", 0, service)
    return RealWitness(name, cosigners, service, ThreadedWitness(server))


class _ScriptedHandler(BaseHTTPRequestHandler):
    server: "ScriptedServer"
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.bodies.append(body)
        answer = self.server.script(body)
        data = answer.body.encode("utf-8")
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the host gave up on a slow answer
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        self.script = script
        self.bodies: list[bytes] = []
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)


def scripted_witness(script: Script) -> tuple[ThreadedWitness, ScriptedServer]:
    server = ScriptedServer(script)
    return ThreadedWitness(server), server
