"""People: a handle added for one party stays that party's, personal data stays with those
who need it, second-factor secrets are sealed at rest, and staff can reset or deactivate.

Each test is an attack (or the remedy for a lost authenticator) on every surface the
host controls, and, for handles, on a statement that arrives already signed.
"""

import base64
import json
import re
from binascii import unhexlify
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from accord.cli.main import app
from accord.forum import actions
from accord.forum.actions import Actor
from accord.forum.models import Accreditation
from accord.ledger import outbox
from accord.ledger.digest import digest
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.models import ActorSeq, Entry, OutboxMessage
from accord.ledger.replay import replay
from accord.ledger.submit import Submission, submit
from accord.lib import clock
from accord.people import actions as people_actions
from accord.people import authenticators
from accord.people.authenticators import Authenticator
from accord.people.models import AccountChange, ApiToken, Person
from accord.tlog import note
from tests.forum.world import AA_HEAD, BB_HEAD, ORIGIN, SKEYS, ForumWorld, signed_in

pytestmark = pytest.mark.django_db

STAFF = "sec.clerk"


def bearer(handle: str) -> dict[str, str]:
    token = people_actions.issue_api_token(
        Person.objects.get(handle=handle), "tests", second_factor=True
    )
    return {"authorization": f"Bearer {token}"}


def api_post(client: Client, path: str, body: dict[str, Any], handle: str) -> Any:
    return client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=bearer(handle)
    )


def invite_dd_and_add_its_head(forum: ForumWorld) -> None:
    """DD is invited and the secretariat adds ``dd.head`` for it: the issue's ``pl.head``."""
    forum.act(lambda: actions.invite(AA_HEAD, "DD", "State D"))
    forum.act(
        lambda: actions.add_person(
            "dd.head", party="DD", role="head", email="head@dd.example", by=STAFF
        )
    )


# -- a handle added for one party is that party's -----------------------------------------------


def test_a_handle_added_for_one_party_is_accredited_by_that_party_only(
    forum: ForumWorld,
) -> None:
    invite_dd_and_add_its_head(forum)
    refusal = forum.refused(
        "handle_taken", lambda: actions.accredit(BB_HEAD, "dd.head", "delegate")
    )
    assert "dd.head was added for DD" in str(refusal)
    forum.act(lambda: actions.accredit(Actor("DD"), "dd.head", "head"))
    assert Accreditation.objects.get(handle="dd.head").party == "DD"


def test_the_log_binds_an_added_handle_to_its_party_without_personal_data(
    forum: ForumWorld,
) -> None:
    invite_dd_and_add_its_head(forum)
    entry = Entry.objects.filter(kind="forum.person.added").order_by("-index").first()
    assert entry is not None
    statement = json.loads(bytes(entry.leaf))["statement"]
    assert (statement["actor"], statement["by"]) == ("secretariat", STAFF)
    assert statement["body"] == {"handle": "dd.head", "party": "DD"}
    assert b"dd.example" not in bytes(entry.leaf)


def test_a_statement_signed_by_another_party_cannot_take_an_added_handle(
    forum: ForumWorld,
) -> None:
    # BB signs the accreditation itself, as a party with its own key would: check() refuses
    # it from the log alone, so any replay on any machine refuses it too.
    invite_dd_and_add_its_head(forum)
    seq = ActorSeq.objects.get(actor="BB").last_seq + 1
    statement = Statement(
        forum=ORIGIN,
        kind="forum.person.accredited",
        v=1,
        actor="BB",
        seq=seq,
        at=format_time(forum.ticking.moment),
        distribution="public",
        body={"handle": "dd.head", "role": "delegate"},
        by="bb.head",
    )
    signer = note.Signer(SKEYS["BB"])
    signed = SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    with clock.simulated(forum.ticking):
        forum.refused("handle_taken", lambda: submit(Submission(signed)))


def test_the_attack_is_refused_through_the_api_and_the_page(
    forum: ForumWorld, client: Client
) -> None:
    invite_dd_and_add_its_head(forum)
    body = {"handle": "dd.head", "role": "delegate"}
    response = forum.act(lambda: api_post(client, "/forum/accreditations", body, "bb.head"))
    assert (response.status_code, response.json()["code"]) == (422, "handle_taken")
    page = forum.act(lambda: signed_in("bb.head").post("/people", body))
    assert page.status_code == 422
    assert "only that party accredits them" in page.content.decode()
    assert not Accreditation.objects.filter(handle="dd.head").exists()


def test_a_replay_of_a_log_with_added_people_reaches_the_same_digest(forum: ForumWorld) -> None:
    invite_dd_and_add_its_head(forum)
    forum.act(lambda: actions.accredit(Actor("DD"), "dd.head", "head"))
    assert replay().full_digest == digest(full=True)


# -- who sees whom the secretariat added --------------------------------------------------------

AWAITING_NAME = "Ada Newcomer"
AWAITING_EMAIL = "ada@aa.example"


@pytest.fixture
def newcomer(forum: ForumWorld) -> ForumWorld:
    """``aa.new`` was added for AA and is not accredited: the person whose data is at stake;
    ``aa.waiting`` was added for AA too and is the unaccredited account that looks."""
    for handle, name, email in (
        ("aa.new", AWAITING_NAME, AWAITING_EMAIL),
        ("aa.waiting", "Wait Ing", "waiting@aa.example"),
    ):
        forum.act(
            partial(
                actions.add_person,
                handle,
                party="AA",
                role="delegate",
                email=email,
                name=name,
                by=STAFF,
            )
        )
    return forum


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("aa.waiting", False),  # an account its party has not accredited
        ("aa.delegate", False),  # a delegate of the same party
        ("bb.head", False),  # the head of another party
        ("aa.head", True),  # the head of the party
        (STAFF, True),  # secretariat staff
    ],
)
def test_only_the_partys_head_and_staff_see_whom_the_secretariat_added(
    newcomer: ForumWorld, client: Client, viewer: str, *, sees: bool
) -> None:
    page = signed_in(viewer).get("/people").content.decode()
    assert (AWAITING_EMAIL in page) is sees
    assert (AWAITING_NAME in page) is sees
    response = client.get("/api/v1/forum/people/awaiting", headers=bearer(viewer))
    if sees:
        rows = response.json()
        assert ("aa.new", AWAITING_EMAIL, AWAITING_NAME) in [
            (row["handle"], row["email"], row["name"]) for row in rows
        ]
    else:
        # The head of another party gets its own party's list; the others are refused.
        assert response.status_code == (200 if viewer == "bb.head" else 403)
        assert AWAITING_EMAIL not in response.content.decode()


def test_no_public_page_or_read_shows_a_name_or_address(
    newcomer: ForumWorld, client: Client
) -> None:
    for path in ("/", "/people", "/parties/AA", "/invitations", "/rules"):
        page = client.get(path).content.decode()
        assert AWAITING_EMAIL not in page, path
        assert "@example.org" not in page, path
    for path in ("/forum", "/forum/people", "/forum/parties/AA", "/forum/invitations"):
        answer = client.get(f"/api/v1{path}").content.decode()
        assert AWAITING_EMAIL not in answer, path
        assert "@example.org" not in answer, path


# -- second-factor secrets at rest --------------------------------------------------------------


def enrolled(handle: str) -> tuple[Authenticator, bytes]:
    """Enrol an authenticator the way the page does; returns it and its secret key."""
    device = authenticators.enrol(Person.objects.get(handle=handle).user, confirmed=True)
    return device, device.bin_key


def code(key: bytes) -> str:
    return f"{totp(key):06d}"


def test_the_stored_totp_column_holds_no_secret(forum: ForumWorld) -> None:
    device, key = enrolled("aa.head")
    stored = TOTPDevice.objects.get(pk=device.pk).key
    assert key.hex() not in stored
    assert base64.b32encode(key).decode() not in stored
    assert stored.startswith("test1$")
    assert Authenticator.objects.get(pk=device.pk).verify_token(code(key))


def test_a_sealed_totp_key_moved_to_another_account_does_not_open(forum: ForumWorld) -> None:
    device, _ = enrolled("aa.head")
    other, _ = enrolled("bb.head")
    TOTPDevice.objects.filter(pk=other.pk).update(key=device.key)
    with pytest.raises(authenticators.SealingError, match="does not open"):
        _ = Authenticator.objects.get(pk=other.pk).bin_key


def test_rewrap_reseals_totp_keys_under_the_new_kek(
    forum: ForumWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    device, key = enrolled("aa.head")
    from tests.ledger.conftest import TEST_KEK  # noqa: PLC0415

    newer = "test2:" + base64.b64encode(b"n" * 32).decode()
    monkeypatch.setenv("ACCORD_KEK", f"{newer},{TEST_KEK}")
    result = CliRunner().invoke(app, ["log", "rewrap"])
    assert result.exit_code == 0, result.output
    assert "1 authenticator" in result.output
    monkeypatch.setenv("ACCORD_KEK", newer)
    resealed = Authenticator.objects.get(pk=device.pk)
    assert resealed.key.startswith("test2$")
    assert resealed.bin_key == key


def test_devices_stored_in_the_clear_are_sealed_by_the_migration_step(forum: ForumWorld) -> None:
    user = Person.objects.get(handle="aa.head").user
    clear = TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    key = unhexlify(clear.key)
    assert authenticators.seal_clear_keys(TOTPDevice.objects) == 1
    stored = TOTPDevice.objects.get(pk=clear.pk).key
    assert key.hex() not in stored
    assert Authenticator.objects.get(pk=clear.pk).bin_key == key
    assert authenticators.seal_clear_keys(TOTPDevice.objects) == 0


# -- staff reset a lost second factor and deactivate accounts -----------------------------------


def test_staff_reset_a_lost_second_factor_recorded_and_told_by_email(
    forum: ForumWorld,
) -> None:
    enrolled("aa.head")
    change = people_actions.reset_second_factor("aa.head", by=STAFF)
    assert not TOTPDevice.objects.filter(user__username="aa.head").exists()
    record = AccountChange.objects.get()
    assert (record.person.handle, record.change, record.by) == (
        "aa.head",
        "second_factor_reset",
        STAFF,
    )
    assert record.at is not None
    assert change == record
    assert outbox.deliver() == 1
    (message,) = mail.outbox
    assert message.to == ["aa.head@example.org"]
    assert STAFF in str(message.body)


def test_staff_deactivate_an_account_and_everything_it_holds_stops(forum: ForumWorld) -> None:
    person = Person.objects.get(handle="aa.delegate")
    person.user.set_password("a long passphrase")
    person.user.save()
    session = Client()
    session.force_login(person.user)
    assert session.get("/account").status_code == 200
    token = people_actions.issue_api_token(person, "script", second_factor=False)
    link = people_actions.issue_sign_in_link(person)

    people_actions.deactivate("aa.delegate", by=STAFF)

    user = User.objects.get(username="aa.delegate")
    assert not user.is_active
    assert session.get("/account").status_code == 302  # the session has ended
    signed = Client().post("/sign-in", {"handle": "aa.delegate", "password": "a long passphrase"})
    assert "_auth_user_id" not in Client().session
    assert signed.status_code == 200
    assert Client().post(f"/sign-in/link/{link}").status_code == 410
    response = Client().post(
        "/api/v1/forum/leave",
        "{}",
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401
    assert ApiToken.objects.filter(person=person, revoked_at__isnull=True).count() == 0
    assert AccountChange.objects.get().change == "deactivated"
    assert OutboxMessage.objects.get().payload["to"] == "aa.delegate@example.org"


@pytest.mark.parametrize("who", ["aa.head", "bb.head", "aa.delegate"])
def test_no_one_but_staff_resets_or_deactivates(
    forum: ForumWorld, client: Client, who: str
) -> None:
    enrolled("cc.head")
    for act in (people_actions.reset_second_factor, people_actions.deactivate):
        forum.refused("not_secretariat", partial(act, "cc.head", by=who))
    browser = signed_in(who)
    for path in ("/people/cc.head/second-factor/reset", "/people/cc.head/deactivate"):
        assert browser.get(path).status_code == 403
        assert browser.post(path, {"confirm": "on"}).status_code == 403
        assert api_post(client, f"/forum{path}", {}, who).status_code == 403
    assert TOTPDevice.objects.filter(user__username="cc.head").exists()
    assert User.objects.get(username="cc.head").is_active
    assert not AccountChange.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_staff_reset_and_deactivate_from_the_page_with_confirmation(forum: ForumWorld) -> None:
    enrolled("cc.head")
    browser = signed_in(STAFF, enforce_csrf_checks=True)
    page = browser.get("/people/cc.head/second-factor/reset")
    assert page.status_code == 200
    text = page.content.decode()
    assert "csrfmiddlewaretoken" in text
    assert browser.post("/people/cc.head/second-factor/reset", {}).status_code == 403  # no CSRF
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert csrf is not None
    unconfirmed = browser.post(
        "/people/cc.head/second-factor/reset", {"csrfmiddlewaretoken": csrf.group(1)}
    )
    assert unconfirmed.status_code == 400
    assert TOTPDevice.objects.filter(user__username="cc.head").exists()
    done = browser.post(
        "/people/cc.head/second-factor/reset",
        {"csrfmiddlewaretoken": csrf.group(1), "confirm": "on"},
    )
    assert done.status_code == 200
    assert not TOTPDevice.objects.filter(user__username="cc.head").exists()
    done = browser.post(
        "/people/cc.head/deactivate", {"csrfmiddlewaretoken": csrf.group(1), "confirm": "on"}
    )
    assert done.status_code == 200
    assert not User.objects.get(username="cc.head").is_active
    assert list(AccountChange.objects.order_by("pk").values_list("change", "by")) == [
        ("second_factor_reset", STAFF),
        ("deactivated", STAFF),
    ]


def test_staff_reset_and_deactivate_through_the_api(forum: ForumWorld, client: Client) -> None:
    enrolled("cc.head")
    response = api_post(client, "/forum/people/cc.head/second-factor/reset", {}, STAFF)
    assert response.status_code == 200
    assert response.json()["change"] == "second_factor_reset"
    assert response.json()["by"] == STAFF
    response = api_post(client, "/forum/people/cc.head/deactivate", {}, STAFF)
    assert (response.status_code, response.json()["change"]) == (200, "deactivated")
    response = api_post(client, "/forum/people/no.one/deactivate", {}, STAFF)
    assert (response.status_code, response.json()["code"]) == (404, "unknown_person")


def test_staff_cannot_deactivate_themselves(forum: ForumWorld) -> None:
    forum.refused("own_account", lambda: people_actions.deactivate(STAFF, by=STAFF))
