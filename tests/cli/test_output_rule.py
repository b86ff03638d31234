"""What every ``accord`` command prints, held for the whole command tree (docs/cli.md).

The rule: an acting command prints its receipts on stdout, ending with what it made as the
last word, which the next command accepts; a failure prints its sentence on stderr, nothing
on stdout, and exits 1; a show or export command writes to stdout, or with ``--out FILE``
the very same bytes into FILE, whole or not at all. The tests walk the Typer app, so a new
command that no class names, or a show command without ``--out``, fails here.
"""

import io
import json
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer.main
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.core import TyperGroup
from typer.testing import CliRunner, Result

from accord.charter import actions as charter_actions
from accord.cli.main import app
from accord.dialogue import actions as dialogue_actions
from accord.forum import actions
from accord.ledger import actions as ledger_actions
from accord.ledger import evidence
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import Entry, LogState
from accord.tlog import merkle, note
from accord.tlog.checkpoint import Checkpoint
from tests.forum.world import AA_HEAD, ForumWorld, build
from tests.ledger.conftest import ledger_environment

__all__ = ["ledger_environment"]

runner = CliRunner()
WITNESSED = Path(__file__).resolve().parent.parent / "tlog" / "data" / "witnessed"
GROUPS = (
    "forum",
    "restricted",
    "log",
    "charter",
    "conference",
    "csbm",
    "checkpoint",
    "evidence",
)

# Every command, by what it prints. Acting: receipts, the made thing last. Show and export:
# what they show, on stdout or into --out FILE. Admin: the host's own operations (founding,
# registering, running servers), which print sentences for the operator.
ACTING = {
    "forum invite",
    "forum answer",
    "forum join",
    "forum leave",
    "forum chair",
    "forum accredit",
    "forum withdraw",
    "forum profile propose",
    "forum profile agree",
    "forum profile adopt",
    "forum describe",
    "charter import",
    "charter translate",
    "charter amend",
    "charter cosponsor",
    "charter withdraw",
    "charter position",
    "charter revise",
    "charter silence",
    "charter break-silence",
    "charter conclude",
    "charter interpret",
    "conference create",
    "conference meeting add",
    "conference agenda propose",
    "conference agenda adopt",
    "conference delegation name",
    "conference credentials submit",
    "conference credentials accept",
    "conference speakers open",
    "conference speakers close",
    "conference speakers inscribe",
    "conference speakers next",
    "conference reply",
    "conference statement circulate",
    "conference statement deliver",
    "conference statement derestrict",
    "conference decide",
    "conference object",
    "conference declare",
    "conference summary",
    "conference issue-journal",
    "conference followup record",
    "conference followup update",
    "csbm seal",
    "csbm notify",
    "csbm ack",
    "csbm close",
    "csbm missed",
    "csbm webhook",
    "witness register",
    "witness remove",
}
SHOW = {
    "forum show",
    "charter show",
    "charter list",
    "charter decisions",
    "conference list",
    "conference show",
    "conference journal",
    "csbm types",
    "csbm schema",
    "csbm inbox",
    "csbm threshold",
    "csbm compliance",
    "csbm dead-letters",
    "restricted show",
    "log checkpoint",
    "sign",
    "verify",
    "verify-proof",
    "checkpoint check",
    "evidence check",
    "replay",
    "audit",
}
EXPORT = {"log export", "keygen"}
ADMIN = {
    "log init",
    "log rewrap",
    "party add",
    "submit",
    "person add",
    "person reset-second-factor",
    "person deactivate",
    "init",
    "tick",
    "serve",
    "web",
    "worker",
    "demo",
    "witness init",
    "witness serve",
    "witness attest",
    "node init",
    "node sync",
    "node run",
    "node reset",
    "csbm retry",
}
# Long-running or whole-database commands that no unit test can make fail on its own:
# each still prints its refusals with the one ``fail``.
NOT_RUN_TO_FAIL = {"serve", "worker", "demo", "tick", "log rewrap"}


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            found |= _commands(command, f"{prefix}{name} ")
        else:
            found[prefix + name] = command
    return found


COMMANDS = _commands(typer.main.get_command(app))


def _options(name: str) -> set[str]:
    return {option for param in COMMANDS[name].params for option in param.opts}


def test_every_command_is_in_exactly_one_class() -> None:
    classes = [ACTING, SHOW, EXPORT, ADMIN]
    assert set(COMMANDS) == set().union(*classes)
    assert sum(len(one) for one in classes) == len(COMMANDS)


def test_every_show_and_export_command_takes_out() -> None:
    assert [name for name in sorted(SHOW | EXPORT) if "--out" not in _options(name)] == []


def test_every_acting_command_acts_every_way() -> None:
    ways = {"--as", "--person", "--url", "--key", "--log-key", "--dry-run"}
    assert [name for name in sorted(ACTING) if not ways <= _options(name)] == []


# -- a world to show ------------------------------------------------------------------------------


@pytest.fixture
def world(db: None, settings: SettingsWrapper) -> Iterator[ForumWorld]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield from build()


def run(*arguments: str, **environment: str) -> Result:
    return runner.invoke(app, list(arguments), env=environment or None)


def ok(*arguments: str) -> Result:
    result = run(*arguments)
    assert result.exit_code == 0, result.output
    return result


EVIDENCE_KEY = note.Signer(note.format_skey("forum.example/log", bytes(range(32))))


def _two_roots() -> str:
    """Evidence of two roots signed for one size, as ``accord verify`` writes it."""
    earlier = Checkpoint("forum.example/log", 4, merkle.leaf_hash(b"a")).sign(EVIDENCE_KEY)
    later = Checkpoint("forum.example/log", 4, merkle.leaf_hash(b"b")).sign(EVIDENCE_KEY)
    return evidence.format(
        evidence.Evidence(
            EVIDENCE_KEY.vkey,
            evidence.Observation(earlier, "https://forum.example/log", None),
            evidence.Observation(later, "https://forum.example/log", None),
        )
    )


def _an_edition(world: ForumWorld) -> tuple[int, int]:
    """An edition chaired by AA with one meeting on the world's first day."""
    day = world.ticking.moment.strftime("%Y-%m-%d")
    edition = world.act(
        lambda: dialogue_actions.create(
            AA_HEAD,
            series="s",
            series_title="Conference for Dialogue",
            title="First Conference",
            city="Minsk",
            time_zone="UTC",
            starts_on=day,
            ends_on=day,
            chair="AA",
            languages=["en"],
        )
    ).index
    meeting = world.act(
        lambda: dialogue_actions.add_meeting(
            AA_HEAD,
            edition,
            title="Opening plenary",
            starts_at=f"{day}T22:00:00Z",
            ends_at=f"{day}T23:00:00Z",
            room="Room A",
            languages=["en"],
        )
    ).index
    return edition, meeting


@pytest.fixture
def shown(world: ForumWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """One invocation of every show and export command that writes to stdout, on one forum
    with a restricted entry, an exported folder, a downloaded receipt and a statement to sign."""
    restricted = world.act(
        lambda: ledger_actions.publish_communique(
            "AA", "Notification", "Exercise at dawn.", distribution="restricted", by="aa.head"
        )
    )
    sign_checkpoint()
    ok("log", "export", str(tmp_path / "static"))
    client = Client()
    (tmp_path / "entry-3.tlog-proof").write_bytes(client.get("/log/receipt/3").content)
    (tmp_path / "entry-3.json").write_bytes(client.get("/log/entry/3").content)
    ok("keygen", "cc", "--out", str(tmp_path / "keys"))
    draft = {"kind": "forum.party.joined", "v": 1, "actor": "CC", "body": {}}
    (tmp_path / "draft.json").write_text(json.dumps(draft), encoding="utf-8")
    moment = datetime(2025, 2, 1, 12, tzinfo=UTC)
    monkeypatch.setattr(
        "accord.cli.ledger.datetime", type("Frozen", (datetime,), {"now": lambda *_: moment})
    )
    log_key = LogState.objects.get().log_vkey
    evidence_file = tmp_path / "evidence.json"
    evidence_file.write_text(_two_roots(), encoding="utf-8")
    world.act(
        lambda: charter_actions.introduce(
            AA_HEAD, "Draft", "en", [{"eid": "art_1", "element": "article", "text": "One."}]
        )
    )
    edition, meeting = _an_edition(world)
    return [
        ["charter", "show", "FD.L/1/25", "--format", "docx", "--brackets"],
        ["conference", "list"],
        ["conference", "show", str(edition), "--json"],
        ["conference", "journal", str(meeting)],
        ["charter", "list"],
        ["charter", "decisions", "--json"],
        ["csbm", "types"],
        ["csbm", "schema", "general-communication"],
        ["csbm", "inbox", "--as", "BB"],
        ["csbm", "threshold", "--troops", "12000", "--start", "2026-06-01", "--json"],
        ["csbm", "compliance", "--year", "2025", "--format", "csv"],
        ["csbm", "dead-letters"],
        ["forum", "show"],
        ["forum", "show", "--json"],
        ["restricted", "show", str(restricted.index), "--as", "BB"],
        ["log", "checkpoint"],
        ["log", "export", "-"],
        ["sign", str(tmp_path / "draft.json"), "--key", str(tmp_path / "keys" / "cc.key")],
        ["verify", str(tmp_path / "static"), "--log-key", log_key],
        [
            "verify-proof",
            str(tmp_path / "entry-3.tlog-proof"),
            "--entry",
            str(tmp_path / "entry-3.json"),
            "--log-key",
            log_key,
        ],
        [
            "checkpoint",
            "check",
            str(WITNESSED / "arche2025h1.checkpoint"),
            "--policy",
            str(WITNESSED / "witness-network.policy"),
        ],
        ["evidence", "check", str(evidence_file), "--log-key", EVIDENCE_KEY.vkey],
        ["replay"],
        ["audit"],
    ]


def test_out_writes_exactly_what_stdout_would_for_every_show_and_export_command(
    shown: list[list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked = {" ".join(one[: 2 if one[0] in GROUPS else 1]) for one in shown}
    assert walked == SHOW | EXPORT - {"keygen"}
    for number, arguments in enumerate(shown):
        # verify remembers what it saw: each run starts from the same memory
        monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / f"seen-{number}"))
        printed = ok(*arguments)
        monkeypatch.setenv("ACCORD_VERIFY_STATE", str(tmp_path / f"seen-{number}-out"))
        target = tmp_path / f"out-{number}"
        written = ok(*arguments, "--out", str(target))
        assert printed.stdout_bytes, arguments
        assert written.stdout_bytes == b"", arguments
        assert target.read_bytes() == printed.stdout_bytes, arguments


def test_a_tar_on_stdout_holds_the_exported_folder_byte_for_byte(
    world: ForumWorld, tmp_path: Path
) -> None:
    streamed = ok("log", "export", "-")
    assert "Wrote" not in streamed.stdout_bytes.decode("latin-1")
    ok("log", "export", str(tmp_path / "static"))
    with tarfile.open(fileobj=io.BytesIO(streamed.stdout_bytes)) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive if m.isfile()}  # type: ignore[union-attr]
    folder = {
        path.relative_to(tmp_path / "static").as_posix(): path.read_bytes()
        for path in (tmp_path / "static").rglob("*")
        if path.is_file()
    }
    assert members == folder
    assert {"key", "checkpoint", "tile/entries/000.p/" + str(Entry.objects.count())} <= set(members)
    assert ok("log", "export", "-").stdout_bytes == streamed.stdout_bytes


def test_out_with_a_folder_for_export_is_refused(world: ForumWorld, tmp_path: Path) -> None:
    result = run("log", "export", str(tmp_path / "static"), "--out", str(tmp_path / "log.tar"))
    assert result.exit_code == 1
    assert "--out goes with DIR -" in result.stderr
    assert not (tmp_path / "static").exists()
    assert not (tmp_path / "log.tar").exists()


def test_a_failed_command_leaves_the_out_file_as_it_was(world: ForumWorld, tmp_path: Path) -> None:
    target = tmp_path / "shown.txt"
    target.write_text("kept\n", encoding="utf-8")
    result = run("restricted", "show", "1", "--as", "BB", "--out", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == "kept\n"
    assert sorted(path.name for path in tmp_path.iterdir() if "shown" in path.name) == ["shown.txt"]


def test_out_replaces_an_existing_file_and_a_link_without_writing_through_it(
    world: ForumWorld, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's\n", encoding="utf-8")
    target = tmp_path / "forum.txt"
    target.symlink_to(elsewhere)
    ok("forum", "show", "--out", str(target))
    assert not target.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("Forum for Dialogue — chair: AA")
    assert elsewhere.read_text(encoding="utf-8") == "someone else's\n"


def test_a_restricted_body_written_out_is_readable_by_its_owner_only(
    world: ForumWorld, tmp_path: Path
) -> None:
    accepted = world.act(
        lambda: ledger_actions.publish_communique(
            "AA", "Notification", "Exercise at dawn.", distribution="restricted", by="aa.head"
        )
    )
    target = tmp_path / "body.json"
    ok("restricted", "show", str(accepted.index), "--as", "BB", "--out", str(target))
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["text"] == "Exercise at dawn."


def test_out_into_a_missing_folder_or_onto_a_folder_is_refused_with_a_sentence(
    world: ForumWorld, tmp_path: Path
) -> None:
    missing = run("forum", "show", "--out", str(tmp_path / "nowhere" / "forum.txt"))
    assert missing.exit_code == 1
    assert "does not exist" in " ".join(missing.stderr.split())
    onto = run("forum", "show", "--out", str(tmp_path))
    assert onto.exit_code == 1
    assert "is a folder" in " ".join(onto.stderr.split())


def test_keygen_never_prints_the_signer_key_and_ends_with_the_verifier_key(tmp_path: Path) -> None:
    result = ok("keygen", "cc", "--out", str(tmp_path))
    assert "PRIVATE+KEY" not in result.output
    assert result.stdout.split()[-1] == (tmp_path / "cc.pub").read_text(encoding="utf-8").strip()


# -- failures: a sentence on stderr, nothing on stdout, exit 1 --------------------------------


def failing(tmp_path: Path) -> dict[str, list[str]]:
    nowhere = str(tmp_path / "nowhere")
    return {
        "forum invite": ["forum", "invite", "DD", "--name", "State D", "--as", "CC"],
        "forum answer": ["forum", "answer", "accepted", "--as", "BB"],
        "forum join": ["forum", "join", "--as", "AA"],
        "forum leave": ["forum", "leave", "--as", "AA"],
        "forum chair": ["forum", "chair", "ZZ", "--as", "AA"],
        "forum accredit": ["forum", "accredit", "x.y", "--role", "staff", "--as", "AA"],
        "forum withdraw": ["forum", "withdraw", "nobody", "--as", "AA"],
        "forum profile propose": ["forum", "profile", "propose", nowhere, "--as", "AA"],
        "forum profile agree": ["forum", "profile", "agree", "999", "--as", "BB"],
        "forum profile adopt": ["forum", "profile", "adopt", "999", "--as", "AA"],
        "forum describe": ["forum", "describe", "--name", "en=X", "--purpose", "en=Y", "--as", "B"],
        "forum show": ["forum", "show", "--url", "http://127.0.0.1:9"],
        "restricted show": ["restricted", "show", "1"],
        "log checkpoint": ["log", "checkpoint", "--out", f"{nowhere}/checkpoint"],
        "log export": ["log", "export", nowhere, "--out", f"{nowhere}.tar"],
        "sign": ["sign", nowhere, "--key", nowhere],
        "verify": ["verify", nowhere],
        "verify-proof": ["verify-proof", nowhere, "--entry", nowhere],
        "checkpoint check": ["checkpoint", "check", nowhere, "--policy", nowhere],
        "evidence check": ["evidence", "check", nowhere, "--log-key", "k+00000000+AA=="],
        "replay": ["replay", "--compare", "--size", "1"],
        "audit": ["audit", "--receipts", nowhere],
        "keygen": ["keygen", "two words", "--out", nowhere],
        "log init": ["log", "init", "--origin", "forum.example/other"],
        "party add": ["party", "add", "DD", "--name", "State D"],
        "submit": ["submit", nowhere],
        "person add": [
            "person",
            "add",
            "x",
            "--party",
            "AA",
            "--role",
            "chief",
            "--email",
            "x@e.org",
        ],
        "person reset-second-factor": [
            "person",
            "reset-second-factor",
            "nobody",
            "--by",
            "sec.clerk",
        ],
        "person deactivate": ["person", "deactivate", "nobody", "--by", "sec.clerk"],
        "init": ["init", nowhere],
        "charter import": ["charter", "import", nowhere, "--as", "AA"],
        "charter translate": [
            *("charter", "translate", "999", "--provision", "art_1", "--lang", "ru"),
            *("--text", "Один.", "--as", "AA"),
        ],
        "charter amend": ["charter", "amend", "999", "--provision", "x", "--delete", "--as", "BB"],
        "charter cosponsor": ["charter", "cosponsor", "999", "--as", "BB"],
        "charter withdraw": ["charter", "withdraw", "999", "--as", "BB"],
        "charter position": ["charter", "position", "999", "--stance", "object", "--as", "BB"],
        "charter revise": ["charter", "revise", "999", "--as", "AA"],
        "charter silence": [
            *("charter", "silence", "999", "--revision", "0"),
            *("--until", "2025-03-01T00:00:00Z", "--as", "AA"),
        ],
        "charter break-silence": [
            "charter",
            "break-silence",
            "999",
            "--reason",
            "No.",
            "--as",
            "BB",
        ],
        "charter conclude": ["charter", "conclude", "999", "--as", "secretariat"],
        "charter interpret": ["charter", "interpret", "999", "--text", "We read.", "--as", "BB"],
        "charter show": ["charter", "show", "FD.L/9/25"],
        "charter list": ["charter", "list", "--url", "http://127.0.0.1:9"],
        "charter decisions": ["charter", "decisions", "--url", "http://127.0.0.1:9"],
        "conference create": [
            *("conference", "create", "--series", "s", "--series-title", "S", "--title", "T"),
            *("--city", "C", "--time-zone", "UTC", "--starts-on", "2025-02-02"),
            *("--ends-on", "2025-02-01", "--chair", "AA", "--language", "en", "--as", "AA"),
        ],
        "conference meeting add": [
            *("conference", "meeting", "add", "999", "--title", "T", "--room", "R"),
            *("--starts-at", "2025-02-01T09:00:00Z", "--ends-at", "2025-02-01T10:00:00Z"),
            *("--language", "en", "--as", "AA"),
        ],
        "conference agenda propose": [
            "conference",
            "agenda",
            "propose",
            "999",
            nowhere,
            "--as",
            "AA",
        ],
        "conference agenda adopt": [
            *("conference", "agenda", "adopt", "999", "--meeting", "999", "--as", "AA"),
        ],
        "conference delegation name": [
            *(
                "conference",
                "delegation",
                "name",
                "999",
                "--head",
                "aa.head:minister",
                "--as",
                "AA",
            ),
        ],
        "conference credentials submit": [
            *("conference", "credentials", "submit", "999", "--issuer", "head_of_state"),
            *("--instrument", "formal", "--dated", "2025-01-01", "--as", "AA"),
        ],
        "conference credentials accept": [
            *("conference", "credentials", "accept", "999", "--party", "AA"),
            *("--report", nowhere, "--as", "AA"),
        ],
        "conference speakers open": ["conference", "speakers", "open", "999", "1", "--as", "AA"],
        "conference speakers close": ["conference", "speakers", "close", "999", "1", "--as", "AA"],
        "conference speakers inscribe": [
            *(
                "conference",
                "speakers",
                "inscribe",
                "999",
                "1",
                "--speaker",
                "aa.head",
                "--as",
                "AA",
            ),
        ],
        "conference speakers next": ["conference", "speakers", "next", "999", "1", "--as", "AA"],
        "conference reply": [
            *(
                "conference",
                "reply",
                "999",
                "1",
                "--to",
                "BB",
                "--speaker",
                "aa.head",
                "--as",
                "AA",
            ),
        ],
        "conference statement circulate": [
            *("conference", "statement", "circulate", nowhere, "--title", "T"),
            *("--language", "en", "--as", "AA"),
        ],
        "conference statement deliver": [
            *("conference", "statement", "deliver", "--circulated", "999", "--meeting", "999"),
            *("--item", "1", "--language", "en", "--as", "AA"),
        ],
        "conference statement derestrict": [
            *("conference", "statement", "derestrict", "999", "--decision", "999", "--as", "AA"),
        ],
        "conference decide": [
            *("conference", "decide", "1", "--meeting", "999", "--document", "999"),
            *("--revision", "0", "--as", "AA"),
        ],
        "conference object": ["conference", "object", "999", "--as", "BB"],
        "conference declare": ["conference", "declare", "999", "--as", "AA"],
        "conference summary": [
            *("conference", "summary", "999", "--file", nowhere, "--title", "T"),
            *("--language", "en", "--as", "AA"),
        ],
        "conference issue-journal": ["conference", "issue-journal", "999", "--as", "secretariat"],
        "conference followup record": [
            *("conference", "followup", "record", "999", "--category", "commitment"),
            *("--text", "T", "--owner", "AA", "--as", "AA"),
        ],
        "conference followup update": [
            *("conference", "followup", "update", "999", "--status", "done", "--as", "AA"),
        ],
        "conference list": ["conference", "list", "--url", "http://127.0.0.1:9"],
        "conference show": ["conference", "show", "999"],
        "conference journal": ["conference", "journal", "999"],
        "csbm seal": ["csbm", "seal", "general-communication", "--file", nowhere, "--as", "AA"],
        "csbm notify": ["csbm", "notify", "general-communication", "--file", nowhere, "--as", "AA"],
        "csbm ack": ["csbm", "ack", "999", "--as", "BB"],
        "csbm close": ["csbm", "close", "999", "--outcome", "withdrawn", "--as", "AA"],
        "csbm missed": [
            *("csbm", "missed", "999", "--party", "BB", "--what", "reply", "--as", "secretariat"),
        ],
        "csbm webhook": ["csbm", "webhook", "http://ncc.example.org/", "--as", "AA"],
        "csbm types": ["csbm", "types", "--out", f"{nowhere}/types.txt"],
        "csbm schema": ["csbm", "schema", "nonsense"],
        "csbm inbox": ["csbm", "inbox", "--as", "ZZ"],
        "csbm threshold": ["csbm", "threshold", "--troops", "1", "--url", "http://127.0.0.1:9"],
        "csbm compliance": ["csbm", "compliance", "--year", "2025", "--format", "pdf"],
        "csbm dead-letters": ["csbm", "dead-letters", "--out", f"{nowhere}/dead.txt"],
        "csbm retry": ["csbm", "retry", "999"],
        "web": ["web"],
        "witness init": ["witness", "init", "two words", "--out", nowhere],
        "witness serve": ["witness", "serve", nowhere],
        "witness attest": [
            *("witness", "attest", nowhere, "--origin", "o", "--party", "AA", "--url", "http://w"),
        ],
        "witness register": [
            *("witness", "register", nowhere, "--witness-url", "http://w", "--as", "AA"),
        ],
        "witness remove": ["witness", "remove", "nobody.example/witness", "--as", "AA"],
        "node init": ["node", "init", "http://127.0.0.1:9", "--party", "HU", "--state", nowhere],
        "node sync": ["node", "sync", "--state", nowhere],
        "node run": ["node", "run", "--state", nowhere],
        "node reset": ["node", "reset", "--state", nowhere],
    }


def test_every_failure_is_a_sentence_on_stderr_with_nothing_on_stdout_and_exit_one(
    world: ForumWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ACCORD_SECRET_KEY", "ACCORD_SECRET_KEY_FILE", "ACCORD_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    cases = failing(tmp_path)
    assert set(cases) == set(COMMANDS) - NOT_RUN_TO_FAIL
    size = LogState.objects.get().size
    for name, arguments in cases.items():
        result = run(*arguments)
        assert result.exit_code == 1, (name, result.output)
        assert result.stdout == "", (name, result.stdout)
        assert len(result.stderr.split()) > 3, (name, result.stderr)
        assert "Traceback" not in result.stderr, name
    assert LogState.objects.get().size == size


def test_a_refused_submission_puts_the_signed_refusal_on_stderr_and_nothing_on_stdout(
    world: ForumWorld, tmp_path: Path
) -> None:
    ok("keygen", "dd", "--out", str(tmp_path))
    vkey = (tmp_path / "dd.pub").read_text(encoding="utf-8").strip()
    ok("party", "add", "DD", "--name", "State D", "--vkey", vkey)
    draft = {"kind": "forum.party.joined", "v": 1, "actor": "DD", "body": {}}
    (tmp_path / "draft.json").write_text(json.dumps(draft), encoding="utf-8")
    signed = ok("sign", str(tmp_path / "draft.json"), "--key", str(tmp_path / "dd.key"))
    (tmp_path / "signed.json").write_text(signed.stdout, encoding="utf-8")
    result = run("submit", str(tmp_path / "signed.json"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "accord-refusal/v1" in result.stderr


# -- acting: the made thing is the last word, and the next command takes it --------------------


def test_each_acting_command_ends_with_what_it_made_and_the_next_command_takes_it(
    world: ForumWorld,
) -> None:
    def last_word(*arguments: str) -> str:
        result = ok(*arguments)
        assert result.stderr == ""
        return result.stdout.split()[-1]

    invitation = last_word("forum", "invite", "DD", "--name", "State D", "--as", "AA")
    assert Entry.objects.get(index=int(invitation)).kind == "forum.invitation.sent"
    answered = last_word("forum", "answer", "accepted", "--invitation", invitation, "--as", "DD")
    assert Entry.objects.get(index=int(answered)).kind == "forum.invitation.answered"
    world.act(lambda: actions.add_person("dd.head", party="DD", role="head", email="d@e.org"))
    handle = last_word("forum", "accredit", "dd.head", "--role", "head", "--as", "DD")
    assert handle == "dd.head"
    withdrawn = last_word("forum", "withdraw", handle, "--as", "DD")
    assert Entry.objects.get(index=int(withdrawn)).kind == "forum.person.withdrawn"
    handed = last_word("forum", "chair", "BB", "--as", "AA")
    assert Entry.objects.get(index=int(handed)).kind == "forum.chair.handed_over"
    left = last_word("forum", "leave", "--as", "AA")
    assert Entry.objects.get(index=int(left)).kind == "forum.party.left"
