"""`accord init`, `accord forum …`, `accord person add`: the forum from a terminal."""

import json
import time
import urllib.request
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.testing import CliRunner

from accord.cli.main import app
from accord.forum.models import Accreditation, Forum, ForumParty
from accord.ledger.hashes import forget_cached_tiles
from accord.ledger.models import Entry, LogState
from accord.people.models import Person
from tests.forum.world import FORUM_TOML
from tests.ledger.conftest import TEST_KEK
from tests.processes import process_environment, run_accord, start_server

runner = CliRunner()


@pytest.fixture(autouse=True)
def host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: SettingsWrapper) -> None:
    monkeypatch.setenv("ACCORD_KEK", TEST_KEK)
    settings.VAR_DIR = tmp_path
    settings.ACCORD_BLOB_DIR = tmp_path / "blobs"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    forget_cached_tiles()


def ok(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def refused(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 1, result.output
    return result.output


def forum_file(tmp_path: Path, text: str = FORUM_TOML) -> str:
    path = tmp_path / "FORUM.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_a_secretariat_founds_invites_and_a_party_answers(tmp_path: Path) -> None:
    output = ok("init", forum_file(tmp_path))
    assert "Founded forum.example/forum in 6 entries." in output
    assert LogState.objects.get().log_vkey in output
    assert Forum.objects.get().chair == "AA"

    output = ok(
        "person",
        "add",
        "aa.head",
        "--party",
        "AA",
        "--role",
        "head",
        "--email",
        "head@aa.example",
        "--name",
        "Head of A",
    )
    assert "AA accredits them to act (head)" in output
    assert "/sign-in/link/" in output
    assert Person.objects.get(handle="aa.head").name == "Head of A"
    assert not Accreditation.objects.filter(handle="aa.head").exists()
    ok("forum", "accredit", "aa.head", "--role", "head", "--as", "AA")
    assert Accreditation.objects.get(handle="aa.head").accredited_by == ""
    ok("forum", "accredit", "aa.adviser", "--role", "adviser", "--as", "AA")
    assert Accreditation.objects.get(handle="aa.adviser").accredited_by == "aa.head"
    ok("forum", "withdraw", "aa.adviser", "--as", "AA")

    output = ok("forum", "invite", "CC", "--name", "State C", "--as", "AA")
    assert "(forum.invitation.sent)" in output
    assert "(ledger.party.registered)" in output
    invitation = Entry.objects.get(kind="forum.invitation.sent")
    assert json.loads(bytes(invitation.leaf))["statement"]["by"] == "aa.head"

    ok("forum", "answer", "interested", "--as", "CC")
    assert ForumParty.objects.get(code="CC").status == "interested"
    ok("forum", "answer", "accepted", "--as", "CC", "--invitation", str(invitation.index))
    assert ForumParty.objects.get(code="CC").status == "participating"

    ok("forum", "chair", "CC", "--as", "AA")
    ok("forum", "leave", "--reason", "Rotation", "--as", "AA")
    assert ForumParty.objects.get(code="AA").status == "left"
    shown = json.loads(ok("forum", "show", "--json"))
    assert shown["chair"] == "CC"
    assert "CC           participating  State C" in ok("forum", "show")


@pytest.mark.django_db
def test_refusals_print_the_reason_and_the_code(tmp_path: Path) -> None:
    ok("init", forum_file(tmp_path))
    size = LogState.objects.get().size
    assert "(already_joined)" in refused("forum", "join", "--as", "AA")
    assert "(no_invitation)" in refused("forum", "answer", "accepted", "--as", "BB")
    assert "answer interested, accepted or declined" in refused(
        "forum", "answer", "maybe", "--as", "BB"
    )
    assert "give either --url" in refused("forum", "join")
    assert "the role is head, delegate, adviser or staff" in refused(
        "person", "add", "x", "--party", "AA", "--role", "chief", "--email", "x@example.org"
    )
    assert "(bad_role)" in refused(
        "person", "add", "x", "--party", "AA", "--role", "staff", "--email", "x@example.org"
    )
    assert LogState.objects.get().size == size


@pytest.mark.django_db
def test_init_refuses_a_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    broken = FORUM_TOML.replace('chair = "AA"', 'chair = "ZZ"')
    assert "forum.chair must be the code of a [[party]]" in refused(
        "init", forum_file(tmp_path, broken)
    )
    missing = FORUM_TOML.replace('languages = ["en", "ru"]\n', "")
    assert "forum.languages: Field required" in refused("init", forum_file(tmp_path, missing))
    assert "is not TOML" in refused("init", forum_file(tmp_path, "[forum"))
    assert "cannot read" in refused("init", str(tmp_path / "absent.toml"))
    assert not LogState.objects.exists()
    ok("init", forum_file(tmp_path))
    assert "already holds a log" in refused("init", forum_file(tmp_path))


@pytest.mark.django_db
def test_an_own_key_party_is_registered_first_and_signs_for_itself(tmp_path: Path) -> None:
    ok("keygen", "cc", "--out", str(tmp_path / "keys"))
    vkey = (tmp_path / "keys" / "cc.pub").read_text().strip()
    ok("init", forum_file(tmp_path))
    ok("party", "add", "CC", "--name", "State C", "--vkey", vkey)
    output = ok("forum", "invite", "CC", "--name", "State C", "--as", "AA")
    assert "(ledger.party.registered)" not in output
    ok("person", "add", "cc.head", "--party", "CC", "--role", "head", "--email", "h@cc.example")
    assert "(no_hosted_key)" in refused("forum", "answer", "interested", "--as", "CC")
    assert "(no_hosted_key)" in refused(
        "forum", "accredit", "cc.head", "--role", "head", "--as", "CC"
    )


def test_a_delegation_acts_on_a_server_with_its_token(tmp_path: Path) -> None:
    environment = process_environment(f"sqlite:///{tmp_path / 'served.sqlite3'}", tmp_path)
    run_accord(environment, "init", forum_file(tmp_path))
    link = run_accord(
        environment,
        "person",
        "add",
        "bb.head",
        "--party",
        "BB",
        "--role",
        "head",
        "--email",
        "h@bb.example",
    )
    assert "/sign-in/link/" in link
    run_accord(environment, "forum", "accredit", "bb.head", "--role", "head", "--as", "BB")
    token = _token_for(environment, "bb.head")
    server, url = start_server(environment)
    try:
        _wait_for(url)
        shown = json.loads(run_accord(environment, "forum", "show", "--json", "--url", url))
        assert shown["name"] == "Forum for Dialogue"
        output = run_accord(
            {**environment, "ACCORD_TOKEN": token},
            "forum",
            "invite",
            "DD",
            "--name",
            "State D",
            "--url",
            url,
        )
        assert "(forum.invitation.sent)" in output
        output = run_accord(
            {**environment, "ACCORD_TOKEN": token},
            "forum",
            "accredit",
            "bb.x",
            "--role",
            "delegate",
            "--url",
            url,
        )
        assert "(forum.person.accredited)" in output
        denied = runner.invoke(
            app, ["forum", "chair", "BB", "--url", url], env={"ACCORD_TOKEN": token}
        )
        assert denied.exit_code == 1
        assert "(not_permitted)" in denied.output
        wrong = runner.invoke(app, ["forum", "join", "--url", url], env={"ACCORD_TOKEN": "x"})
        assert "refused the token" in wrong.output
        unset = runner.invoke(app, ["forum", "join", "--url", url], env={"ACCORD_TOKEN": ""})
        assert "set ACCORD_TOKEN" in unset.output
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _token_for(environment: dict[str, str], handle: str) -> str:
    script = (
        "import django; django.setup();"
        "from accord.people.models import Person;"
        "from accord.people.actions import issue_api_token;"
        f"print(issue_api_token(Person.objects.get(handle={handle!r}), 'cli', second_factor=True))"
    )
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "DJANGO_SETTINGS_MODULE": "accord.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/forum", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.django_db
def test_tick_sends_the_queued_sign_in_links(tmp_path: Path) -> None:
    from django.core import mail  # noqa: PLC0415

    from accord.forum import actions  # noqa: PLC0415

    ok("init", forum_file(tmp_path))
    actions.add_person(
        "aa.head", party="AA", role="head", email="h@aa.example", mail_link_from="https://f.example"
    )
    assert "Sent 1 queued message." in ok("tick")
    assert mail.outbox[0].to == ["h@aa.example"]
    assert "https://f.example/sign-in/link/" in str(mail.outbox[0].body)
    assert "Sent" not in ok("tick")


@pytest.mark.django_db
def test_a_handle_added_for_one_party_is_refused_to_another_from_the_cli(tmp_path: Path) -> None:
    ok("init", forum_file(tmp_path))
    ok("person", "add", "bb.head", "--party", "BB", "--role", "head", "--email", "h@bb.example")
    assert "(handle_taken)" in refused(
        "forum", "accredit", "bb.head", "--role", "head", "--as", "AA"
    )
    ok("forum", "accredit", "bb.head", "--role", "head", "--as", "BB")
    assert Accreditation.objects.get(handle="bb.head").party == "BB"


@pytest.mark.django_db
def test_staff_reset_a_second_factor_and_deactivate_from_the_cli(tmp_path: Path) -> None:
    from accord.people import authenticators  # noqa: PLC0415
    from accord.people.models import AccountChange  # noqa: PLC0415

    ok("init", forum_file(tmp_path))
    for handle, party, role in (("sec.clerk", "secretariat", "staff"), ("aa.head", "AA", "head")):
        ok(
            "person",
            "add",
            handle,
            "--party",
            party,
            "--role",
            role,
            "--email",
            f"{handle}@x.example",
        )
        ok("forum", "accredit", handle, "--role", role, "--as", party)
    authenticators.enrol(Person.objects.get(handle="aa.head").user, confirmed=True)
    assert "(not_secretariat)" in refused(
        "person", "reset-second-factor", "sec.clerk", "--by", "aa.head"
    )
    output = ok("person", "reset-second-factor", "aa.head", "--by", "sec.clerk")
    assert "aa.head's second factor was reset by sec.clerk" in output
    assert not authenticators.Authenticator.objects.exists()
    assert "(own_account)" in refused("person", "deactivate", "sec.clerk", "--by", "sec.clerk")
    ok("person", "deactivate", "aa.head", "--by", "sec.clerk")
    assert not Person.objects.get(handle="aa.head").user.is_active
    assert list(AccountChange.objects.order_by("pk").values_list("change", flat=True)) == [
        "second_factor_reset",
        "deactivated",
    ]
