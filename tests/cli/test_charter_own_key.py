"""An own-key party co-drafts from the CLI against a live ``accord serve``: it imports a
400-article charter (a body past an entry's limit, sent as a blob it signs), amends, states a
position and, once it holds the chair, signs the revision the host computed after checking its
hash. Real processes on a file database, as tests/cli/test_own_key.py."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_own_key import Served, _get, _until, accord, said
from tests.forum.world import FORUM_TOML
from tests.processes import process_environment, run_accord, start_server


def _charter(articles: int) -> str:
    """A long treaty in Markdown: chapters of ten articles, each of two sentences."""
    lines = ["# Charter of Many Articles", ""]
    for number in range(1, articles + 1):
        if number % 10 == 1:
            lines += [f"## Chapter {number // 10 + 1}", ""]
        lines += [
            f"### Article {number}",
            "",
            (
                f"The Parties shall observe the undertaking numbered {number} in good faith, and"
                " shall report on it to one another at each regular session of the forum."
            ),
            "",
        ]
    return "\n".join(lines)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """CC keeps its own key and has joined the forum (answered its invitation itself)."""
    environment = process_environment(f"sqlite:///{tmp_path / 'served.sqlite3'}", tmp_path)
    (tmp_path / "FORUM.toml").write_text(FORUM_TOML, encoding="utf-8")
    run_accord(environment, "init", str(tmp_path / "FORUM.toml"))
    run_accord(environment, "keygen", "cc", "--out", str(tmp_path / "keys"))
    vkey = (tmp_path / "keys" / "cc.pub").read_text().strip()
    run_accord(environment, "party", "add", "CC", "--name", "State C", "--vkey", vkey)
    invited = run_accord(environment, "forum", "invite", "CC", "--name", "State C", "--as", "AA")
    server, url = start_server(environment)
    try:
        _until(lambda: _get(f"{url}/log/checkpoint")[0] == 200, "the server answering")
        world = Served(environment, url, tmp_path / "keys" / "cc.key", int(invited.split()[-1]))
        world.proven(world.invitation)
        run_accord(environment, "verify", url)
        answered = world.act("forum", "answer", "accepted")
        assert answered.returncode == 0, answered.stderr
        yield world
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _made(done: object, kind: str) -> int:
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    last = done.stdout.strip().splitlines()[-1]  # type: ignore[attr-defined]
    assert f"({kind})" in last
    return int(last.split()[-1])


def _statement(served: Served, index: int) -> dict[str, Any]:
    served.proven(index)
    _status, body = _get(f"{served.url}/log/entry/{index}")
    statement: dict[str, Any] = json.loads(body)["entry"]["statement"]
    return statement


def test_an_own_key_party_imports_a_long_charter_amends_states_and_revises_as_chair(
    served: Served, tmp_path: Path
) -> None:
    treaty = tmp_path / "long.md"
    treaty.write_text(_charter(400), encoding="utf-8")
    doc = _made(
        served.act("charter", "import", str(treaty), "--title", "Long Charter"),
        "charter.document.introduced",
    )
    statement = _statement(served, doc)
    assert statement["actor"] == "CC"
    assert set(statement["body"]) == {"blob", "size"}
    _status, shown = _get(f"{served.url}/api/v1/charter/documents/{doc}/compilation")
    provisions = json.loads(shown)["provisions"]
    assert sum(1 for p in provisions if p["element"] == "article") == 400
    symbol = json.loads(_get(f"{served.url}/api/v1/charter/documents/{doc}")[1])["symbol"]

    amendment = _made(
        served.act(
            *("charter", "amend", symbol, "--provision", "chp_1__art_1"),
            *("--replace-text", "The Parties shall observe it.", "--rationale", "Shorter."),
        ),
        "charter.amendment.proposed",
    )
    assert _statement(served, amendment)["body"] == {
        "document": doc,
        "provision": "chp_1__art_1",
        "action": "replace",
        "text": "The Parties shall observe it.",
        "heading": "",
        "rationale": "Shorter.",
    }
    position = _made(
        served.act("charter", "position", str(amendment), "--stance", "support"),
        "charter.position.stated",
    )
    assert _statement(served, position)["actor"] == "CC"

    refused = served.act("charter", "revise", str(doc), "--incorporate", str(amendment))
    assert refused.returncode == 1
    assert "(not_permitted)" in said(refused)
    run_accord(served.environment, "forum", "chair", "CC", "--as", "AA")
    revision = _made(
        served.act("charter", "revise", str(doc), "--incorporate", str(amendment)),
        "charter.revision.issued",
    )
    signed = _statement(served, revision)
    assert set(signed["body"]) == {"blob", "size"}
    _status, shown = _get(f"{served.url}/api/v1/charter/documents/{doc}")
    assert json.loads(shown)["revision"] == 1
    _status, compiled = _get(f"{served.url}/api/v1/charter/documents/{doc}/compilation")
    first = next(p for p in json.loads(compiled)["provisions"] if p["eid"] == "chp_1__art_1")
    assert first["text"] == "The Parties shall observe it."
    shown_md = accord(
        served.environment,
        *("charter", "show", f"{symbol}/Rev.1", "--format", "md", "--url", served.url),
    )
    assert shown_md.returncode == 0, shown_md.stderr
    assert "The Parties shall observe it." in shown_md.stdout


def test_an_own_key_dry_run_prints_the_amendment_and_signs_nothing(served: Served) -> None:
    _status, body = _get(f"{served.url}/api/v1/parties/CC/next-seq")
    before = json.loads(body)["next_seq"]
    listed = run_accord(served.environment, "charter", "list")
    assert listed == ""  # no document yet: the dry run needs one
    treaty = Path(served.key).parent / "short.md"
    treaty.write_text(_charter(3), encoding="utf-8")
    doc = int(
        run_accord(served.environment, "charter", "import", str(treaty), "--as", "AA").split()[-1]
    )
    served.proven(doc)
    dry = served.act(
        "charter", "amend", str(doc), "--provision", "chp_1__art_2", "--delete", "--dry-run"
    )
    assert dry.returncode == 0, dry.stderr
    statement = json.loads(dry.stdout)
    assert (statement["kind"], statement["actor"]) == ("charter.amendment.proposed", "CC")
    assert statement["body"]["action"] == "delete"
    assert "signature" not in dry.stdout
    _status, body = _get(f"{served.url}/api/v1/parties/CC/next-seq")
    assert json.loads(body)["next_seq"] == before
    _status, body = _get(f"{served.url}/api/v1/charter/documents/{doc}/positions")
    assert json.loads(body)["amendments"] == []
