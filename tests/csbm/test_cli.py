"""``accord csbm …`` on the host: a delegate sends, the recipient finds it in the inbox and
acknowledges it by the id ``notify`` printed; the threshold check explains itself and
refuses impossible figures with exit 2; the formats and their schemas are listed. Then an
own-key party against a live server signs the sealed content and the notification naming it.
"""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from accord.cli.main import app
from accord.csbm.formats import FORMATS
from accord.csbm.models import Delivery, Notification, Sealed
from accord.ledger.models import Entry, LogState
from tests.cli.test_charter_own_key import _made, served
from tests.cli.test_own_key import Served, _get, accord
from tests.csbm.world import CsbmWorld
from tests.processes import process_environment

__all__ = ["served"]

runner = CliRunner()
SECRET = "Our verification centre moves to the new building on Monday"


def run(*arguments: str) -> Result:
    return runner.invoke(app, list(arguments))


def ok(*arguments: str) -> Result:
    result = run(*arguments)
    assert result.exit_code == 0, result.output
    return result


def body_file(tmp_path: Path, csbm: CsbmWorld) -> Path:
    path = tmp_path / "body.json"
    body = csbm.general(text=SECRET, dated=datetime.now(UTC).date().isoformat())
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_notification_is_sent_found_in_the_inbox_and_acknowledged_by_its_id(
    csbm: CsbmWorld, tmp_path: Path
) -> None:
    sent = ok(
        "csbm",
        "notify",
        "general-communication",
        "--file",
        str(body_file(tmp_path, csbm)),
        "--as",
        "AA",
    )
    entry = int(sent.stdout.split()[-1])
    found = Notification.objects.get(entry_index=entry)
    assert (found.sender, found.recipients, found.distribution) == (
        "AA",
        ["BB", "DD"],
        "restricted",
    )
    assert SECRET.encode() not in bytes(Entry.objects.get(index=found.content).leaf)
    inbox = json.loads(ok("csbm", "inbox", "--as", "BB", "--json").stdout)
    assert [(row["entry_index"], row["state"]) for row in inbox] == [(entry, "due")]
    assert SECRET not in json.dumps(inbox)
    acked = ok("csbm", "ack", str(entry), "--as", "BB")
    assert Delivery.objects.get(notification=entry, recipient="BB").ack_entry == int(
        acked.stdout.split()[-1]
    )
    shown = ok("csbm", "inbox", "--as", "BB").stdout
    assert f"{entry}  acknowledged" in shown
    outbox = json.loads(ok("csbm", "inbox", "--as", "AA", "--outbox", "--json").stdout)
    assert [(row["acknowledged"], row["state"]) for row in outbox] == [(1, "due")]
    assert (
        ok("csbm", "inbox", "--as", "DD", "--overdue").stdout == "Nothing overdue in the inbox.\n"
    )


@pytest.mark.django_db
def test_a_refused_notification_prints_its_sentence_and_writes_nothing(
    csbm: CsbmWorld, tmp_path: Path
) -> None:
    size = LogState.objects.get().size
    result = run(
        "csbm",
        "notify",
        "general-communication",
        "--file",
        str(body_file(tmp_path, csbm)),
        "--as",
        "CC",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "not_permitted" in result.stderr or "not_participating" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(csbm.general(category="threat")), encoding="utf-8")
    refused = run("csbm", "notify", "general-communication", "--file", str(bad), "--as", "AA")
    assert refused.exit_code == 1
    assert "category" in refused.stderr
    assert "bad_payload" in refused.stderr
    assert LogState.objects.get().size == size
    assert not Sealed.objects.exists()


@pytest.mark.django_db
def test_a_content_is_sealed_without_being_sent(csbm: CsbmWorld, tmp_path: Path) -> None:
    sealed = ok(
        "csbm",
        "seal",
        "general-communication",
        "--file",
        str(body_file(tmp_path, csbm)),
        "--as",
        "AA",
        "--public",
    )
    content = Sealed.objects.get(entry_index=int(sealed.stdout.split()[-1]))
    assert content.payload is not None
    assert (content.distribution, content.payload["text"]) == ("public", SECRET)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_threshold_check_explains_itself_with_the_profile_version(csbm: CsbmWorld) -> None:
    start = (datetime.now(UTC).date() + timedelta(days=100)).isoformat()
    found = json.loads(
        ok(
            "csbm", "threshold", "--troops", "9500", "--tanks", "10", "--start", start, "--json"
        ).stdout
    )
    assert (found["notifiable"], found["observable"], found["constrained"]) == (True, False, False)
    assert found["notify_by"] == (date.fromisoformat(start) - timedelta(days=42)).isoformat()
    text = ok("csbm", "threshold", "--troops", "9500").stdout
    assert text.startswith("Notifiable: yes; observable: no; constrained: no; notify by: —")
    assert f"Profile version {found['profile_version']}" in text
    assert "9,000" in text
    quiet = json.loads(ok("csbm", "threshold", "--troops", "10", "--json").stdout)
    assert (quiet["notifiable"], quiet["notify_by"]) == (False, None)
    alert = json.loads(
        ok("csbm", "threshold", "--troops", "9500", "--start", start, "--alert", "--json").stdout
    )
    assert alert["notify_by"] == start


@pytest.mark.django_db
def test_impossible_figures_exit_two_with_the_figure_named(csbm: CsbmWorld) -> None:
    for arguments, named in (
        (("--troops", "-1"), "troops"),
        (("--troops", "10", "--tanks", "999999999"), "tanks"),
        (("--troops", "10", "--start", "tomorrow"), "--start"),
    ):
        result = run("csbm", "threshold", *arguments)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert named in result.stderr


def test_the_threshold_check_works_with_no_forum(tmp_path: Path) -> None:
    """A machine with no database at all judges under the shipped default, version 0."""
    environment = process_environment(f"sqlite:///{tmp_path / 'none.sqlite3'}", tmp_path)
    result = accord(environment, "csbm", "threshold", "--troops", "9000", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["profile_version"], found["notifiable"]) == (0, True)


@pytest.mark.django_db
def test_the_types_are_listed_identifier_first_and_their_schemas_printed(csbm: CsbmWorld) -> None:
    lines = ok("csbm", "types").stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(FORMATS)
    general = next(line.split()[0] for line in lines if "general" in line.split()[0])
    schema = json.loads(ok("csbm", "schema", general).stdout)
    assert schema == json.loads(json.dumps(FORMATS[general].schema()))
    missing = run("csbm", "schema", "nonsense")
    assert missing.exit_code == 1
    assert "accord csbm types" in missing.stderr


@pytest.mark.django_db
def test_the_compliance_picture_is_written_in_each_format(csbm: CsbmWorld, tmp_path: Path) -> None:
    ok(
        "csbm",
        "notify",
        "general-communication",
        "--file",
        str(body_file(tmp_path, csbm)),
        "--as",
        "AA",
    )
    year = str(datetime.now(UTC).date().year)
    shown = json.loads(ok("csbm", "compliance", "--year", year, "--format", "json").stdout)
    assert next(row for row in shown["parties"] if row["party"] == "AA")["sent"] == 1
    csv = ok("csbm", "compliance", "--year", year, "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("party,")
    assert ok("csbm", "compliance", "--year", year).stdout.strip()


@pytest.mark.django_db
def test_no_dead_letter_is_said_so_and_a_missing_one_is_not_retried(csbm: CsbmWorld) -> None:
    assert "No delivery" in ok("csbm", "dead-letters").stdout
    missing = run("csbm", "retry", "999")
    assert missing.exit_code == 1
    assert "999" in missing.stderr


# -- an own key signs both statements -------------------------------------------------------------


def test_an_own_key_party_seals_then_sends_and_the_log_holds_only_a_commitment(
    served: Served, tmp_path: Path
) -> None:
    body = tmp_path / "body.json"
    body.write_text(
        json.dumps(
            {
                "subject": "Point of contact",
                "text": SECRET,
                "category": "information",
                "dated": datetime.now(UTC).date().isoformat(),
            }
        ),
        encoding="utf-8",
    )
    sent = served.act("csbm", "notify", "general-communication", "--file", str(body))
    entry = _made(sent, "csbm.notification.sent")
    receipts = sent.stdout.strip().splitlines()
    assert "(csbm.content.sealed)" in receipts[0]
    content = int(receipts[0].split()[3])
    served.proven(entry)
    _status, raw = _get(f"{served.url}/log/entry/{content}")
    sealed = json.loads(raw)["entry"]["statement"]
    assert (sealed["actor"], sealed["distribution"], set(sealed["body"])) == (
        "CC",
        "restricted",
        {"commitment"},
    )
    assert SECRET.encode() not in raw
    _status, raw = _get(f"{served.url}/log/entry/{entry}")
    notification = json.loads(raw)["entry"]["statement"]
    assert notification["body"]["content"] == content
    assert notification["body"]["to"] == ["AA", "BB"]
    _status, raw = _get(f"{served.url}/api/v1/csbm/notifications/{entry}")
    public = json.loads(raw)
    assert (public["sender"], public["payload"]) == ("CC", None)
    assert SECRET.encode() not in raw
