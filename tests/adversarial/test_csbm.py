"""An adversary against the CSBM app: who else can read a restricted content, act for another
party, lie in an own-key statement, race for a quota place, bend a state machine or a deadline,
or crash a surface with junk. Each test states the behaviour that is right; one that fails names
a hole.

The world (tests/csbm/world.py): AA, BB and DD participate, CC is invited and does not. A
hazardous incident from AA addressed to BB alone makes DD a participating party that is not a
recipient. Own-key statements are signed here with the party's key and handed to
``accord.ledger.submit.submit``, as a national system's arrive through the API.
"""

import base64
import contextlib
import json
import threading
import time
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from django.core import mail
from django.db import OperationalError, connections
from django.test import Client
from pydantic import ValidationError
from typer.testing import CliRunner

from accord.cli.main import app
from accord.csbm import actions, notices, transports
from accord.csbm.models import Case, Delivery, Dispatch, Missed, Notification, Sealed
from accord.csbm.rules import CsbmRules, due, rules_at
from accord.forum import actions as forum_actions
from accord.forum.actions import Actor
from accord.ledger import log_head
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.custody import HostedKeys
from accord.ledger.digest import digest
from accord.ledger.envelope import SignedStatement, Statement, format_time, parse_time
from accord.ledger.errors import Rejected
from accord.ledger.hosted import hosted_key
from accord.ledger.integrate import Accepted
from accord.ledger.models import Entry, LogState, RestrictedBody
from accord.ledger.replay import replay
from accord.ledger.restricted import commitment_of
from accord.ledger.submit import submit
from accord.ledger.wire import Submission
from accord.lib import clock
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.csbm.world import AA_HEAD, BB_HEAD, DD_HEAD, SECRETARIAT, CsbmWorld, build
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db

SECRET = "The destroyer closed to 90 metres of the survey ship"
CONTACT = "Fleet duty officer on channel 16"
runner = CliRunner()


@pytest.fixture
def csbm(db: None) -> Any:
    yield from build()


# -- helpers -------------------------------------------------------------------------------------


def incident(to: list[str] | None = None, **changes: Any) -> dict[str, Any]:
    body = {
        "addressees": to or ["BB"],
        "occurred_at": "2025-01-01T10:00:00Z",
        "location": "Open sea",
        "description": SECRET,
        "point_of_contact": CONTACT,
    }
    return {**body, **changes}


def request_of(host: str = "BB") -> dict[str, Any]:
    return {
        "requested_state": host,
        "activity": "Armour moving west",
        "location": "Near the border",
        "reasons": "Not in any calendar.",
    }


def token(handle: str) -> str:
    person = Person.objects.get(handle=handle)
    return people_actions.issue_api_token(person, "tests", second_factor=True)


def api_get(w: CsbmWorld, path: str, bearer: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    with clock.simulated(w.forum.ticking):
        return Client().get(f"/api/v1{path}", headers=headers)


def api_post(w: CsbmWorld, path: str, body: Any, bearer: str | None) -> Any:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    with clock.simulated(w.forum.ticking):
        return Client().post(
            f"/api/v1{path}", data, content_type="application/json", headers=headers
        )


def read(w: CsbmWorld, client: Client, path: str) -> Any:
    with clock.simulated(w.forum.ticking):
        return client.get(path)


def size() -> int:
    return int(LogState.objects.get().size)


def own(
    w: CsbmWorld,
    party: str,
    kind: str,
    body: dict[str, Any],
    *,
    distribution: str = "public",
    seq: int | None = None,
) -> Accepted:
    """A statement signed by ``party``'s key outside the host's signing path, as a national
    system signs it, and submitted raw; a restricted one travels with its salt and body."""

    def signed() -> Accepted:
        keys = HostedKeys()
        signer = keys.signer(hosted_key(party, keys))
        salt, shown = None, body
        if distribution == "restricted":
            salt = base64.b64encode(f"salt-{kind}-{size()}".encode()).decode()
            shown = {"commitment": commitment_of(salt, body)}
        statement = Statement(
            forum=LogState.objects.get().origin,
            kind=kind,
            v=1,
            actor=party,
            seq=seq if seq is not None else log_head.last_seq(party) + 1,
            at=format_time(clock.now()),
            distribution=distribution,
            body=shown,
        )
        signature = signer.sign(statement.signing_bytes())
        signed = SignedStatement(statement, signature, signer.vkey)
        if salt is None:
            return submit(Submission(signed))
        return submit(Submission(signed, None, salt, body))

    return w.act(signed)


def own_notify(
    w: CsbmWorld,
    party: str,
    fmt: str,
    payload: dict[str, Any],
    *,
    to: list[str] | None = None,
    facts: dict[str, Any] | None = None,
) -> tuple[int, int]:
    """Seal (restricted) then send with one's own key; ``to`` and ``facts`` as given, else as
    Accord computes them. The content's and the notification's entries."""
    _v, computed_to, computed_facts = actions.envelope(fmt, party, payload)
    content = own(
        w,
        party,
        "csbm.content.sealed",
        {"format": fmt, "schema_version": 1, "payload": payload},
        distribution="restricted",
    ).index
    sent = own(
        w,
        party,
        "csbm.notification.sent",
        {
            "format": fmt,
            "schema_version": 1,
            "content": content,
            "to": computed_to if to is None else to,
            "facts": computed_facts if facts is None else facts,
        },
    ).index
    return content, sent


def refused_raw(w: CsbmWorld, code: str | tuple[str, ...], action: Any) -> Rejected:
    """An own-key submission refused with ``code`` (a Rejected, never another exception),
    leaving the log and the projections as they were."""
    codes = (code,) if isinstance(code, str) else code
    before, full = size(), digest(full=True)
    with pytest.raises(Rejected) as refusal:
        action()
    assert refusal.value.code in codes, refusal.value
    assert (size(), digest(full=True)) == (before, full)
    return refusal.value


def sealed_only(w: CsbmWorld, party: str, fmt: str, payload: dict[str, Any]) -> int:
    return own(
        w,
        party,
        "csbm.content.sealed",
        {"format": fmt, "schema_version": 1, "payload": payload},
        distribution="restricted",
    ).index


# == 1. restricted content ========================================================================


def test_an_incident_for_bb_reaches_no_other_party_on_any_surface(
    csbm: CsbmWorld, settings: Any
) -> None:
    settings.ACCORD_CSBM_WEBHOOK_PRIVATE_ADDRESSES = True
    csbm.act(lambda: actions.register_webhook(DD_HEAD, "https://dd.example/hook"))
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident())
    found = Notification.objects.get(entry_index=entry)
    sign_checkpoint()
    secret = SECRET.encode()
    # the log itself: neither the content's leaf nor any other holds the description
    assert not any(secret in bytes(row.leaf) for row in Entry.objects.all())
    assert not any(CONTACT.encode() in bytes(row.leaf) for row in Entry.objects.all())
    # the log API and the explorer, to DD and to nobody
    dd = signed_in("dd.head")
    for client in (Client(), dd, signed_in("cc.head")):
        for path in (
            f"/log/entry/{found.content}",
            f"/log/entry/{entry}",
            f"/explorer/{found.content}",
            f"/explorer/{entry}",
            "/explorer/",
            f"/csbm/notifications/{entry}/",
            "/csbm/",
            "/csbm/?all=1",
            "/csbm/sent/",
            "/csbm/consultations/",
            f"/csbm/compliance/{found.year}/",
            f"/csbm/compliance/{found.year}.csv",
            f"/csbm/compliance/{found.year}.json",
        ):
            answer = read(csbm, client, path)
            assert answer.status_code in (200, 403, 404), path
            assert secret not in answer.content, path
    # DD's own deadlines feed: nothing of BB's incident
    assert secret not in read(csbm, dd, "/csbm/deadlines/DD.ics").content
    # the API with DD's and CC's tokens, and the ledger's restricted bodies
    for handle in ("dd.head", "cc.head"):
        bearer = token(handle)
        shown = api_get(csbm, f"/csbm/notifications/{entry}", bearer)
        assert shown.status_code == 200
        assert secret not in shown.content
        assert shown.json()["payload"] is None
        for box in ("inbox", "outbox"):
            assert secret not in api_get(csbm, f"/csbm/notifications?box={box}", bearer).content
        body = api_get(csbm, f"/statements/{found.content}/restricted", bearer)
        assert body.status_code == 403, handle
        assert secret not in body.content
    # DD does not acknowledge what was not sent to it
    csbm.forum.refused("not_recipient", lambda: actions.acknowledge(DD_HEAD, entry))
    # BB reads it through the ledger's restricted route; so does the secretariat
    assert SECRET in api_get(csbm, f"/statements/{found.content}/restricted", token("bb.head")).text
    assert (
        SECRET in api_get(csbm, f"/statements/{found.content}/restricted", token("sec.clerk")).text
    )
    # deliveries: nothing queued for DD, and the mails that go carry no description
    assert not Dispatch.objects.filter(recipient="DD").exists()
    csbm.act(lambda: transports.send_due(clock.now()))
    csbm.later(47)
    csbm.act(lambda: notices.reminders(clock.now()))
    csbm.later(49)
    csbm.act(lambda: notices.reminders(clock.now()))
    assert mail.outbox, "BB's delegation and the secretariat are written to"
    for message in mail.outbox:
        assert SECRET not in message.body
        assert SECRET not in message.subject
        assert CONTACT not in message.body
        assert "dd.head@example.org" not in message.to


def test_a_sealed_content_not_yet_sent_is_read_by_no_one_but_its_sealer(csbm: CsbmWorld) -> None:
    content = csbm.act(
        lambda: actions.seal(AA_HEAD, format="hazardous-incident", payload=incident())
    ).index
    for handle in ("bb.head", "dd.head", "cc.head"):
        answer = api_get(csbm, f"/statements/{content}/restricted", token(handle))
        assert answer.status_code == 403, handle
    assert api_get(csbm, f"/statements/{content}/restricted", token("aa.head")).status_code == 200


def test_a_withdrawn_accreditation_reads_and_acts_on_nothing(csbm: CsbmWorld) -> None:
    bearer = token("bb.head")
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident())
    content = Notification.objects.get(entry_index=entry).content
    assert SECRET in api_get(csbm, f"/csbm/notifications/{entry}", bearer).text
    csbm.act(lambda: forum_actions.withdraw(Actor("BB"), "bb.head"))
    shown = api_get(csbm, f"/csbm/notifications/{entry}", bearer)
    assert shown.json()["payload"] is None
    assert SECRET not in shown.text
    assert api_get(csbm, f"/statements/{content}/restricted", bearer).status_code in (401, 403)
    assert api_get(csbm, "/csbm/notifications", bearer).status_code == 403
    before = size()
    acked = api_post(csbm, f"/csbm/notifications/{entry}/acknowledgement", {}, bearer)
    assert acked.status_code in (401, 403), acked.content
    assert size() == before
    assert read(csbm, signed_in("bb.head"), "/csbm/deadlines/BB.ics").status_code == 403


def test_the_webhook_of_a_participating_non_recipient_gets_nothing_of_a_bilateral_report(
    csbm: CsbmWorld, settings: Any
) -> None:
    settings.ACCORD_CSBM_WEBHOOK_PRIVATE_ADDRESSES = True
    for head in (BB_HEAD, DD_HEAD):
        address = f"https://{head.party}.example/h"
        csbm.act(partial(actions.register_webhook, head, address))
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident())
    assert list(
        Dispatch.objects.filter(notification=entry, transport="webhook").values_list(
            "recipient", flat=True
        )
    ) == ["BB"]
    dispatch = Dispatch.objects.get(notification=entry, transport="webhook")
    body = csbm.act(lambda: transports.webhook_body(dispatch, format_time(clock.now())))
    assert body["content"]["body"]["payload"]["description"] == SECRET
    dispatch.recipient = "DD"  # were it ever queued for DD, it would carry no content
    assert csbm.act(lambda: transports.webhook_body(dispatch, "x"))["content"] is None


def test_a_registered_webhook_address_is_read_by_its_party_and_the_secretariat_alone(
    csbm: CsbmWorld,
) -> None:
    address = "https://verification.bb.example/secret-path-7f3a"
    hook = csbm.act(lambda: actions.register_webhook(BB_HEAD, address)).index
    assert address.encode() not in bytes(Entry.objects.get(index=hook).leaf)
    for handle in ("dd.head", "aa.head", "cc.head"):
        answer = api_get(csbm, f"/statements/{hook}/restricted", token(handle))
        assert answer.status_code == 403, handle
        for path in ("/csbm/webhook/", f"/explorer/{hook}", "/explorer/"):
            assert address not in read(csbm, signed_in(handle), path).content.decode(), path
    assert address in api_get(csbm, f"/statements/{hook}/restricted", token("bb.head")).text
    assert address in read(csbm, signed_in("bb.head"), "/csbm/webhook/").content.decode()


# == 2. authorization =============================================================================


def test_no_party_acts_for_another_through_the_api(csbm: CsbmWorld) -> None:
    request = csbm.notify(AA_HEAD, "clarification-request", request_of("BB"))
    general = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    cc, dd, delegate = token("cc.head"), token("dd.head"), token("aa.delegate")
    adviser = token("aa.adviser")
    before = size()
    # CC, invited and not participating, neither sends nor acknowledges
    sent = api_post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "payload": csbm.general()},
        cc,
    )
    assert sent.status_code in (403, 422)
    assert sent.json()["code"] in (
        "not_permitted",
        "not_participating",
    )
    assert api_post(csbm, f"/csbm/notifications/{general}/acknowledgement", {}, cc).status_code in (
        403,
        422,
    )
    # DD closes nobody's case but its own; the adviser sends nothing
    closing = api_post(csbm, f"/csbm/cases/{request}/closing", {"outcome": "withdrawn"}, dd)
    assert closing.json()["code"] == "not_your_turn"
    assert api_post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "payload": csbm.general()},
        adviser,
    ).status_code in (403, 422)
    # a delegate of AA does not register AA's webhook (heads only), nor any other party's
    hook = api_post(csbm, "/csbm/webhook", {"url": "https://aa.example/h"}, delegate)
    assert hook.status_code in (403, 422)
    assert hook.json()["code"] == "not_permitted"
    # DD replies in a consultation it was not asked in
    reply = api_post(
        csbm,
        "/csbm/notifications",
        {"format": "clarification-reply", "payload": {"in_reply_to": request, "reply": "No."}},
        dd,
    )
    assert reply.json()["code"] == "not_your_turn"
    # nobody but the secretariat records a missed deadline
    csbm.later(24 * 10)
    missed = api_post(
        csbm,
        f"/csbm/notifications/{general}/missed",
        {"party": "DD", "what": "acknowledgement"},
        dd,
    )
    assert missed.json()["code"] in ("not_permitted", "not_secretariat")
    assert size() == before


def test_an_account_its_party_never_accredited_acts_on_nothing(csbm: CsbmWorld) -> None:
    forum_actions.add_person("bb.newcomer", party="BB", role="delegate", email="n@bb.example")
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident())
    before = size()
    try:
        bearer = token("bb.newcomer")
    except Exception:  # noqa: BLE001 -- no token for an unaccredited account is right too
        return
    acked = api_post(csbm, f"/csbm/notifications/{entry}/acknowledgement", {}, bearer)
    assert acked.status_code in (401, 403, 422)
    assert size() == before
    shown = api_get(csbm, f"/csbm/notifications/{entry}", bearer)
    assert SECRET not in shown.text


def test_the_secretariat_records_no_missed_deadline_early_met_or_twice(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    refused = csbm.forum.refused
    refused(
        "not_yet",
        lambda: actions.record_missed(SECRETARIAT, entry, party="BB", what="acknowledgement"),
    )
    refused(
        "no_deadline",
        lambda: actions.record_missed(SECRETARIAT, entry, party="CC", what="acknowledgement"),
    )
    refused(
        "no_deadline",
        lambda: actions.record_missed(SECRETARIAT, entry, party="BB", what="reply"),
    )
    csbm.act(lambda: actions.acknowledge(BB_HEAD, entry))
    csbm.later(24 * 10)
    refused(
        "met",
        lambda: actions.record_missed(SECRETARIAT, entry, party="BB", what="acknowledgement"),
    )
    csbm.act(lambda: actions.record_missed(SECRETARIAT, entry, party="DD", what="acknowledgement"))
    refused(
        "recorded_already",
        lambda: actions.record_missed(SECRETARIAT, entry, party="DD", what="acknowledgement"),
    )


def test_no_missed_reply_is_recorded_on_a_request_its_sender_withdrew(csbm: CsbmWorld) -> None:
    """A request closed (withdrawn) before its reply fell due owes no reply: the scheduler
    does not conclude one, and the secretariat cannot record one by hand."""
    request = csbm.notify(AA_HEAD, "clarification-request", request_of("BB"))
    csbm.act(lambda: actions.close_case(AA_HEAD, request, outcome="withdrawn"))
    csbm.later(24 * 5)
    assert not any("reply" in line for line in csbm.act(lambda: actions.conclude_due(clock.now())))
    csbm.forum.refused(
        "no_deadline",
        lambda: actions.record_missed(SECRETARIAT, request, party="BB", what="reply"),
    )


def test_a_deadline_is_missed_only_after_it_passed_the_moment_an_ack_is_still_on_time(
    csbm: CsbmWorld,
) -> None:
    """An acknowledgement logged at the deadline's very instant is on time
    (``ack_on_time = not logged_at > due``), and the scheduler waits until after it
    (``ack_due__lt``); a missed deadline recorded at that instant would contradict both."""
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    ack_due = parse_time(Delivery.objects.get(notification=entry, recipient="BB").ack_due)
    with clock.simulated(lambda: ack_due), pytest.raises(Rejected) as refusal:
        actions.record_missed(SECRETARIAT, entry, party="BB", what="acknowledgement")
    assert refusal.value.code == "not_yet"
    with clock.simulated(lambda: ack_due):
        actions.acknowledge(BB_HEAD, entry)
    assert Delivery.objects.get(notification=entry, recipient="BB").ack_on_time is True


# == 3. own-key statements ========================================================================


def test_an_own_key_notification_is_taken_when_it_says_what_its_content_says(
    csbm: CsbmWorld,
) -> None:
    content, sent = own_notify(csbm, "AA", "hazardous-incident", incident())
    found = Notification.objects.get(entry_index=sent)
    assert (found.content, found.recipients, found.sender) == (content, ["BB"], "AA")
    assert SECRET.encode() not in bytes(Entry.objects.get(index=content).leaf)


@pytest.mark.parametrize(
    ("to", "code"),
    [
        (["BB", "DD"], "wrong_recipients"),  # adds a party the incident is not for
        (["DD"], "wrong_recipients"),  # swaps the addressee
        (["BB", "CC"], ("wrong_recipients", "not_participating")),
        (["AA", "BB"], "wrong_recipients"),
        (["DD", "BB"], ("bad_body", "malformed", "wrong_recipients")),  # not sorted
        ([], "wrong_recipients"),
    ],
    ids=["adds", "swaps", "outsider", "itself", "unsorted", "nobody"],
)
def test_an_own_key_to_list_that_differs_from_the_content_is_refused(
    csbm: CsbmWorld, to: list[str], code: Any
) -> None:
    content = sealed_only(csbm, "AA", "hazardous-incident", incident())
    refused_raw(
        csbm,
        code if isinstance(code, tuple) else (code, "bad_body", "malformed"),
        lambda: own(
            csbm,
            "AA",
            "csbm.notification.sent",
            {
                "format": "hazardous-incident",
                "schema_version": 1,
                "content": content,
                "to": to,
                "facts": {},
            },
        ),
    )


def test_an_own_key_general_communication_must_go_to_every_participating_party(
    csbm: CsbmWorld,
) -> None:
    content = sealed_only(csbm, "AA", "general-communication", csbm.general())
    refused_raw(
        csbm,
        "wrong_recipients",
        lambda: own(
            csbm,
            "AA",
            "csbm.notification.sent",
            {
                "format": "general-communication",
                "schema_version": 1,
                "content": content,
                "to": ["BB"],
                "facts": {},
            },
        ),
    )


@pytest.mark.parametrize(
    "facts",
    [
        {
            "kind": "land_exercise",
            "starts_on": "2099-01-01",
            "ends_on": "2099-01-05",
            "voluntary": False,
        },
        {"kind": "alert_activity", "starts_on": None, "ends_on": None, "voluntary": False},
        {"kind": "land_exercise", "voluntary": True},
        {},
        {"kind": "land_exercise", "starts_on": 20260101, "ends_on": [], "voluntary": "no"},
        {"kind": "land_exercise", "supersedes": "3"},
        {"junk": {"x" * 40: list(range(2000))}},
    ],
    ids=[
        "later-start",
        "alert-no-dates",
        "voluntary",
        "none",
        "wrong-types",
        "string-entry",
        "huge",
    ],
)
def test_own_key_public_facts_that_lie_about_the_content_are_refused_not_a_crash(
    csbm: CsbmWorld, facts: dict[str, Any]
) -> None:
    payload = csbm.prior()
    content = sealed_only(csbm, "AA", "prior-notification", payload)
    _v, to, real = actions.envelope("prior-notification", "AA", payload)
    assert facts != real
    refused_raw(
        csbm,
        ("facts_mismatch", "bad_facts", "bad_body", "malformed", "too_large", "entry_too_large"),
        lambda: own(
            csbm,
            "AA",
            "csbm.notification.sent",
            {
                "format": "prior-notification",
                "schema_version": 1,
                "content": content,
                "to": to,
                "facts": facts,
            },
        ),
    )


def test_own_key_content_of_another_party_or_sent_twice_or_of_another_format_is_refused(
    csbm: CsbmWorld,
) -> None:
    bb_content = sealed_only(csbm, "BB", "general-communication", csbm.general())
    body = {
        "format": "general-communication",
        "schema_version": 1,
        "content": bb_content,
        "to": ["BB", "DD"],
        "facts": {},
    }
    refused_raw(csbm, "not_sealed", lambda: own(csbm, "AA", "csbm.notification.sent", body))
    content, sent = own_notify(csbm, "AA", "general-communication", csbm.general())
    twice = {**body, "content": content}
    refused_raw(csbm, "content_sent", lambda: own(csbm, "AA", "csbm.notification.sent", twice))
    # the entry of a notification, not of a content
    refused_raw(
        csbm,
        "not_sealed",
        lambda: own(csbm, "AA", "csbm.notification.sent", {**body, "content": sent}),
    )
    # a general communication sealed, sent as a prior notification
    other = sealed_only(csbm, "AA", "general-communication", csbm.general(subject="Other"))
    prior = {
        "format": "prior-notification",
        "schema_version": 1,
        "content": other,
        "to": ["BB", "DD"],
        "facts": actions.envelope("prior-notification", "AA", csbm.prior())[2],
    }
    refused_raw(csbm, "facts_mismatch", lambda: own(csbm, "AA", "csbm.notification.sent", prior))
    # negative, text or a boolean for the content's entry
    for bad in (-1, "7", True):  # beyond 2^53 cannot even be signed (canonical JSON)
        refused_raw(
            csbm,
            ("bad_body", "malformed", "not_sealed", "integer_out_of_range", "bad_integer"),
            lambda bad=bad: own(csbm, "AA", "csbm.notification.sent", {**body, "content": bad}),
        )


def test_own_key_sealed_contents_that_follow_no_schema_are_refused(csbm: CsbmWorld) -> None:
    for body in (
        {"format": "no-such-format", "schema_version": 1, "payload": {}},
        {"format": "general-communication", "schema_version": 2, "payload": csbm.general()},
        {"format": "general-communication", "schema_version": 1, "payload": {"subject": 1}},
        {
            "format": "general-communication",
            "schema_version": 1,
            "payload": csbm.general(text="ring\x07the bell"),
        },
        {
            "format": "prior-notification",
            "schema_version": 1,
            "payload": csbm.prior(forces={"troops": -9000}),
        },
        {"format": "Prior-Notification", "schema_version": 1, "payload": csbm.prior()},
    ):
        refused_raw(
            csbm,
            ("unknown_format", "bad_payload", "bad_body", "malformed"),
            lambda body=body: own(
                csbm, "AA", "csbm.content.sealed", body, distribution="restricted"
            ),
        )


def test_a_refused_hosted_notification_keeps_no_restricted_body(csbm: CsbmWorld) -> None:
    held = RestrictedBody.objects.count()
    sealed = Sealed.objects.count()
    csbm.forum.refused(
        "start_in_past",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(starts_on=csbm.day(-3))
        ),
    )
    assert (RestrictedBody.objects.count(), Sealed.objects.count()) == (held, sealed)


def test_the_api_raw_route_takes_an_own_key_pair_and_refuses_a_lying_one(
    csbm: CsbmWorld,
) -> None:
    """The API's content route: a content sealed before, then sent naming another party's
    recipients or facts, is refused with 422 and a code, never 500."""
    bearer = token("aa.head")
    sealed = api_post(
        csbm,
        "/csbm/contents",
        {"format": "hazardous-incident", "payload": incident()},
        bearer,
    )
    assert sealed.status_code == 201
    content = sealed.json()["receipts"][0]["index"]
    wrong: tuple[dict[str, Any], ...] = (
        {"to": ["BB", "DD"]},
        {"to": ["DD"]},
        {"facts": {"addressees": ["DD"]}},
        {"format": "general-communication"},
        {"to": "BB"},
        {"facts": []},
    )
    for given in wrong:
        before = size()
        body = {"format": "hazardous-incident", "content": content, **given}
        answer = api_post(csbm, "/csbm/notifications", body, bearer)
        assert 400 <= answer.status_code < 500, (given, answer.content)
        assert size() == before
    done = api_post(
        csbm, "/csbm/notifications", {"format": "hazardous-incident", "content": content}, bearer
    )
    assert done.status_code == 201, done.content
    assert Notification.objects.get(content=content).recipients == ["BB"]


def test_a_recipient_resealing_a_body_it_read_is_refused_or_taken_not_a_crash(
    csbm: CsbmWorld,
) -> None:
    """DD receives a general communication (salt and body from the restricted route) and
    seals the very same salted body as its own content: the host must answer, not fail."""
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general(text=SECRET))
    content = Notification.objects.get(entry_index=entry).content
    copy = api_get(csbm, f"/statements/{content}/restricted", token("dd.head")).json()

    def reseal() -> Accepted:
        keys = HostedKeys()
        signer = keys.signer(hosted_key("DD", keys))
        statement = Statement(
            forum=LogState.objects.get().origin,
            kind="csbm.content.sealed",
            v=1,
            actor="DD",
            seq=log_head.last_seq("DD") + 1,
            at=format_time(clock.now()),
            distribution="restricted",
            body={"commitment": copy["commitment"]},
        )
        signed = SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
        return submit(Submission(signed, None, copy["salt"], copy["body"]))

    with contextlib.suppress(Rejected):
        csbm.act(reseal)
    # whatever happened, the original recipients still read AA's content and the host is whole
    for handle in ("bb.head", "dd.head"):
        assert SECRET in api_get(csbm, f"/statements/{content}/restricted", token(handle)).text
    assert replay().full_digest == digest(full=True)


# == 4. determinism of replay =====================================================================


def _traffic(w: CsbmWorld) -> None:
    """Mixed traffic: hosted and own-key, restricted and public, bilateral, a correction of a
    correction, a consultation with a late reply, an inspection declined for force majeure, an
    evaluation, a webhook, a profile amendment and missed deadlines."""
    w.notify(BB_HEAD, "annual-exchange", w.exchange())
    first = w.notify(AA_HEAD, "prior-notification", w.prior())
    second = w.notify(AA_HEAD, "prior-notification", w.prior(supersedes=first, area="South"))
    w.notify(AA_HEAD, "prior-notification", w.prior(supersedes=second, area="East"))
    own_notify(w, "DD", "hazardous-incident", incident(["AA"]))
    w.act(
        lambda: actions.notify(
            AA_HEAD, format="general-communication", payload=w.general(), distribution="public"
        )
    )
    w.act(lambda: actions.register_webhook(BB_HEAD, "https://bb.example/hook"))
    request = w.notify(DD_HEAD, "clarification-request", request_of("AA"))
    inspection = w.notify(DD_HEAD, "inspection-request", w.inspection())
    w.notify(
        BB_HEAD,
        "inspection-reply",
        {"in_reply_to": inspection, "accepted": False, "force_majeure": True, "reason": "Flood"},
    )
    w.notify(
        AA_HEAD,
        "evaluation-request",
        {"receiving_state": "BB", "unit": "Brigade 3", "requested_on": w.day(9), "team_size": 2},
    )
    w.later(24 * 5)
    w.act(lambda: actions.conclude_due(clock.now()))
    w.notify(AA_HEAD, "clarification-reply", {"in_reply_to": request, "reply": "Late."})
    from tests.csbm.test_profile import _adopt, _amended  # noqa: PLC0415 -- its helpers

    _adopt(
        w,
        _amended(
            {
                "acknowledgement.within": {
                    "amount": 3,
                    "unit": "hours",
                    "ref": "Forum decision",
                    "status": "V",
                }
            }
        ),
    )
    late = w.notify(BB_HEAD, "general-communication", w.general(subject="After"))
    w.later(4)
    w.act(lambda: actions.conclude_due(clock.now()))
    assert Missed.objects.filter(notification=late).count() == 2


def test_mixed_traffic_replays_to_the_live_digests_full_and_public(csbm: CsbmWorld) -> None:
    _traffic(csbm)
    live = (digest(full=False), digest(full=True))
    full = replay()
    assert (full.public_digest, full.full_digest) == live
    assert replay(full=False).public_digest == live[0]


def test_a_replay_reads_neither_the_clock_nor_the_dispatch_table(
    csbm: CsbmWorld, settings: Any
) -> None:
    _traffic(csbm)
    live = (digest(full=False), digest(full=True))
    Dispatch.objects.all().delete()
    settings.ACCORD_CSBM_WEBHOOK_PRIVATE_ADDRESSES = True
    far = datetime(2031, 6, 1, tzinfo=UTC)
    with clock.simulated(lambda: far):
        result = replay()
        public = replay(full=False)
    assert (result.public_digest, result.full_digest) == live
    assert public.public_digest == live[0]
    assert not Dispatch.objects.exists()


# == 5. quotas and state machines =================================================================


def test_a_second_inspection_of_the_same_state_in_a_year_is_refused_unless_force_majeure(
    csbm: CsbmWorld,
) -> None:
    first = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    csbm.forum.refused(
        "inspected_already",
        lambda: actions.notify(AA_HEAD, format="inspection-request", payload=csbm.inspection()),
    )
    csbm.notify(
        BB_HEAD,
        "inspection-reply",
        {"in_reply_to": first, "accepted": False, "force_majeure": True, "reason": "Flood"},
    )
    assert Case.objects.get(entry_index=first).counted is False
    again = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    assert Case.objects.get(entry_index=again).counted is True


def test_an_accepted_inspection_is_not_declined_for_force_majeure(csbm: CsbmWorld) -> None:
    """Force majeure (VD2011 §77) is why a visit does not take place; an accepted visit that
    claims it would take place uncounted, and the quota would never be used."""
    first = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    before = size()
    with pytest.raises(Rejected):
        csbm.act(
            lambda: actions.notify(
                BB_HEAD,
                format="inspection-reply",
                payload={"in_reply_to": first, "accepted": True, "force_majeure": True},
            )
        )
    assert size() == before
    assert Case.objects.get(entry_index=first).counted is True


def test_the_passive_quota_is_counted_over_requesters(csbm: CsbmWorld) -> None:
    rules = rules_at(1).inspection
    assert rules.passive_per_year.value >= 1
    # AA and DD inspect BB; with three parties the quota is reached only if it is two or less
    csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    csbm.notify(DD_HEAD, "inspection-request", csbm.inspection())
    used = Case.objects.filter(kind="inspection", counterpart="BB", counted=True).count()
    assert used == 2


def test_evaluation_caps_per_unit_and_per_requester(csbm: CsbmWorld) -> None:
    """600 units reported: a quota of 10 visits, 2 from one requester, 2 to one unit, 1 to one
    unit from one requester (VD2011 §107–§109, the shipped profile)."""
    csbm.notify(BB_HEAD, "annual-exchange", csbm.exchange(units=600))

    def visit(head: Actor, unit: str) -> Any:
        payload = {
            "receiving_state": "BB",
            "unit": unit,
            "requested_on": csbm.day(9),
            "team_size": 2,
        }
        return lambda: actions.notify(head, format="evaluation-request", payload=payload)

    refused = csbm.forum.refused
    csbm.act(visit(AA_HEAD, "Brigade 1"))
    refused("unit_visited", visit(AA_HEAD, "Brigade 1"))
    csbm.act(visit(DD_HEAD, "Brigade 1"))
    refused("unit_visited", visit(DD_HEAD, "Brigade 1"))
    csbm.act(visit(AA_HEAD, "Brigade 2"))
    refused("inspected_already", visit(AA_HEAD, "Brigade 3"))
    refused("unknown_unit", visit(DD_HEAD, "Brigade 999"))
    refused("wrong_recipients", visit(BB_HEAD, "Brigade 2"))


def test_a_late_reply_does_not_undo_a_meeting_already_requested(csbm: CsbmWorld) -> None:
    """Request, no reply, the bilateral meeting is asked for once the reply is overdue, then
    the reply comes late: the consultation stays at the meeting (reference/csbm.md §8, the
    state machine only moves forward), and the same meeting is not requested twice."""
    request = csbm.notify(AA_HEAD, "clarification-request", request_of("BB"))
    csbm.later(49)
    meeting = {"in_reply_to": request, "proposed_place": "Vienna", "agenda": "The movements"}
    csbm.notify(AA_HEAD, "bilateral-meeting-request", meeting)
    csbm.notify(BB_HEAD, "clarification-reply", {"in_reply_to": request, "reply": "Late."})
    assert Case.objects.get(entry_index=request).state == "bilateral_meeting_requested"
    csbm.forum.refused(
        "meeting_requested",
        lambda: actions.notify(AA_HEAD, format="bilateral-meeting-request", payload=meeting),
    )


def test_replies_meetings_and_closing_after_a_case_is_closed_are_refused(csbm: CsbmWorld) -> None:
    request = csbm.notify(AA_HEAD, "clarification-request", request_of("BB"))
    csbm.forum.refused(
        "not_your_turn",
        lambda: actions.close_case(BB_HEAD, request, outcome="satisfied"),
    )
    csbm.act(lambda: actions.close_case(AA_HEAD, request, outcome="withdrawn"))
    refused = csbm.forum.refused
    refused("case_closed", lambda: actions.close_case(AA_HEAD, request, outcome="satisfied"))
    refused(
        "case_closed",
        lambda: actions.notify(
            BB_HEAD, format="clarification-reply", payload={"in_reply_to": request, "reply": "x"}
        ),
    )
    csbm.later(49)
    meeting = {"in_reply_to": request, "proposed_place": "Vienna", "agenda": "x"}
    refused(
        "case_closed",
        lambda: actions.notify(AA_HEAD, format="all-parties-meeting-request", payload=meeting),
    )


def test_a_report_needs_an_accepted_inspection_and_comes_once(csbm: CsbmWorld) -> None:
    first = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    report = {"in_reply_to": first, "findings": "As notified."}
    csbm.forum.refused(
        "not_accepted",
        lambda: actions.notify(AA_HEAD, format="inspection-report", payload=report),
    )
    csbm.notify(BB_HEAD, "inspection-reply", {"in_reply_to": first, "accepted": True})
    csbm.notify(AA_HEAD, "inspection-report", report)
    csbm.forum.refused(
        "not_accepted",
        lambda: actions.notify(AA_HEAD, format="inspection-report", payload=report),
    )
    csbm.forum.refused(
        "wrong_request",
        lambda: actions.notify(
            AA_HEAD,
            format="bilateral-meeting-request",
            payload={"in_reply_to": first, "proposed_place": "x", "agenda": "y"},
        ),
    )


def test_corrections_supersede_once_and_only_ones_own_of_the_same_format(
    csbm: CsbmWorld,
) -> None:
    first = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    second = csbm.notify(AA_HEAD, "prior-notification", csbm.prior(supersedes=first))
    third = csbm.notify(AA_HEAD, "prior-notification", csbm.prior(supersedes=second))
    assert Notification.objects.get(entry_index=second).superseded_by == third
    refused = csbm.forum.refused
    refused(
        "superseded",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(supersedes=first)
        ),
    )
    refused(
        "not_yours",
        lambda: actions.notify(
            DD_HEAD,
            format="prior-notification",
            payload=csbm.prior(supersedes=third, states_involved=["DD"]),
        ),
    )
    refused(
        "not_yours",
        lambda: actions.notify(
            AA_HEAD, format="general-communication", payload=csbm.general(supersedes=third)
        ),
    )
    refused(
        "no_notification",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(supersedes=10**6)
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_the_last_quota_place_take_it_once() -> None:
    """Two threads, two connections, the same last place: the log's write lock serialises
    the quota count, so one is taken and one is refused with the rule."""
    worlds = build()
    w = next(worlds)
    # BB's quota of inspections (per requester 1): AA and DD both ask for the last place when
    # the profile allows one a year in all
    from tests.csbm.test_profile import _adopt, _amended  # noqa: PLC0415 -- its helpers

    _adopt(
        w,
        _amended(
            {"inspection.passive_per_year": {"value": 1, "ref": "Forum decision", "status": "V"}}
        ),
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask(head: Actor) -> None:
        barrier.wait()
        try:
            for _attempt in range(200):  # SQLite's shared in-memory test database says
                try:  # "locked" where a file database would wait: the client tries again
                    with clock.simulated(w.forum.ticking):
                        actions.notify(head, format="inspection-request", payload=w.inspection())
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
                    continue
                except Rejected as refusal:
                    outcomes.append(refusal.code)
                    return
                outcomes.append("taken")
                return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(head,)) for head in (AA_HEAD, DD_HEAD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["quota_exhausted", "taken"], outcomes
    assert Case.objects.filter(kind="inspection", counterpart="BB", counted=True).count() == 1


# == 6. deadlines =================================================================================


def _rules(weekend: list[int], holidays: list[str] | None = None) -> Any:
    data = CsbmRules().model_dump()
    data["acknowledgement"]["weekend"] = weekend
    data["acknowledgement"]["holidays"] = holidays or []
    return CsbmRules.model_validate(data).acknowledgement


def test_working_days_skip_weekends_and_holidays_and_keep_the_time_of_day() -> None:
    rules = _rules([5, 6], ["2026-03-09"])
    period = rules.within.model_copy(update={"amount": 2, "unit": "working_days"})
    friday = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
    assert due(friday, period, rules) == datetime(2026, 3, 11, 17, 30, tzinfo=UTC)
    saturday = datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    assert due(saturday, period, rules) == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    zero = period.model_copy(update={"amount": 0})
    assert due(friday, zero, rules) == friday


@pytest.mark.parametrize(
    "weekend", [[0, 1, 2, 3, 4, 5, 6], [7], [-1]], ids=["every-day", "8th", "negative"]
)
def test_a_profile_whose_weekend_is_no_weekday_or_every_day_is_refused(weekend: list[int]) -> None:
    """A working-day deadline under a profile with no working day never ends: ``due`` would
    loop for ever inside the log's write lock, on every notification. Weekdays are 0–6, once
    each, and at least one is a working day."""
    with pytest.raises(ValidationError):
        _rules(weekend)


def test_the_forum_cannot_even_propose_a_profile_without_a_working_day(csbm: CsbmWorld) -> None:
    """Once adopted, every notification's ``apply`` would call ``due`` on it under the log's
    write lock and never return: the whole log would stop. The proposal is the place to
    refuse it."""
    from tests.csbm.test_profile import _amended  # noqa: PLC0415 -- its helper

    profile = _amended({"acknowledgement.weekend": [0, 1, 2, 3, 4, 5, 6]})
    before = size()
    with pytest.raises(Rejected):
        csbm.act(lambda: forum_actions.propose_profile(AA_HEAD, profile))
    assert size() == before


def test_a_profile_with_junk_holidays_is_refused() -> None:
    with pytest.raises(ValidationError):
        _rules([5, 6], ["not a date"])


def test_an_amendment_between_a_notification_and_its_missed_deadline_changes_nothing(
    csbm: CsbmWorld,
) -> None:
    from tests.csbm.test_profile import _adopt, _amended  # noqa: PLC0415 -- its helpers

    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    kept = Delivery.objects.get(notification=entry, recipient="BB").ack_due
    _adopt(
        csbm,
        _amended(
            {
                "acknowledgement.within": {
                    "amount": 30,
                    "unit": "calendar_days",
                    "ref": "Forum decision",
                    "status": "V",
                }
            }
        ),
    )
    csbm.later(24 * 6)
    csbm.act(lambda: actions.record_missed(SECRETARIAT, entry, party="BB", what="acknowledgement"))
    missed = Missed.objects.get(notification=entry, party="BB")
    assert (missed.due_at, missed.profile_version) == (kept, 1)
    assert replay().full_digest == digest(full=True)


# == 7. junk input ================================================================================


def test_junk_to_the_api_is_a_4xx_never_a_500(csbm: CsbmWorld) -> None:
    bearer = token("aa.head")
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    before = size()
    for path, body in (
        ("/csbm/notifications", "{not json"),
        ("/csbm/notifications", "[]"),
        ("/csbm/notifications", '{"format": "general-communication", "payload": "text"}'),
        ("/csbm/notifications", {"format": "general-communication", "payload": {"x": 1.5}}),
        ("/csbm/notifications", {"format": "x" * 10_000, "payload": {}}),
        ("/csbm/notifications", {"format": "general-communication", "content": -1}),
        ("/csbm/notifications", {"format": "general-communication", "content": 2**70}),
        ("/csbm/notifications", {"format": "general-communication", "content": 10**6}),
        (
            "/csbm/notifications",
            {"format": "general-communication", "payload": csbm.general(text="a\x00b")},
        ),
        (
            "/csbm/notifications",
            {"format": "general-communication", "payload": csbm.general(text="x" * 2_000_000)},
        ),
        (
            "/csbm/notifications",
            {
                "format": "prior-notification",
                "payload": csbm.prior(starts_on="2020-01-01", ends_on="2020-01-02"),
            },
        ),
        (
            "/csbm/notifications",
            {"format": "prior-notification", "payload": csbm.prior(forces={"troops": 10**30})},
        ),
        (
            "/csbm/notifications",
            {"format": "prior-notification", "payload": csbm.prior(starts_on="2026-02-30")},
        ),
        ("/csbm/contents", {"format": "general-communication", "payload": [], "distribution": "x"}),
        ("/csbm/notifications/abc/acknowledgement", {}),
        (f"/csbm/notifications/{2**70}/acknowledgement", {}),
        (f"/csbm/notifications/{entry}/acknowledgement", {}),  # one's own
        ("/csbm/cases/-5/closing", {"outcome": "withdrawn"}),
        (f"/csbm/cases/{entry}/closing", {"outcome": "exploded"}),
        (f"/csbm/cases/{2**63}/closing", {"outcome": "withdrawn"}),
        (f"/csbm/notifications/{entry}/missed", {"party": "BB" * 100, "what": "nothing"}),
        ("/csbm/webhook", {"url": "http://169.254.169.254/latest"}),
        ("/csbm/webhook", {"url": "https://10.0.0.1/"}),
        ("/csbm/webhook", {"url": "https://[::1]/"}),
        ("/csbm/webhook", {"url": "https://user:pw@bb.example/"}),
        ("/csbm/webhook", {"url": "https://" + "a" * 3000 + ".example/"}),
        ("/csbm/webhook", {"url": "javascript:alert(1)"}),
    ):
        answer = api_post(csbm, path, body, bearer)
        assert 400 <= answer.status_code < 500, (path, str(body)[:120], answer.status_code)
    assert size() == before
    for path in (
        "/csbm/notifications/abc",
        f"/csbm/notifications/{2**70}",
        "/csbm/notifications/-1",
        "/csbm/notifications?box=everything",
        "/csbm/threshold?troops=-1",
        "/csbm/threshold?troops=abc",
        f"/csbm/threshold?troops={10**30}",
        "/csbm/threshold?start=yesterday",
        "/csbm/compliance/abc",
        f"/csbm/compliance/{2**70}",
        "/csbm/compliance/-2026",
        "/csbm/schemas/..%2F..%2Fetc",
        "/csbm/schemas/" + "x" * 5000,
    ):
        answer = api_get(csbm, path, bearer)
        assert 400 <= answer.status_code < 500, (path, answer.status_code)


def test_junk_to_the_pages_is_a_4xx_or_a_form_error_never_a_500(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    aa = signed_in("aa.head")
    aa.raise_request_exception = False  # a 500 is counted, not raised, so every path is tried
    paths = (
        f"/csbm/notifications/{2**70}/",
        "/csbm/notifications/abc/",
        "/csbm/inspections/?year=abc",
        f"/csbm/inspections/?year={10**30}",
        "/csbm/inspections/?year=-40",
        f"/csbm/compliance/{10**30}/",
        f"/csbm/compliance/{10**30}.csv",
        f"/csbm/compliance/{10**30}.json",
        "/csbm/compliance/99999.json",
        "/csbm/threshold/?troops=-5",
        f"/csbm/threshold/?troops={10**30}",
        "/csbm/threshold/?troops=abc&starts_on=2026-02-30",
        "/csbm/threshold/?starts_on=tomorrow",
        "/csbm/notify/?format=../../etc/passwd",
        "/csbm/notify/?format=prior-notification&starts_on=%00",
        "/csbm/deadlines/%00.ics",
        "/csbm/deadlines/" + "A" * 5000 + ".ics",
        "/csbm/?overdue=%00",
    )
    crashed = [path for path in paths if read(csbm, aa, path).status_code >= 500]
    assert crashed == []  # on PostgreSQL a NUL in a party code reached the database
    before = size()
    with clock.simulated(csbm.forum.ticking):
        for path, data in (
            ("/csbm/notify/", {"format": "no-such"}),
            ("/csbm/notify/", {"format": "prior-notification", "forces_troops": "-1"}),
            ("/csbm/notify/", {"format": "general-communication", "subject": "\x01", "text": "x"}),
            (f"/csbm/notifications/{entry}/acknowledge/", {"notification": "abc"}),
            (f"/csbm/cases/{entry}/close/", {"outcome": "exploded"}),
            (f"/csbm/notifications/{entry}/missed/", {"party": "ZZ", "what": "x"}),
            ("/csbm/webhook/", {"url": "http://127.0.0.1/"}),
            ("/csbm/seal/", {"format": "x", "payload": "{not json"}),
        ):
            answer = aa.post(path, data)
            assert 400 <= answer.status_code < 500, (path, answer.status_code)
    assert size() == before


def _cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_junk_to_the_cli_exits_non_zero_with_a_sentence_not_a_traceback(
    csbm: CsbmWorld, tmp_path: Any
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(csbm.general(text="x" * 3_000_000)), encoding="utf-8")
    before = size()
    with clock.simulated(csbm.forum.ticking):
        for args in (
            ("csbm", "notify", "general-communication", "--file", str(bad), "--as", "AA"),
            ("csbm", "notify", "general-communication", "--file", str(listed), "--as", "AA"),
            ("csbm", "notify", "general-communication", "--file", str(huge), "--as", "AA"),
            ("csbm", "notify", "no-such", "--file", str(listed), "--as", "AA"),
            (
                "csbm",
                "notify",
                "general-communication",
                "--file",
                str(tmp_path / "nope.json"),
                "--as",
                "AA",
            ),
            ("csbm", "ack", "abc", "--as", "BB"),
            ("csbm", "ack", str(2**70), "--as", "BB"),
            ("csbm", "ack", "-3", "--as", "BB"),
            ("csbm", "threshold", "--troops", "-5"),
            ("csbm", "threshold", "--troops", str(10**30)),
            ("csbm", "threshold", "--troops", "10", "--start", "2026-02-30"),
            ("csbm", "compliance", "--year", "abc"),
            ("csbm", "compliance", "--year", str(10**30)),
            ("csbm", "compliance", "--year", "2026", "--format", "xml"),
            ("csbm", "schema", "no-such"),
            ("csbm", "inbox", "--as", "ZZ"),
        ):
            done = _cli(*args)
            assert done.exit_code != 0, args
            assert done.exception is None or isinstance(done.exception, SystemExit), (
                args,
                repr(done.exception),
            )
    assert size() == before
