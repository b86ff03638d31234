"""Restricted statements have readers, and only them: every surface, every kind of stranger.

The forum world (tests/forum/world.py) gives each boundary a person:
- ``bb.head``: head of BB, a participating party that did not write the statement (entitled);
- ``aa.delegate``: a delegate of AA, the participating party that wrote it (entitled);
- ``sec.clerk``: secretariat staff (entitled: the host holds every body anyway);
- ``cc.head``: head of CC, a party only invited so far (not entitled);
- ``aa.newcomer``: an account the secretariat added for AA that AA never accredited;
- nobody signed in, and a token the server never issued.
"""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from accord.cli.main import app
from accord.forum import actions
from accord.forum.models import ForumParty
from accord.ledger import actions as ledger_actions
from accord.ledger import outbox
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import OutboxMessage, RestrictedBody
from accord.ledger.submit import commitment_of
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.forum.world import FORUM_TOML, ForumWorld, signed_in
from tests.processes import process_environment, run_accord, start_server

pytestmark = pytest.mark.django_db

SECRET = "Exercise ZAPAD with 13,000 troops from 8 September."
runner = CliRunner()


@pytest.fixture
def restricted(forum: ForumWorld) -> int:
    """Entry index of AA's restricted notification, under a signed checkpoint."""
    accepted = forum.act(
        lambda: ledger_actions.publish_communique(
            "AA", "Notification", SECRET, distribution="restricted", by="aa.head"
        )
    )
    actions.add_person("aa.newcomer", party="AA", role="delegate", email="new@aa.example")
    sign_checkpoint()
    return accepted.index


def page(client: Client, index: int) -> str:
    response = client.get(f"/explorer/{index}")
    assert response.status_code == 200
    return response.content.decode()


def token(handle: str, *, second_factor: bool = True) -> str:
    person = Person.objects.get(handle=handle)
    return people_actions.issue_api_token(person, "tests", second_factor=second_factor)


def fetch(client: Client, index: int, bearer: str | None) -> Any:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    return client.get(f"/api/v1/statements/{index}/restricted", headers=headers)


def tamper() -> None:
    """Alter the stored copy behind the commitment, as an intruder in the database would."""
    row = RestrictedBody.objects.get()
    row.body = bytes(row.body).replace(SECRET.encode(), b"Exercise ZAPAD with 300 troops.")
    row.save()


# -- the entry page -------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", ["bb.head", "aa.delegate", "sec.clerk"])
def test_an_entitled_person_reads_the_body_on_the_entry_page_checked_against_its_commitment(
    restricted: int, handle: str
) -> None:
    shown = page(signed_in(handle), restricted)
    assert SECRET in shown
    assert "Checked against its commitment" in shown


STRANGERS = [
    ("cc.head", "CC is not among the parties entitled"),
    ("aa.newcomer", "aa.newcomer is not accredited to any delegation"),
]


@pytest.mark.parametrize(("handle", "why"), STRANGERS)
def test_a_person_of_no_entitled_delegation_sees_only_the_commitment(
    restricted: int, handle: str, why: str
) -> None:
    shown = page(signed_in(handle), restricted)
    assert SECRET not in shown
    commitment = RestrictedBody.objects.get().commitment
    assert commitment in shown
    assert why in shown


def test_a_delegate_of_a_participating_party_that_did_not_write_it_reads_it(
    forum: ForumWorld,
) -> None:
    accepted = forum.act(
        lambda: ledger_actions.publish_communique(
            "BB", "Notice", "Inspection of BB's 5th brigade.", distribution="restricted"
        )
    )
    assert "Inspection of BB" in page(signed_in("aa.delegate"), accepted.index)
    assert "Inspection of BB" not in page(signed_in("cc.head"), accepted.index)


def test_a_person_of_an_observer_party_does_not_read_it(
    forum: ForumWorld, restricted: int, client: Client
) -> None:
    forum.act(lambda: actions.invite(actions.as_party("AA"), "DD", "State D", capacity="observer"))
    actions.add_person("dd.head", party="DD", role="head", email="dd.head@example.org")
    forum.act(lambda: actions.accredit(actions.Actor("DD"), "dd.head", "head"))
    forum.act(lambda: actions.answer(actions.Actor("DD", "dd.head"), "accepted"))
    assert ForumParty.objects.get(code="DD").status == "observer"
    assert SECRET not in page(signed_in("dd.head"), restricted)
    answer = fetch(client, restricted, token("dd.head"))
    assert answer.status_code == 403
    assert "DD is not among the parties entitled" in answer.json()["detail"]


def test_an_anonymous_visitor_sees_only_the_commitment(restricted: int, client: Client) -> None:
    shown = page(client, restricted)
    assert SECRET not in shown
    assert "Sign in as a member of the delegation of an entitled party" in shown


def test_a_head_who_has_not_passed_the_second_factor_does_not_read_it(restricted: int) -> None:
    client = Client()
    client.force_login(Person.objects.get(handle="bb.head").user)
    TOTPDevice.objects.create(user=Person.objects.get(handle="bb.head").user, confirmed=True)
    assert SECRET not in page(client, restricted)


def test_a_withdrawn_delegate_no_longer_reads_it(forum: ForumWorld, restricted: int) -> None:
    forum.act(lambda: actions.withdraw(actions.as_party("AA"), "aa.delegate"))
    assert SECRET not in page(signed_in("aa.delegate"), restricted)


def test_a_page_that_shows_a_restricted_body_is_never_cached_by_anyone(restricted: int) -> None:
    response = signed_in("bb.head").get(f"/explorer/{restricted}")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_tampered_stored_body_is_shown_as_not_matching_and_its_text_withheld(
    restricted: int,
) -> None:
    tamper()
    shown = page(signed_in("bb.head"), restricted)
    assert "does not match the commitment" in shown
    assert "300 troops" not in shown


# -- the API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", ["bb.head", "aa.delegate", "sec.clerk"])
def test_an_entitled_token_fetches_salt_and_body_that_match_the_commitment(
    restricted: int, client: Client, handle: str
) -> None:
    answer = fetch(client, restricted, token(handle))
    assert answer.status_code == 200
    copy = answer.json()
    assert copy["body"]["text"] == SECRET
    assert commitment_of(copy["salt"], copy["body"]) == copy["commitment"]
    assert copy["commitment"] == RestrictedBody.objects.get().commitment
    assert "no-store" in answer["Cache-Control"]


@pytest.mark.parametrize(("handle", "why"), STRANGERS)
def test_a_token_of_no_entitled_delegation_is_refused_with_403(
    restricted: int, client: Client, handle: str, why: str
) -> None:
    answer = fetch(client, restricted, token(handle))
    assert answer.status_code == 403
    assert SECRET not in answer.content.decode()
    assert why in answer.json()["detail"]


@pytest.mark.parametrize("bearer", [None, "acc_never-issued", ""])
def test_no_token_or_a_wrong_one_is_refused_with_401(
    restricted: int, client: Client, bearer: str | None
) -> None:
    answer = fetch(client, restricted, bearer)
    assert answer.status_code == 401
    assert SECRET not in answer.content.decode()


def test_a_heads_token_made_without_the_second_factor_is_refused(
    restricted: int, client: Client
) -> None:
    assert fetch(client, restricted, token("bb.head", second_factor=False)).status_code == 401


def test_a_signed_in_session_without_a_token_is_not_enough_for_the_api(restricted: int) -> None:
    assert fetch(signed_in("bb.head"), restricted, None).status_code == 401


def test_a_public_or_missing_entry_has_no_restricted_body(restricted: int, client: Client) -> None:
    bearer = token("bb.head")
    assert fetch(client, 1, bearer).status_code == 404
    assert fetch(client, 999, bearer).status_code == 404


def test_the_public_log_never_carries_the_body(restricted: int, client: Client) -> None:
    for path in (f"/log/entry/{restricted}", "/log/tile/entries/0.p/" + str(restricted + 1)):
        assert SECRET.encode() not in client.get(path).content


# -- the CLI on the host --------------------------------------------------------------------------


def test_the_cli_on_the_host_shows_the_body_to_an_entitled_party(restricted: int) -> None:
    result = runner.invoke(app, ["restricted", "show", str(restricted), "--as", "BB"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == SECRET


def test_the_cli_on_the_host_refuses_a_party_not_entitled(restricted: int) -> None:
    result = runner.invoke(app, ["restricted", "show", str(restricted), "--as", "CC"])
    assert result.exit_code == 1
    assert SECRET not in result.output
    assert "not among the parties entitled" in result.output


def test_the_cli_on_the_host_refuses_a_tampered_copy(restricted: int) -> None:
    tamper()
    result = runner.invoke(app, ["restricted", "show", str(restricted), "--as", "BB"])
    assert result.exit_code == 1
    assert "does not match the commitment" in result.output
    assert "300 troops" not in result.output


# -- the outbox ------------------------------------------------------------------------------------


def test_no_outbox_row_or_sent_mail_carries_a_restricted_body(forum: ForumWorld) -> None:
    forum.act(
        lambda: ledger_actions.publish_communique(
            "AA", "Notification", SECRET, distribution="restricted", by="aa.head"
        )
    )
    forum.act(
        lambda: ledger_actions.publish_communique(
            "BB", "Notice", "Inspection quota of BB: 3 of 3 used.", distribution="restricted"
        )
    )
    actions.add_person(
        "bb.delegate",
        party="BB",
        role="delegate",
        email="d@bb.example",
        mail_link_from="https://forum.example",
    )
    queued = [json.dumps(row.payload) for row in OutboxMessage.objects.all()]
    assert queued, "the sign-in link must be queued, or this test proves nothing"
    outbox.deliver()
    assert len(mail.outbox) == len(queued)
    sent = [f"{message.subject}\n{message.body}" for message in mail.outbox]
    for text in (*queued, *sent, *(json.dumps(r.payload) for r in OutboxMessage.objects.all())):
        assert SECRET not in text
        assert "Inspection quota" not in text


# -- the CLI against a server, as a real process ------------------------------------------------


def _on_host(environment: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + script],
        env={**environment, "DJANGO_SETTINGS_MODULE": "accord.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _wait_for_checkpoint(url: str, size: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/log/checkpoint", timeout=2) as answer:
                if int(answer.read().decode().splitlines()[1]) >= size:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} signed no checkpoint of size {size}")


def test_the_cli_fetches_from_a_server_checks_the_commitment_and_refuses_strangers(
    tmp_path: Path,
) -> None:
    environment = process_environment(f"sqlite:///{tmp_path / 'served.sqlite3'}", tmp_path)
    forum_toml = tmp_path / "FORUM.toml"
    forum_toml.write_text(FORUM_TOML, encoding="utf-8")
    run_accord(environment, "init", str(forum_toml))
    for handle, party in (("aa.head", "AA"), ("bb.head", "BB")):
        run_accord(
            environment, "person", "add", handle, "--party", party, "--role", "head",
            "--email", f"{handle}@example.org",
        )  # fmt: skip
        run_accord(environment, "forum", "accredit", handle, "--role", "head", "--as", party)
    run_accord(environment, "forum", "invite", "CC", "--name", "State C", "--as", "AA")
    run_accord(
        environment, "person", "add", "cc.head", "--party", "CC", "--role", "head",
        "--email", "cc.head@example.org",
    )  # fmt: skip
    run_accord(environment, "forum", "accredit", "cc.head", "--role", "head", "--as", "CC")
    index = int(
        _on_host(
            environment,
            "from accord.ledger.actions import publish_communique;"
            f"print(publish_communique('AA', 'Notification', {SECRET!r},"
            " distribution='restricted', by='aa.head').index)",
        )
    )
    tokens = {
        handle: _on_host(
            environment,
            "from accord.people.models import Person;"
            "from accord.people.actions import issue_api_token;"
            f"print(issue_api_token(Person.objects.get(handle={handle!r}), 'cli',"
            " second_factor=True))",
        )
        for handle in ("bb.head", "cc.head")
    }
    log_key = _on_host(
        environment,
        "from accord.ledger.models import LogState; print(LogState.objects.get().log_vkey)",
    )
    server, url = start_server(environment)
    show = ["restricted", "show", str(index), "--url", url, "--log-key", log_key]
    try:
        _wait_for_checkpoint(url, index + 1)
        read = runner.invoke(app, show, env={"ACCORD_TOKEN": tokens["bb.head"]})
        assert read.exit_code == 0, read.output
        assert json.loads(read.stdout)["text"] == SECRET
        assert "matches the commitment" in read.stderr

        stranger = runner.invoke(app, show, env={"ACCORD_TOKEN": tokens["cc.head"]})
        assert stranger.exit_code == 1
        assert SECRET not in stranger.output
        assert "not among the parties entitled" in stranger.output

        wrong = runner.invoke(app, show, env={"ACCORD_TOKEN": "acc_never-issued"})
        assert wrong.exit_code == 1
        assert "refused the token" in wrong.output

        unset = runner.invoke(app, show, env={"ACCORD_TOKEN": ""})
        assert unset.exit_code == 1
        assert "set ACCORD_TOKEN" in unset.output

        _on_host(
            environment,
            "from accord.ledger.models import RestrictedBody; row = RestrictedBody.objects.get();"
            "row.body = bytes(row.body).replace(b'13,000', b'300'); row.save()",
        )
        forged = runner.invoke(app, show, env={"ACCORD_TOKEN": tokens["bb.head"]})
        assert forged.exit_code == 1
        assert "does not match the commitment" in forged.output
        assert "300 troops" not in forged.output
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_the_cli_check_is_the_ledgers_commitment() -> None:
    from accord.cli.restricted import commitment  # noqa: PLC0415

    body = {"text": "Привет, 13 000 troops", "title": "N"}
    assert commitment("c2FsdA==", body) == commitment_of("c2FsdA==", body)
