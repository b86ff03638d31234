"""Reminders of CSBM deadlines, queued once each in the outbox, with a link only: the party
that owes an acknowledgement or a reply before it falls due, the secretariat when it passes.

AA notifies; BB and DD owe acknowledgements (two working days under the default profile),
BB owes the reply to AA's request for clarification (48 hours).
"""

from datetime import datetime, timedelta

from accord.csbm import actions, notices
from accord.csbm.models import Delivery
from accord.ledger.envelope import parse_time
from accord.ledger.models import OutboxMessage
from accord.lib import clock
from tests.csbm.world import AA_HEAD, BB_HEAD, CsbmWorld

RESTRICTED = ("Union Shield", "Training ranges north of the capital")


def a_round(csbm: CsbmWorld) -> list[str]:
    return csbm.act(lambda: notices.reminders(clock.now()))


def reminders_to(address: str) -> list[OutboxMessage]:
    return [
        row
        for row in OutboxMessage.objects.order_by("pk")
        if row.payload.get("to") == address
        and str(row.payload.get("about", "")).startswith("csbm.reminder:")
    ]


def test_a_recipient_is_reminded_once_before_the_acknowledgement_falls_due(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    assert a_round(csbm) == []  # days before the deadline: nothing yet
    assert reminders_to("bb.head@example.org") == []
    csbm.forum.ticking.moment = due_of(entry, "BB") - timedelta(hours=12)
    done = a_round(csbm)
    assert done == ["Reminded delegations of 2 CSBM deadlines falling due."]
    [reminder] = reminders_to("bb.head@example.org")
    body = reminder.payload["body"]
    assert f"The acknowledgement of entry {entry}, a prior notification of a military" in body
    assert f"/csbm/notifications/{entry}" in body
    for words in RESTRICTED:
        assert words not in body
        assert words not in reminder.payload["subject"]
    assert reminder.payload["about"] == f"csbm.reminder:acknowledgement:{entry}:BB:before"
    assert a_round(csbm) == []
    assert len(reminders_to("bb.head@example.org")) == 1


def test_an_acknowledged_notification_is_not_reminded(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    csbm.act(lambda: actions.acknowledge(BB_HEAD, entry))
    csbm.forum.ticking.moment = due_of(entry, "BB") - timedelta(hours=1)
    a_round(csbm)
    assert reminders_to("bb.head@example.org") == []
    assert len(reminders_to("dd.head@example.org")) == 1


def test_the_secretariat_is_told_once_when_a_deadline_passes_unmet(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    csbm.act(lambda: actions.acknowledge(BB_HEAD, entry))
    csbm.forum.ticking.moment = due_of(entry, "DD") + timedelta(minutes=5)
    done = a_round(csbm)
    assert "Told the secretariat of 1 CSBM deadlines that passed unmet." in done
    [told] = reminders_to("sec.clerk@example.org")
    assert f"State D did not acknowledge entry {entry}" in told.payload["body"]
    assert told.payload["about"] == f"csbm.reminder:acknowledgement:{entry}:DD:expired"
    a_round(csbm)
    assert len(reminders_to("sec.clerk@example.org")) == 1
    csbm.later(24 * 30)  # long after: old news is not sent
    a_round(csbm)
    assert len(reminders_to("sec.clerk@example.org")) == 1


def test_a_short_deadline_is_reminded_halfway_and_a_reply_is_reminded_too(
    csbm: CsbmWorld,
) -> None:
    request = csbm.notify(
        AA_HEAD,
        "clarification-request",
        {
            "requested_state": "BB",
            "activity": "Armour moving west",
            "location": "Near the border",
            "reasons": "Not in any calendar.",
        },
    )
    csbm.later(20)  # 48 hours to reply: reminded after 24, not at 20
    a_round(csbm)
    abouts = [row.payload["about"] for row in reminders_to("bb.head@example.org")]
    assert f"csbm.reminder:reply:{request}:BB:before" not in abouts
    csbm.later(5)
    a_round(csbm)
    abouts = [row.payload["about"] for row in reminders_to("bb.head@example.org")]
    assert f"csbm.reminder:reply:{request}:BB:before" in abouts


def due_of(entry: int, party: str) -> datetime:
    return parse_time(Delivery.objects.get(notification=entry, recipient=party).ack_due)


def test_nobody_is_written_to_without_an_address(csbm: CsbmWorld) -> None:
    assert notices.contacts("CC") == ["cc.head@example.org"]
    assert notices.contacts("nowhere") == []
    assert notices.reached(["AA", "BB", "nowhere"]) == {"AA", "BB"}
