"""The world of the forum-of-parties test: one host and three parties, all real processes.

- ``ForumHost``: a forum founded by ``accord init`` from a FORUM.toml whose three founding
  parties (Belarus, Hungary, Kazakhstan) each hold an own key made by ``accord keygen``, so
  the host keeps no key of theirs; it runs as ``accord serve``, checkpointing every second.
- ``Party``: one party's machine: its own key, its witness folder (``accord witness init``),
  its node folder (``accord node init`` with the other two parties' nodes as peers) and,
  while it runs, its ``accord node run`` process, which serves the witness too. Every act it
  makes goes to the host with ``--url --key``: signed on its machine, never by the host.

Everything binds 127.0.0.1 on free ports and lives under the test's temporary folder. Waits
poll with a deadline; nothing asserts how long anything took.
"""

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TypeVar

from tests.node.world import node_environment
from tests.processes import ROOT, free_port, process_environment, run_accord

ORIGIN = "forum.example/parties"
PARTIES = {"BY": "Belarus", "HU": "Hungary", "KZ": "Kazakhstan"}
WAIT = 120.0
"""Seconds any one expected event may take before the test fails: generous, since three
nodes, three witnesses and a host share the machine with whatever else runs."""

T = TypeVar("T")


def each(parties: list["Party"], act: Callable[["Party"], T]) -> list[T]:
    """``act`` for every party at once, as separate machines would; the results in order.
    A failure in any is raised here."""
    with ThreadPoolExecutor(max_workers=len(parties)) as pool:
        return list(pool.map(act, parties))


def until(check: Callable[[], T | None], what: str, seconds: float = WAIT) -> T:
    """Poll ``check`` until it returns something other than None or False; fail naming
    ``what`` (and the last thing seen) after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found is not None and found is not False:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(0.3)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str) -> Answer:
    """GET ``url``; an HTTP error is an answer too, a refused connection is status 0."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers, exc.read())
    except OSError:
        return Answer(0, Message(), b"")


def accord(
    environment: dict[str, str], *arguments: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=timeout,
    )


def _forum_toml(keys: dict[str, str]) -> str:
    parties = "".join(
        f'\n[[party]]\ncode = "{code}"\nname = "{name}"\nvkey = "{keys[code]}"\n'
        for code, name in PARTIES.items()
    )
    return (
        "[forum]\n"
        'name = "Forum of Parties"\n'
        f'origin = "{ORIGIN}"\n'
        'languages = ["en", "ru"]\n'
        'symbol_prefix = "FP"\n'
        'decision_rule = "consensus"\n'
        'chair = "BY"\n' + parties
    )


class ForumHost:
    """The host: its SQLite database and folder, and its ``accord serve`` once started."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        self.folder = folder
        self.environment = process_environment(f"sqlite:///{folder / 'host.sqlite3'}", folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.log_key = ""

    def found(self, own_keys: dict[str, str]) -> str:
        """``accord init`` with each founding party's own verifier key; the log's key."""
        toml = self.folder / "FORUM.toml"
        toml.write_text(_forum_toml(own_keys), encoding="utf-8")
        said = run_accord(self.environment, "init", str(toml))
        self.log_key = said.split("Log verifier key: ")[1].split()[0]
        return self.log_key

    def serve(self) -> None:
        with (self.folder / "serve.out").open("w") as sink:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "accord.cli.main", "serve"),
                    *("--port", str(self.port), "--interval", "1"),
                ],
                env=self.environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=ROOT,
            )
        until(self.answering, "the host answering at /log/checkpoint")

    def answering(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, self.said()
        return fetch(f"{self.url}/log/checkpoint").status == 200

    def said(self) -> str:
        return (self.folder / "serve.out").read_text(encoding="utf-8")

    def checkpoint(self) -> Answer:
        answer = fetch(f"{self.url}/log/checkpoint")
        assert answer.status == 200, answer
        return answer

    def size(self) -> int:
        return int(self.checkpoint().text.split("\n")[1])

    def state_digest(self) -> tuple[int, str] | None:
        """The size and public digest the host's signed ``/log/state-digest`` names."""
        answer = fetch(f"{self.url}/log/state-digest")
        if answer.status != 200:
            return None
        return digest_named(answer.text)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def digest_named(text: str) -> tuple[int, str]:
    """The size and digest an ``accord-state-digest/v1`` note names (docs/node.md)."""
    size = re.search(r"^size (\d+)$", text, re.MULTILINE)
    digest = re.search(r"^digest ([0-9a-f]{64})$", text, re.MULTILINE)
    assert size, text
    assert digest, text
    return int(size[1]), digest[1]


class Party:
    """One party's machine: own key, witness, node; ``start``/``kill`` its ``node run``."""

    def __init__(self, root: Path, code: str, host: ForumHost) -> None:
        self.code = code
        self.host = host
        self.folder = root / code.lower()
        self.folder.mkdir(parents=True)
        self.environment = node_environment(self.folder)
        self.node_port = free_port()
        self.witness_port = free_port()
        self.state = self.folder / "node"
        self.witness = self.folder / "witness"
        self.witness_name = f"{code.lower()}.example/witness"
        self.process: subprocess.Popen[str] | None = None
        self.runs = 0
        done = accord(self.environment, "keygen", code.lower(), "--out", str(self.folder))
        assert done.returncode == 0, done.stderr
        self.key = self.folder / f"{code.lower()}.key"
        self.vkey = done.stdout.split()[-1]

    @property
    def node_url(self) -> str:
        return f"http://127.0.0.1:{self.node_port}"

    @property
    def witness_url(self) -> str:
        return f"http://127.0.0.1:{self.witness_port}"

    def act(self, *arguments: str) -> int:
        """An acting command signed here with the party's own key; the entry it made.

        An entry it refers to that is not under a checkpoint yet is refused (docs/cli.md):
        the host signs one every second, so that refusal is retried until the deadline.
        """

        def attempt() -> int | None:
            done = accord(
                self.environment,
                *arguments,
                *("--url", self.host.url, "--key", str(self.key)),
                *("--log-key", self.host.log_key),
            )
            if done.returncode == 0:
                return int(done.stdout.split()[-1])
            assert "checkpoint" in done.stderr, done.stdout + done.stderr
            return None

        return until(attempt, f"{self.code}: accord {' '.join(arguments)}")

    def publish(self, title: str, text: str) -> int:
        """A communiqué signed with ``accord sign`` and sent with ``accord submit``."""
        draft = self.folder / "communique.json"
        draft.write_text(
            json.dumps(
                {
                    "kind": "ledger.communique.published",
                    "v": 1,
                    "actor": self.code,
                    "distribution": "public",
                    "body": {"title": title, "text": text},
                }
            ),
            encoding="utf-8",
        )
        signed = self.folder / "communique.signed.json"
        done = accord(
            self.environment,
            *("sign", str(draft), "--key", str(self.key), "--url", self.host.url),
            *("--out", str(signed)),
        )
        assert done.returncode == 0, done.stderr
        done = accord(self.environment, "submit", str(signed), "--url", self.host.url)
        assert done.returncode == 0, done.stderr
        found = re.search(r"entry (\d+)", done.stdout)
        assert found, done.stdout
        return int(found[1])

    def make_witness_and_node(self, peers: list["Party"]) -> None:
        done = accord(
            self.environment, "witness", "init", self.witness_name, "--out", str(self.witness)
        )
        assert done.returncode == 0, done.stderr
        done = accord(
            self.environment,
            *("node", "init", self.host.url, "--party", self.code, "--state", str(self.state)),
            *("--witness", str(self.witness), "--log-key", self.host.log_key),
            *(argument for peer in peers for argument in ("--peer", peer.node_url)),
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def register_witness(self) -> int:
        return self.act("witness", "register", str(self.witness), "--witness-url", self.witness_url)

    def start(self) -> None:
        """``accord node run``: the mirror, the exchange endpoint and the witness."""
        self.runs += 1
        with self.output.open("a") as sink:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "accord.cli.main", "node", "run"),
                    *("--state", str(self.state), "--port", str(self.node_port)),
                    *("--witness-port", str(self.witness_port), "--interval", "1"),
                ],
                env=self.environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                cwd=ROOT,
            )
        until(self._serving, f"{self.code}'s node serving its mirror and witness")

    @property
    def output(self) -> Path:
        return self.folder / "node.out"

    def said(self) -> str:
        return " ".join(self.output.read_text(encoding="utf-8").split())

    def _serving(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, self.said()
        # The witness answers POST only: 405 to a GET says it is up (docs/witness.md).
        up = fetch(f"{self.witness_url}/add-checkpoint").status == 405
        return up and fetch(f"{self.node_url}/node/checkpoint").status in (200, 404)

    def kill(self) -> None:
        """Kill the node at once, witness and all, as a power cut would."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None
        self.process.terminate()
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def digests(self) -> dict[int, str]:
        """The public digests this node replayed to, by size (``DIR/digests.json``)."""
        path = self.state / "digests.json"
        if not path.is_file():
            return {}
        try:
            recorded = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:  # being replaced as we read: the next poll sees it
            return {}
        return {int(size): digest for size, digest in recorded.items()}

    def cosigned_size(self) -> int:
        """The size of the checkpoint this party's witness last cosigned (its state file)."""
        state = self.witness / "state" / hashlib.sha256(ORIGIN.encode()).hexdigest()
        return int(state.read_text(encoding="utf-8").split("\n")[1])


def stop_together(parties: list[Party]) -> list[int]:
    """SIGTERM every running node at once, then each exit status (0: it trusts the host)."""
    running = [party.process for party in parties if party.process is not None]
    assert len(running) == len(parties), "every node named is running"
    for process in running:
        process.terminate()
    return [process.wait(timeout=60) for process in running]
