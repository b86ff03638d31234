"""An own-key party acts from the CLI against a live ``accord serve``: ``--url URL --key FILE``.

The party's signer key never leaves its machine; the host supplies only the next sequence
number and the entries to prove. Every test runs real processes on a file database.
"""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.forum.world import FORUM_TOML
from tests.processes import ROOT, process_environment, run_accord, start_server


def accord(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def said(done: subprocess.CompletedProcess[str]) -> str:
    """What the command said on stderr, as one line (the terminal wraps long sentences)."""
    return " ".join(done.stderr.split())


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def _until(check: object, what: str) -> None:
    """Poll ``check`` (a callable) until it holds; the server checkpoints every second."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen")


class Served:
    def __init__(self, environment: dict[str, str], url: str, key: Path, invitation: int) -> None:
        self.environment, self.url, self.key, self.invitation = environment, url, key, invitation

    def act(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return accord(self.environment, *arguments, "--url", self.url, "--key", str(self.key))

    def proven(self, index: int) -> None:
        _until(
            lambda: _get(f"{self.url}/log/entry/{index}")[0] == 200, f"a checkpoint over {index}"
        )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A forum whose party CC keeps its own key, invited by AA, behind a live server that this
    machine has verified once (so it remembers the log key)."""
    environment = process_environment(f"sqlite:///{tmp_path / 'served.sqlite3'}", tmp_path)
    (tmp_path / "FORUM.toml").write_text(FORUM_TOML, encoding="utf-8")
    run_accord(environment, "init", str(tmp_path / "FORUM.toml"))
    run_accord(environment, "keygen", "cc", "--out", str(tmp_path / "keys"))
    vkey = (tmp_path / "keys" / "cc.pub").read_text().strip()
    run_accord(environment, "party", "add", "CC", "--name", "State C", "--vkey", vkey)
    invited = run_accord(environment, "forum", "invite", "CC", "--name", "State C", "--as", "AA")
    invitation = int(invited.split()[-1])
    server, url = start_server(environment)
    try:
        _until(lambda: _get(f"{url}/log/checkpoint")[0] == 200, "the server answering")
        world = Served(environment, url, tmp_path / "keys" / "cc.key", invitation)
        world.proven(invitation)
        run_accord(environment, "verify", url)
        yield world
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_an_own_key_party_answers_and_accredits_from_the_cli_and_prints_what_it_made(
    served: Served,
) -> None:
    answered = served.act("forum", "answer", "accepted")
    assert answered.returncode == 0, answered.stderr
    *_, own = answered.stdout.strip().splitlines()
    assert "(forum.invitation.answered)" in own
    entry = int(own.split()[-1])
    _status, body = _get(f"{served.url}/api/v1/forum")
    assert {p["code"]: p["status"] for p in json.loads(body)["parties"]}["CC"] == "participating"
    served.proven(entry)
    _status, body = _get(f"{served.url}/log/entry/{entry}")
    statement = json.loads(body)["entry"]["statement"]
    assert (statement["actor"], statement["body"]) == (
        "CC",
        {"invitation": served.invitation, "answer": "accepted"},
    )
    accredited = served.act("forum", "accredit", "cc.head", "--role", "head")
    assert accredited.returncode == 0, accredited.stderr
    assert accredited.stdout.split()[-1] == "cc.head"
    withdrawn = served.act("forum", "withdraw", accredited.stdout.split()[-1])
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "(forum.person.withdrawn)" in withdrawn.stdout


def test_a_dry_run_prints_the_statement_and_signs_nothing(served: Served) -> None:
    dry = served.act("forum", "answer", "interested", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    statement = json.loads(dry.stdout)
    assert statement["kind"] == "forum.invitation.answered"
    assert statement["actor"] == "CC"
    assert statement["body"] == {"invitation": served.invitation, "answer": "interested"}
    assert "signature" not in dry.stdout
    _status, body = _get(f"{served.url}/api/v1/parties/CC/next-seq")
    assert json.loads(body)["next_seq"] == 1  # CC has signed nothing yet
    _status, body = _get(f"{served.url}/api/v1/forum/invitations/open?party=CC")
    assert json.loads(body)["entry_index"] == served.invitation  # still unanswered


def test_a_log_key_other_than_the_one_remembered_is_refused_before_signing(
    served: Served, tmp_path: Path
) -> None:
    from accord.tlog import note  # noqa: PLC0415

    _skey, other = note.generate_key("forum.example/forum")
    wrong = served.act("forum", "answer", "accepted", "--log-key", other)
    assert wrong.returncode == 1
    assert "is not the log key this machine saw" in said(wrong)
    forgetful = {**served.environment, "ACCORD_VERIFY_STATE": str(tmp_path / "elsewhere")}
    unknown = accord(
        forgetful, "forum", "answer", "accepted", "--url", served.url, "--key", str(served.key)
    )
    assert unknown.returncode == 1
    assert "run accord verify" in said(unknown)
    pinned_wrong = accord(
        forgetful,
        *("forum", "answer", "accepted", "--url", served.url, "--key", str(served.key)),
        *("--log-key", other),
    )
    assert pinned_wrong.returncode == 1
    assert "not proven to be in the log the log key signs" in said(pinned_wrong)
    _status, body = _get(f"{served.url}/api/v1/parties/CC/next-seq")
    assert json.loads(body)["next_seq"] == 1  # nothing was signed, nothing was sent


def test_an_entry_the_statement_refers_to_must_be_of_the_kind_it_names(served: Served) -> None:
    agreed = served.act("forum", "profile", "agree", str(served.invitation))
    assert agreed.returncode == 1
    assert "is a forum.invitation.sent, not a forum.profile.proposed" in said(agreed)


def test_a_refusal_goes_to_stderr_with_its_code_and_exit_status_one(served: Served) -> None:
    refused = served.act("forum", "chair", "AA")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "(not_permitted)" in said(refused)
