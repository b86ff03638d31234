"""The CSBM API for national systems. Adversarial first: a restricted content reaches only
its sender, its recipients and the secretariat, whatever token (or none) asks; every
refusal names what is wrong and leaves the log as it was. Then the acts and the reads.

The world (tests/csbm/world.py): AA, BB and DD participate, CC is invited and does not, so
CC's token is the outsider's; a general communication from AA goes to BB and DD, a
hazardous-incident report to the addressee it names alone."""

import json
from typing import Any

import pytest
from django.test import Client

from accord.csbm.models import Delivery, Notification, Sealed
from accord.ledger.digest import digest
from accord.ledger.models import Entry, LogState
from accord.lib import clock
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.csbm.world import AA_HEAD, CsbmWorld

pytestmark = pytest.mark.django_db

GENERAL = "general-communication"
SECRET = "The third battalion crosses the river at dawn"


def token(handle: str) -> str:
    person = Person.objects.get(handle=handle)
    return people_actions.issue_api_token(person, "tests", second_factor=True)


def post(w: CsbmWorld, path: str, body: dict[str, Any], handle: str | None) -> Any:
    headers = {"authorization": f"Bearer {token(handle)}"} if handle else {}
    with clock.simulated(w.forum.ticking):
        return Client().post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
        )


def get(w: CsbmWorld, path: str, handle: str | None = None, bearer: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token(handle)}"} if handle else {}
    if bearer is not None:
        headers = {"authorization": f"Bearer {bearer}"}
    with clock.simulated(w.forum.ticking):
        return Client().get(f"/api/v1{path}", headers=headers)


def incident(w: CsbmWorld, to: str = "BB") -> dict[str, Any]:
    return {
        "addressees": [to],
        "occurred_at": "2025-01-01T10:00:00Z",
        "location": "The strait",
        "description": SECRET,
        "point_of_contact": "Navy duty officer",
    }


def unchanged(w: CsbmWorld) -> tuple[int, str]:
    return LogState.objects.get().size, digest(full=True)


# -- restricted content stays with those entitled ------------------------------------------------


def test_no_token_an_outsider_or_a_non_recipient_reads_no_restricted_content(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident(csbm, to="BB"))
    for reader in (None, "cc.head", "dd.head"):
        answer = get(csbm, f"/csbm/notifications/{entry}", reader)
        assert answer.status_code == 200
        assert SECRET.encode() not in answer.content, reader
        shown = answer.json()
        assert (shown["readable"], shown["payload"], shown["assessment"]) == (False, None, None)
        assert shown["recipients"] == ["BB"]
    bad = get(csbm, f"/csbm/notifications/{entry}", bearer="not-a-token")
    assert SECRET.encode() not in bad.content
    assert get(csbm, "/csbm/notifications?box=inbox", bearer="not-a-token").status_code == 403


def test_the_sender_a_recipient_and_the_secretariat_read_the_content(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "hazardous-incident", incident(csbm, to="BB"))
    for reader in ("aa.head", "bb.head", "sec.clerk"):
        shown = get(csbm, f"/csbm/notifications/{entry}", reader).json()
        assert shown["readable"] is True, reader
        assert shown["payload"]["description"] == SECRET


def test_no_list_and_no_receipt_carries_the_content(csbm: CsbmWorld) -> None:
    answer = post(
        csbm,
        "/csbm/notifications",
        {"format": "hazardous-incident", "payload": incident(csbm)},
        "aa.head",
    )
    assert answer.status_code == 201, answer.content
    assert SECRET.encode() not in answer.content
    for reader in ("bb.head", "aa.head"):
        for which in ("inbox", "outbox"):
            listed = get(csbm, f"/csbm/notifications?box={which}", reader)
            assert listed.status_code == 200
            assert SECRET.encode() not in listed.content
    for entry in Entry.objects.all():
        assert SECRET.encode() not in bytes(entry.leaf)


def test_an_inbox_needs_a_token(csbm: CsbmWorld) -> None:
    answer = get(csbm, "/csbm/notifications")
    assert answer.status_code == 403
    assert "token" in answer.json()["detail"]


# -- refusals name what is wrong; nothing is written ---------------------------------------------


def test_a_party_that_does_not_participate_is_refused_and_nothing_is_written(
    csbm: CsbmWorld,
) -> None:
    before = unchanged(csbm)
    answer = post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "payload": csbm.general()},
        "cc.head",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] in ("not_permitted", "not_participating")
    assert answer.json()["reason"]
    assert unchanged(csbm) == before
    assert not Sealed.objects.exists()


def test_a_bad_payload_is_a_422_naming_the_field(csbm: CsbmWorld) -> None:
    before = unchanged(csbm)
    body = {"format": "prior-notification", "payload": csbm.prior(forces={"troops": -5})}
    answer = post(csbm, "/csbm/notifications", body, "aa.head")
    assert answer.status_code == 422
    assert answer.json()["code"] == "bad_payload"
    assert "troops" in answer.json()["reason"]
    unknown = post(csbm, "/csbm/notifications", {"format": "nonsense", "payload": {}}, "aa.head")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_format")
    assert unchanged(csbm) == before


def test_recipients_or_facts_other_than_accords_are_refused_naming_the_difference(
    csbm: CsbmWorld,
) -> None:
    before = unchanged(csbm)
    body = {"format": "general-communication", "payload": csbm.general(), "to": ["BB"]}
    wrong_to = post(csbm, "/csbm/notifications", body, "aa.head")
    assert (wrong_to.status_code, wrong_to.json()["code"]) == (422, "wrong_recipients")
    assert "BB, DD" in wrong_to.json()["reason"]
    prior = csbm.prior()
    body = {
        "format": "prior-notification",
        "payload": prior,
        "facts": {"kind": "transfer", "starts_on": prior["starts_on"]},
    }
    wrong_facts = post(csbm, "/csbm/notifications", body, "aa.head")
    assert (wrong_facts.status_code, wrong_facts.json()["code"]) == (422, "facts_mismatch")
    assert "kind" in wrong_facts.json()["reason"]
    assert "ends_on" in wrong_facts.json()["reason"]
    assert unchanged(csbm) == before


def test_a_wrong_schema_version_is_refused(csbm: CsbmWorld) -> None:
    before = unchanged(csbm)
    body = {"format": "general-communication", "schema_version": 9, "payload": csbm.general()}
    answer = post(csbm, "/csbm/notifications", body, "aa.head")
    assert (answer.status_code, answer.json()["code"]) == (422, "unknown_format")
    assert "version 1, not 9" in answer.json()["reason"]
    assert unchanged(csbm) == before


def test_acknowledging_ones_own_or_twice_is_refused(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    before = unchanged(csbm)
    own = post(csbm, f"/csbm/notifications/{entry}/acknowledgement", {}, "aa.head")
    assert (own.status_code, own.json()["code"]) == (422, "own_notification")
    outsider = post(csbm, f"/csbm/notifications/{entry}/acknowledgement", {}, "cc.head")
    assert outsider.status_code == 403
    assert unchanged(csbm) == before
    first = post(csbm, f"/csbm/notifications/{entry}/acknowledgement", {}, "bb.head")
    assert first.status_code == 201, first.content
    before = unchanged(csbm)
    again = post(csbm, f"/csbm/notifications/{entry}/acknowledgement", {}, "bb.head")
    assert (again.status_code, again.json()["code"]) == (422, "acknowledged_already")
    assert unchanged(csbm) == before


def test_an_act_without_a_token_is_refused(csbm: CsbmWorld) -> None:
    before = unchanged(csbm)
    body = {"format": "general-communication", "payload": csbm.general()}
    assert post(csbm, "/csbm/notifications", body, None).status_code == 401
    assert unchanged(csbm) == before


def test_a_private_webhook_address_is_refused(csbm: CsbmWorld) -> None:
    before = unchanged(csbm)
    answer = post(csbm, "/csbm/webhook", {"url": "https://10.0.0.1/hook"}, "aa.head")
    assert (answer.status_code, answer.json()["code"]) == (422, "bad_webhook")
    assert "private" in answer.json()["reason"]
    assert unchanged(csbm) == before


def test_absurd_forces_are_a_422_naming_the_figure(csbm: CsbmWorld) -> None:
    answer = get(csbm, "/csbm/threshold?troops=-1&tanks=999999999")
    assert answer.status_code == 422
    assert answer.json()["code"] == "bad_forces"
    assert "troops" in answer.json()["reason"]
    assert "tanks" in answer.json()["reason"]


# -- acts ------------------------------------------------------------------------------------------


def test_a_notification_sent_through_the_api_reaches_its_recipients_and_is_acknowledged(
    csbm: CsbmWorld,
) -> None:
    answer = post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "payload": csbm.general(), "to": ["BB", "DD"]},
        "aa.head",
    )
    assert answer.status_code == 201, answer.content
    sealed, sent = answer.json()["receipts"]
    assert (sealed["kind"], sent["kind"]) == ("csbm.content.sealed", "csbm.notification.sent")
    found = Notification.objects.get(entry_index=sent["index"])
    assert (found.sender, found.recipients, found.content) == ("AA", ["BB", "DD"], sealed["index"])
    assert found.distribution == "restricted"
    inbox = get(csbm, "/csbm/notifications", "bb.head").json()
    assert [(row["entry_index"], row["state"]) for row in inbox] == [(sent["index"], "due")]
    acked = post(csbm, f"/csbm/notifications/{sent['index']}/acknowledgement", {}, "bb.head")
    assert acked.status_code == 201, acked.content
    assert (
        Delivery.objects.get(notification=sent["index"], recipient="BB").ack_entry
        == (acked.json()["receipts"][0]["index"])
    )
    grid = get(csbm, f"/csbm/notifications/{sent['index']}").json()["grid"]
    assert [(row["recipient"], row["state"]) for row in grid] == [
        ("BB", "acknowledged"),
        ("DD", "due"),
    ]
    outbox = get(csbm, "/csbm/notifications?box=outbox", "aa.head").json()
    assert [(row["acknowledged"], row["state"]) for row in outbox] == [(1, "due")]


def test_a_content_sealed_first_is_sent_by_its_entry(csbm: CsbmWorld) -> None:
    sealed = post(
        csbm,
        "/csbm/contents",
        {"format": "general-communication", "payload": csbm.general()},
        "aa.head",
    )
    assert sealed.status_code == 201, sealed.content
    content = sealed.json()["receipts"][0]["index"]
    assert Sealed.objects.get(entry_index=content).distribution == "restricted"
    before = unchanged(csbm)
    wrong = post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "content": content, "to": ["DD"]},
        "aa.head",
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "wrong_recipients")
    assert unchanged(csbm) == before
    sent = post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "content": content},
        "aa.head",
    )
    assert sent.status_code == 201, sent.content
    (receipt,) = sent.json()["receipts"]
    assert Notification.objects.get(entry_index=receipt["index"]).content == content
    again = post(
        csbm,
        "/csbm/notifications",
        {"format": "general-communication", "content": content},
        "aa.head",
    )
    assert (again.status_code, again.json()["code"]) == (422, "content_sent")


def test_only_the_opener_closes_a_case(csbm: CsbmWorld) -> None:
    request = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection("BB"))
    before = unchanged(csbm)
    other = post(csbm, f"/csbm/cases/{request}/closing", {"outcome": "withdrawn"}, "bb.head")
    assert (other.status_code, other.json()["code"]) == (422, "not_your_turn")
    assert unchanged(csbm) == before
    closed = post(csbm, f"/csbm/cases/{request}/closing", {"outcome": "withdrawn"}, "aa.head")
    assert closed.status_code == 201, closed.content


def test_a_missed_deadline_is_recorded_by_the_secretariat_only_once_it_passed(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    body = {"party": "BB", "what": "acknowledgement"}
    early = post(csbm, f"/csbm/notifications/{entry}/missed", body, "sec.clerk")
    assert (early.status_code, early.json()["code"]) == (422, "not_yet")
    by_party = post(csbm, f"/csbm/notifications/{entry}/missed", body, "aa.head")
    assert by_party.status_code == 403
    csbm.later(24 * 10)
    overdue = get(csbm, "/csbm/notifications?overdue=true", "bb.head").json()
    assert [row["entry_index"] for row in overdue] == [entry]
    recorded = post(csbm, f"/csbm/notifications/{entry}/missed", body, "sec.clerk")
    assert recorded.status_code == 201, recorded.content
    assert Delivery.objects.get(notification=entry, recipient="BB").overdue_entry is not None


def test_a_public_webhook_is_registered(csbm: CsbmWorld) -> None:
    answer = post(csbm, "/csbm/webhook", {"url": "https://ncc.example.org/accord"}, "aa.head")
    assert answer.status_code == 201, answer.content
    entry = Entry.objects.get(index=answer.json()["receipts"][0]["index"])
    assert b"ncc.example.org" not in bytes(entry.leaf)


# -- reads -----------------------------------------------------------------------------------------


def test_the_types_and_their_schemas_are_served(csbm: CsbmWorld) -> None:
    listed = get(csbm, "/csbm/types").json()
    assert len(listed) == 14
    general = next(row for row in listed if "general" in row["id"])
    schema = get(csbm, general["schema_url"].removeprefix("/api/v1")).json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) >= {"subject", "text", "category", "dated"}
    assert get(csbm, "/csbm/schemas/nonsense").status_code == 404


def test_the_threshold_check_gives_the_booleans_the_date_and_the_reasons(csbm: CsbmWorld) -> None:
    shown = get(csbm, "/csbm/threshold?troops=13500&start=2026-06-01").json()
    assert (shown["notifiable"], shown["observable"], shown["constrained"]) == (True, True, True)
    assert shown["notify_by"] == "2026-04-20"
    assert any("9,000" in reason for reason in shown["reasons"])
    assert shown["reasons"][0].startswith(f"Profile version {shown['profile_version']}")
    notified = get(csbm, "/csbm/threshold?troops=10000").json()
    assert (notified["notifiable"], notified["observable"], notified["constrained"]) == (
        True,
        False,
        False,
    )
    quiet = get(csbm, "/csbm/threshold?troops=100").json()
    assert (quiet["notifiable"], quiet["notify_by"]) == (False, None)


def test_the_compliance_picture_is_served_as_json(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    year = Notification.objects.get(entry_index=entry).year
    shown = get(csbm, f"/csbm/compliance/{year}").json()
    assert shown["year"] == year
    aa = next(row for row in shown["parties"] if row["party"] == "AA")
    assert aa["sent"] == 1
    assert get(csbm, "/csbm/compliance/1200").status_code == 422
