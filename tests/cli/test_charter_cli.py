"""``accord charter …`` with ``--as`` on the host: every command prints what the next one
takes, shows read the host, and a refusal is a sentence on stderr with the log unchanged.

The in-process tests run the CLI on the test database on the world's simulated clock (so a
silence can end); the whole cycle also runs as real processes on a file database.
"""

import json
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.testing import CliRunner, Result

from accord.charter import actions
from accord.charter.models import (
    Amendment,
    Decision,
    Document,
    Interpretation,
    Position,
    SilenceBreak,
    Translation,
)
from accord.cli.main import app
from accord.ledger.digest import digest
from accord.ledger.envelope import format_time
from accord.ledger.models import Entry, LogState
from accord.lib import clock
from tests.charter.world import AA_HEAD, CharterWorld, build
from tests.forum.world import FORUM_TOML
from tests.ledger.conftest import TEST_KEK
from tests.processes import process_environment, run_accord

runner = CliRunner()

TREATY = """# Treaty of Friendship

## Chapter I — Principles

### Article 1 — Purpose

The Parties shall cooperate in good faith.

### Article 2 — Equality

The Parties are sovereign and equal.
"""


@pytest.fixture
def charter(
    db: None, settings: SettingsWrapper, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CharterWorld]:
    monkeypatch.setenv("ACCORD_KEK", TEST_KEK)
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ACCORD_BLOB_DIR = tmp_path / "blobs"
    yield from build()


def run(charter: CharterWorld, *arguments: str) -> Result:
    with clock.simulated(charter.forum.ticking):
        return runner.invoke(app, ["charter", *arguments])


def made(charter: CharterWorld, kind: str, *arguments: str) -> int:
    """Run an acting command; it must succeed and end with the entry it made, of ``kind``."""
    result = run(charter, *arguments)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    entry = int(result.stdout.split()[-1])
    assert f"({kind})" in result.stdout.splitlines()[-1]
    assert Entry.objects.get(index=entry).kind == kind
    return entry


def refused(charter: CharterWorld, code: str, *arguments: str) -> str:
    """Run a command that must be refused with ``code``: stderr only, exit 1, log unchanged."""
    size, before = LogState.objects.get().size, digest(full=True)
    result = run(charter, *arguments)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    said = " ".join(result.stderr.split())
    assert f"({code})" in said
    assert LogState.objects.get().size == size
    assert digest(full=True) == before
    return said


def test_import_amend_position_revise_silence_conclude_interpret_with_as(
    charter: CharterWorld, tmp_path: Path
) -> None:
    treaty = tmp_path / "treaty.md"
    treaty.write_text(TREATY, encoding="utf-8")
    doc = made(
        charter,
        "charter.document.introduced",
        "import",
        str(treaty),
        "--title",
        "Treaty",
        "--as",
        "BB",
    )
    document = Document.objects.get(entry_index=doc)
    assert (document.title, document.language, document.symbol) == ("Treaty", "en", "FD.L/2/25")
    listed = run(charter, "list").stdout
    assert f"{doc}  FD.L/2/25" in listed
    eid = "chp_I__art_2"
    amendment = made(
        charter,
        "charter.amendment.proposed",
        *("amend", "FD.L/2/25", "--provision", eid, "--replace-text", "All Parties are equal."),
        *("--rationale", "Shorter.", "--as", "BB"),
    )
    assert Amendment.objects.get(entry_index=amendment).eid == eid
    made(charter, "charter.amendment.cosponsored", "cosponsor", str(amendment), "--as", "AA")
    made(
        charter,
        "charter.position.stated",
        *("position", str(amendment), "--stance", "support", "--note", "Good", "--as", "AA"),
    )
    assert Position.objects.get(amendment=amendment, party="AA").stance == "support"
    bracketed = " ".join(run(charter, "show", str(doc), "--brackets").stdout.split())
    assert "All Parties are equal." in bracketed
    assert "1 bracket remains." in bracketed
    made(
        charter,
        "charter.translation.given",
        "translate",
        str(doc),
        "--provision",
        "chp_I",
        "--lang",
        "ru",
        "--text",
        "",
        "--heading",
        "Принципы",
        "--as",
        "AA",
    )
    assert Translation.objects.filter(document=doc, language="ru").count() == 1
    revision = made(
        charter,
        "charter.revision.issued",
        "revise",
        str(doc),
        "--incorporate",
        str(amendment),
        "--as",
        "AA",
    )
    assert Document.objects.get(entry_index=doc).revision == 1
    revised = " ".join(run(charter, "show", "FD.L/2/25/Rev.1").stdout.split())
    assert "All Parties are equal." in revised
    first = " ".join(run(charter, "show", str(doc), "--revision", "0").stdout.split())
    assert "sovereign and equal" in first
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    procedure = made(
        charter,
        "charter.silence.opened",
        *("silence", str(doc), "--revision", "1", "--until", until, "--as", "AA"),
    )
    assert procedure > revision
    refused(charter, "not_yet", "conclude", str(procedure), "--as", "secretariat")
    charter.later(49)
    refused(
        charter,
        "silence_ended",
        *("break-silence", str(procedure), "--reason", "Too late", "--as", "BB"),
    )
    conclusion = made(
        charter, "charter.silence.concluded", "conclude", str(procedure), "--as", "secretariat"
    )
    decision = Decision.objects.get(entry_index=conclusion)
    shown = run(charter, "decisions").stdout
    assert f"{conclusion}  {decision.symbol}" in shown
    made(
        charter,
        "charter.interpretation.attached",
        *("interpret", decision.symbol, "--text", "We understand…", "--as", "BB"),
    )
    assert Interpretation.objects.get(decision=conclusion).party == "BB"
    refused(
        charter,
        "adopted",
        *("amend", str(doc), "--provision", eid, "--delete", "--as", "BB"),
    )


def test_a_break_and_a_withdrawal_end_with_their_entries(charter: CharterWorld) -> None:
    amendment = made(
        charter,
        "charter.amendment.proposed",
        *("amend", str(charter.document), "--provision", "chp_1__art_2", "--delete", "--as", "BB"),
    )
    refused(charter, "not_sponsor", "withdraw", str(amendment), "--as", "AA")
    made(charter, "charter.amendment.withdrawn", "withdraw", str(amendment), "--as", "BB")
    until = format_time(charter.forum.ticking.moment + timedelta(hours=30))
    procedure = charter.act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    index = procedure.index  # type: ignore[attr-defined]
    made(
        charter,
        "charter.silence.broken",
        *("break-silence", str(index), "--reason", "Article 2", "--counter-proposal", "Keep it"),
        "--as",
        "BB",
    )
    assert SilenceBreak.objects.get(procedure=index).counter_proposal == "Keep it"
    refused(
        charter, "broken_already", "break-silence", str(index), "--reason", "Again", "--as", "BB"
    )


def test_refusals_are_sentences_and_bad_input_is_caught_before_acting(
    charter: CharterWorld, tmp_path: Path
) -> None:
    doc = str(charter.document)
    said = refused(
        charter, "no_provision", "amend", doc, "--provision", "art_9", "--delete", "--as", "BB"
    )
    assert "art_9" in said
    refused(
        charter, "not_permitted", "amend", doc, "--provision", "chp_1", "--delete", "--as", "CC"
    )
    refused(charter, "not_permitted", "revise", doc, "--as", "BB")
    for arguments in (
        ("amend", doc, "--provision", "chp_1", "--as", "BB"),
        ("amend", doc, "--provision", "chp_1", "--delete", "--replace-text", "X", "--as", "BB"),
        ("position", "1", "--stance", "maybe", "--as", "BB"),
        ("revise", doc, "--incorporate", "one,two", "--as", "AA"),
        ("show", "FD.L/9/25"),
        ("show", doc, "--format", "rtf"),
        ("import", str(tmp_path / "missing.md"), "--as", "BB"),
    ):
        result = run(charter, *arguments)
        assert result.exit_code == 1, (arguments, result.output)
        assert result.stdout == ""
        assert len(result.stderr.split()) > 3
    hostile = tmp_path / "bomb.xml"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    result = run(charter, "import", str(hostile), "--as", "BB")
    assert result.exit_code == 1
    assert "cannot be imported" in " ".join(result.stderr.split())


def test_show_writes_every_format_and_out_holds_the_same_bytes(
    charter: CharterWorld, tmp_path: Path
) -> None:
    for fmt in ("text", "md", "akn", "docx", "html", "pdf"):
        printed = run(charter, "show", "FD.L/1/25", "--format", fmt)
        assert printed.exit_code == 0, printed.output
        target = tmp_path / f"charter.{fmt}"
        written = run(charter, "show", str(charter.document), "--format", fmt, "--out", str(target))
        assert written.stdout_bytes == b""
        assert target.read_bytes() == printed.stdout_bytes, fmt
    assert (tmp_path / "charter.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "charter.pdf").read_bytes()[:5] == b"%PDF-"
    listed = json.loads(run(charter, "list", "--json").stdout)
    assert [row["symbol"] for row in listed] == ["FD.L/1/25"]
    assert json.loads(run(charter, "decisions", "--json").stdout) == []


def test_the_whole_cycle_runs_as_real_processes(tmp_path: Path) -> None:
    """import → amend → position → revise → silence → break, each command a process on a file
    database, each taking the identifier the one before printed."""
    environment = process_environment(f"sqlite:///{tmp_path / 'cycle.sqlite3'}", tmp_path)
    (tmp_path / "FORUM.toml").write_text(FORUM_TOML, encoding="utf-8")
    run_accord(environment, "init", str(tmp_path / "FORUM.toml"))
    treaty = tmp_path / "treaty.md"
    treaty.write_text(TREATY, encoding="utf-8")

    def last(*arguments: str) -> str:
        return run_accord(environment, "charter", *arguments).split()[-1]

    doc = last("import", str(treaty), "--title", "Treaty", "--as", "AA")
    symbol = run_accord(environment, "charter", "list").split()[1]
    assert symbol.startswith("FD.L/1/")
    amendment = last(
        "amend", symbol, "--provision", "chp_I__art_1", "--insert-after", "New.", "--as", "BB"
    )
    last("position", amendment, "--stance", "accept", "--as", "AA")
    last("revise", doc, "--incorporate", amendment, "--as", "AA")
    until = format_time(clock.now() + timedelta(hours=48))
    procedure = last("silence", doc, "--revision", "1", "--until", until, "--as", "AA")
    broke = last("break-silence", procedure, "--reason", "Article 1 bis is new.", "--as", "BB")
    assert int(broke) == int(procedure) + 1
    shown = run_accord(environment, "charter", "show", f"{symbol}/Rev.1", "--format", "md")
    assert "New." in shown
