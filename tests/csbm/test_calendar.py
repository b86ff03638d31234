"""Each party's deadlines as an iCalendar feed (RFC 5545): what it owes, with the rule, the
same bytes for the same log, nothing restricted, and only for that party's own readers.

AA notifies BB and DD; AA asks BB for clarification, so BB owes two acknowledgements and
a reply. ``aa.head`` reads for AA, ``bb.head`` for BB, ``sec.clerk`` for the secretariat,
``cc.head`` for CC (invited, not participating).
"""

from django.test import Client

from accord.csbm import actions, calendar
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.csbm.world import AA_HEAD, DD_HEAD, CsbmWorld
from tests.forum.world import signed_in

RESTRICTED = (b"Union Shield", b"Armour moving west", b"Near the border", b"calendar.")


def traffic(csbm: CsbmWorld) -> tuple[int, int]:
    prior = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
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
    return prior, request


def unfolded(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def test_the_feed_holds_what_the_party_owes_with_the_rule(csbm: CsbmWorld) -> None:
    prior, request = traffic(csbm)
    data = csbm.act(lambda: calendar.deadlines_ics("BB"))
    lines = unfolded(data)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert lines[-1] == ""
    assert lines.count("BEGIN:VEVENT") == 3  # two acknowledgements and a reply
    uids = [line for line in lines if line.startswith("UID:")]
    assert f"UID:csbm-acknowledgement-{prior}-BB@forum.example/forum" in uids
    assert f"UID:csbm-reply-{request}-BB@forum.example/forum" in uids
    text = "\n".join(lines)
    assert "Acknowledgement due 2 working days after the log took the notification" in text
    assert "Reply due 48 hours after the log took the request (VD2011 §16.1.2 [S])" in text
    assert f"SUMMARY:Reply to entry {request}: Request for clarification" in text
    for words in RESTRICTED:
        assert words not in data
    assert all(len(line) <= 77 for line in data.split(b"\n"))  # 75 octets and CRLF
    assert csbm.act(lambda: calendar.deadlines_ics("BB")) == data


def test_what_is_met_leaves_the_feed_and_the_sender_owes_nothing(csbm: CsbmWorld) -> None:
    prior, _request = traffic(csbm)
    csbm.act(lambda: actions.acknowledge(DD_HEAD, prior))
    dd = unfolded(csbm.act(lambda: calendar.deadlines_ics("DD")))
    assert dd.count("BEGIN:VEVENT") == 1  # the clarification request's acknowledgement
    assert not [line for line in dd if f"-{prior}-" in line]
    aa = unfolded(csbm.act(lambda: calendar.deadlines_ics("AA")))
    assert "BEGIN:VEVENT" not in aa


def test_a_missed_deadline_stays_in_the_feed_and_says_so(csbm: CsbmWorld) -> None:
    prior, _request = traffic(csbm)
    csbm.later(24 * 10)
    csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    text = "\n".join(unfolded(csbm.act(lambda: calendar.deadlines_ics("BB"))))
    assert text.count("The deadline passed\\; the secretariat recorded it as missed.") == 3
    assert f"-{prior}-BB@" in text


def test_a_party_reads_its_own_feed_signed_in_or_with_a_token(csbm: CsbmWorld) -> None:
    traffic(csbm)
    page = signed_in("bb.head").get("/csbm/deadlines/BB.ics")
    assert page.status_code == 200
    assert page["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    assert page.content.count(b"BEGIN:VEVENT") == 3
    person = Person.objects.get(handle="bb.head")
    token = people_actions.issue_api_token(person, "calendar", second_factor=True)
    fetched = Client().get("/csbm/deadlines/BB.ics", headers={"authorization": f"Bearer {token}"})
    assert fetched.status_code == 200
    assert fetched.content == page.content
    assert signed_in("sec.clerk").get("/csbm/deadlines/BB.ics").status_code == 200


def test_others_get_403_and_an_unknown_party_404(csbm: CsbmWorld) -> None:
    traffic(csbm)
    assert Client().get("/csbm/deadlines/BB.ics").status_code == 403
    assert signed_in("aa.head").get("/csbm/deadlines/BB.ics").status_code == 403
    assert signed_in("cc.head").get("/csbm/deadlines/BB.ics").status_code == 403
    bad = Client().get("/csbm/deadlines/BB.ics", headers={"authorization": "Bearer nonsense"})
    assert bad.status_code == 403
    assert b"BEGIN:VCALENDAR" not in bad.content
    assert signed_in("bb.head").get("/csbm/deadlines/ZZ.ics").status_code == 404
    assert Client().post("/csbm/deadlines/BB.ics").status_code == 405
