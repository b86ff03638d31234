"""The world of the node tests: hosts as real databases driven by ``accord``, logs served over
loopback HTTP by a small server that can misbehave, and nodes run as ``accord node`` processes.

- ``Host``: one host's database and folder. ``copy`` makes a second host with the very same
  log key and history so far, which then diverges: how a host shows two histories of one
  origin to two parties.
- ``StaticLog``: serves an exported folder under ``/log/`` on a free loopback port; the test
  swaps the folder to make the host rewind or fork.
- ``accord_node``: ``accord node …`` as a process; ``start_node`` runs ``accord node run``.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.processes import ROOT, free_port, process_environment, run_accord, start_worker

ORIGIN = "forum.example/log"


class Host:
    """A host: its SQLite database and var folder under ``folder``, and its CLI environment."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.database = folder / "host.sqlite3"
        self.environment = process_environment(f"sqlite:///{self.database}", folder)

    def found(self, parties: tuple[str, ...] = ("BY", "HU", "KZ")) -> str:
        """Found the log with hosted parties; returns the log's verifier key."""
        out = run_accord(self.environment, "log", "init", "--origin", ORIGIN)
        for code in parties:
            run_accord(self.environment, "party", "add", code, "--name", code, "--hosted")
        return out.split("Log verifier key: ")[1].split()[0]

    def tool(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.node.host_tool", *arguments],
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def publish(self, actor: str, count: int) -> list[int]:
        return [int(line) for line in self.tool("publish", actor, str(count)).split()]

    def publish_with_blobs(self, actor: str, count: int) -> list[int]:
        """Communiqués of which every fifth is long enough to travel as a blob."""
        worker = start_worker(self.environment, actor, count)
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        return [int(line) for line in out.split()]

    def export(self, folder: Path, *, state_digest: bool = True) -> Path:
        """``accord log export`` into ``folder``, with the signed state digest beside it."""
        run_accord(self.environment, "log", "export", str(folder))
        if state_digest:
            (folder / "state-digest").write_text(self.tool("state-digest"), encoding="utf-8")
        return folder

    def receipt(self, index: int) -> str:
        return self.tool("receipt", str(index))

    def copy(self, folder: Path) -> "Host":
        """Another host holding this one's database and keys as they are now."""
        other = Host(folder)
        with sqlite3.connect(self.database) as source, sqlite3.connect(other.database) as copy:
            source.backup(copy)
        shutil.copytree(self.folder / "var", folder / "var", dirs_exist_ok=True)
        return other

    def sql(self, statement: str) -> int:
        """Run SQL on the host's database behind Accord's back; the rows changed."""
        with sqlite3.connect(self.database) as connection:
            return connection.execute(statement).rowcount


class StaticLog(ThreadingHTTPServer):
    """Serves ``folder`` at ``/log/``, as a static host would; ``folder`` may be swapped."""

    daemon_threads = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(("127.0.0.1", 0), _StaticHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/log"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _StaticHandler(BaseHTTPRequestHandler):
    server: StaticLog

    def do_GET(self) -> None:
        relative = self.path.removeprefix("/log/")
        target = (self.server.folder / relative).resolve()
        inside = target.is_relative_to(self.server.folder.resolve())
        if relative == self.path or not inside or not target.is_file():
            self.send_error(404)
            return
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 -- http.server's
        pass


def node_environment(tmp_path: Path) -> dict[str, str]:
    """A party's machine: no host database named, its own verify memory."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {
        "PYTHONPATH": str(ROOT),
        "ACCORD_VERIFY_STATE": str(tmp_path / "verify-memory"),
        "ACCORD_VAR_DIR": str(tmp_path / "party-var"),
    }
    return environment


def accord(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )


def ok(environment: dict[str, str], *arguments: str) -> str:
    done = accord(environment, *arguments)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def sentence(done: subprocess.CompletedProcess[str]) -> str:
    """What a command said on stderr, as one line (Rich wraps long sentences)."""
    return " ".join(done.stderr.split())


class RunningNode:
    """``accord node run`` as a process, its output going to a file the test reads."""

    def __init__(self, environment: dict[str, str], state: Path, port: int) -> None:
        self.state = state
        self.port = port
        self.output = state.with_suffix(".out")
        with self.output.open("w") as sink:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "accord.cli.main", "node", "run"),
                    *("--state", str(state), "--port", str(port)),
                    *("--witness-port", str(free_port()), "--interval", "1"),
                ],
                env=environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=ROOT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def said(self) -> str:
        return " ".join(self.output.read_text(encoding="utf-8").split())

    def wait_for(self, check: Callable[[str], bool], seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            said = self.said()
            if check(said):
                return said
            assert self.process.poll() is None, said
            time.sleep(0.3)
        raise AssertionError(f"the node never said what was expected: {self.said()}")

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            data: bytes = response.read()
            return data

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=60)


def stop_all(nodes: list[RunningNode]) -> list[int]:
    """Stop every node at once (one stopping first would fail the others' exchange)."""
    for node in nodes:
        node.process.terminate()
    return [node.process.wait(timeout=60) for node in nodes]
