"""The conference's calendars, checked against RFC 5545's rules by a small reader of their own
(the venv has no iCalendar library): CRLF line ends, lines of at most 75 octets folded with
one leading space, TEXT escaping, UTC DATE-TIMEs, the required properties of each component."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accord.dialogue import actions, calendar
from accord.dialogue.models import Meeting
from accord.ledger.models import Entry
from accord.lib import clock
from tests.dialogue.world import AA_HEAD, OPENS, ConferenceWorld, at

pytestmark = pytest.mark.django_db


def unfold(data: bytes) -> list[str]:
    """The content lines (§3.1): every physical line ends with CRLF and holds at most 75
    octets of valid UTF-8; a line starting with a space continues the one before."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    lines: list[str] = []
    for line in physical:
        assert len(line) <= calendar.LIMIT, line
        text = line.decode()  # a fold never splits a character
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def unescape(value: str) -> str:
    """A TEXT value back (§3.3.11); an unescaped comma or semicolon would be a list here."""
    out, index = [], 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            assert following in "\\;,nN", value
            index += 2
            continue
        assert char not in ",;", value
        out.append(char)
        index += 1
    return "".join(out)


def events(data: bytes) -> list[dict[str, str]]:
    """The VEVENTs of one VCALENDAR, each property by name, checked for what RFC 5545 requires."""
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        name, _sep, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            for required in ("UID", "DTSTAMP", "DTSTART"):
                assert required in current
            found.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice"
            current[name] = value
    assert current is None
    return found


def utc(value: str) -> datetime:
    """A DATE-TIME in the UTC form (§3.3.5), ``19980119T070000Z``."""
    assert value.endswith("Z"), value
    assert len(value) == len("19980119T070000Z"), value
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def test_a_meeting_is_one_event_in_utc_stamped_when_the_log_recorded_it(
    conference: ConferenceWorld,
) -> None:
    data = calendar.meeting_ics(conference.opening)
    [event] = events(data)
    assert utc(event["DTSTART"]) == OPENS
    assert utc(event["DTEND"]) == OPENS + timedelta(hours=3)
    logged = Entry.objects.get(index=conference.opening).logged_at
    assert utc(event["DTSTAMP"]) == datetime.fromisoformat(logged).replace(microsecond=0)
    assert unescape(event["SUMMARY"]) == "First Conference: Opening plenary"
    assert unescape(event["LOCATION"]) == "Room A, Palace of Independence, Minsk"
    description = unescape(event["DESCRIPTION"])
    assert description.splitlines() == [
        "Meeting 1 of the First Conference, plenary meeting.",
        "Chair: State A",
    ]
    local, _at, domain = event["UID"].partition("@")
    assert local == f"meeting-{conference.opening}"
    assert domain
    conference.later(120)  # the clock moves on; the calendar does not
    assert calendar.meeting_ics(conference.opening) == data


def test_an_edition_holds_every_meeting_in_order_each_with_its_own_uid(
    conference: ConferenceWorld,
) -> None:
    found = events(calendar.edition_ics(conference.edition))
    assert [unescape(event["SUMMARY"]) for event in found] == [
        "First Conference: Opening plenary",
        "First Conference: Working group on confidence-building",
    ]
    assert len({event["UID"] for event in found}) == 2
    assert utc(found[1]["DTSTART"]) == OPENS + timedelta(hours=4)
    single = events(calendar.meeting_ics(conference.working))
    assert single[0]["UID"] == found[1]["UID"]  # a re-download updates the same event


def test_text_is_escaped_and_long_lines_are_folded_between_characters(
    conference: ConferenceWorld,
) -> None:
    title = "Рабочая группа по мерам доверия; часть 2, заседание \\ открытое " * 3
    ticking = conference.forum.ticking
    with clock.simulated(ticking):
        meeting = actions.add_meeting(
            AA_HEAD,
            conference.edition,
            title=title.strip(),
            starts_at=at(OPENS + timedelta(days=1)),
            ends_at=at(OPENS + timedelta(days=1, hours=2)),
            room="Room C; east wing, 2nd floor",
            languages=["ru"],
        ).index
    data = calendar.meeting_ics(meeting)
    assert max(len(line) for line in data.split(b"\r\n")) == calendar.LIMIT  # folded, full
    [event] = events(data)
    assert unescape(event["SUMMARY"]) == f"First Conference: {title.strip()}"
    assert unescape(event["LOCATION"]).startswith("Room C; east wing, 2nd floor, ")
    assert event["LOCATION"].startswith("Room C\\; east wing\\, 2nd floor\\, ")
    assert Meeting.objects.get(entry_index=meeting).number == 3


def test_escape_and_fold_follow_the_rfc() -> None:
    assert calendar.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert calendar.fold("X" * 75) == b"X" * 75 + b"\r\n"
    assert calendar.fold("X" * 76) == b"X" * 75 + b"\r\n X\r\n"
    folded = calendar.fold("Я" * 40)  # two octets each: 37 fit on the first line
    assert folded == ("Я" * 37).encode() + b"\r\n " + ("Я" * 3).encode() + b"\r\n"
    assert calendar.stamp("2025-10-30T07:00:00.123456Z") == "20251030T070000Z"


def test_the_calendars_download_without_sign_in(conference: ConferenceWorld) -> None:
    client = Client()
    edition = client.get(reverse("conference-edition-ics", args=[conference.edition]))
    assert edition.status_code == 200
    assert edition["Content-Type"] == "text/calendar; charset=utf-8"
    assert edition["Content-Disposition"] == 'attachment; filename="first-conference-1.ics"'
    assert len(events(edition.content)) == 2
    meeting = client.get(reverse("conference-meeting-ics", args=[conference.opening]))
    assert meeting.status_code == 200
    assert meeting["Content-Disposition"] == (
        f'attachment; filename="meeting-1-{conference.opening}.ics"'
    )
    assert meeting.content == calendar.meeting_ics(conference.opening)
    assert client.get(reverse("conference-meeting-ics", args=[999999])).status_code == 404
