"""The scheduler's round reminds the delegations of an edition the day before each meeting,
once, with the meeting's time in the edition's own time zone and nothing restricted."""

from datetime import timedelta

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.dialogue import actions, notices
from accord.ledger.models import OutboxMessage
from accord.ledger.schedule import run_due
from accord.lib import clock
from tests.dialogue.world import AA_HEAD, OPENS, ConferenceWorld, at

pytestmark = pytest.mark.django_db

DELEGATES = ["aa.adviser@example.org", "aa.delegate@example.org", "aa.head@example.org"]
RECIPIENTS = sorted([*DELEGATES, "bb.head@example.org"])


def _round(conference: ConferenceWorld) -> list[str]:
    with clock.simulated(conference.forum.ticking):
        found = run_due(clock.now())
    assert found.failed == []
    return [line for line in found.done if "meeting" in line]


def _reminders(meeting: int) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(payload__about=notices.about(meeting)).order_by("id"))


def test_a_round_reminds_each_meeting_starting_within_a_day_once(
    conference: ConferenceWorld,
) -> None:
    closing = conference.charter.forum.act(
        lambda: actions.add_meeting(
            AA_HEAD,
            conference.edition,
            title="Closing plenary",
            starts_at=at(OPENS + timedelta(days=1, hours=4)),  # 14:00 in Minsk, 31 October
            ends_at=at(OPENS + timedelta(days=1, hours=6)),
            room="Room A",
            languages=["en", "ru"],
        )
    ).index
    assert _round(conference) == ["Reminded the delegations of 1 meeting starting within a day."]
    assert _reminders(conference.opening) == []  # it has begun already
    sent = _reminders(conference.working)
    assert sorted(message.payload["to"] for message in sent) == RECIPIENTS
    first = sent[0].payload
    assert first["subject"] == "Tomorrow: Working group on confidence-building, First Conference"
    assert "When: 30 October 2025, 14:00 to 17:00 (Europe/Minsk)" in first["body"]
    assert "Room: Room B" in first["body"]
    assert first["body"].rstrip().endswith(f"/conference/meetings/{conference.working}")
    assert _reminders(closing) == []  # 28 hours away

    assert _round(conference) == []  # reminded once
    assert len(_reminders(conference.working)) == len(RECIPIENTS)

    conference.later(5 * 60)
    assert _round(conference) == ["Reminded the delegations of 1 meeting starting within a day."]
    assert len(_reminders(closing)) == len(RECIPIENTS)
    assert (
        "When: 31 October 2025, 14:00 to 16:00 (Europe/Minsk)"
        in (_reminders(closing)[0].payload["body"])
    )


def test_only_the_parties_with_a_delegation_are_reminded(conference: ConferenceWorld) -> None:
    _round(conference)
    addresses = {message.payload["to"] for message in _reminders(conference.working)}
    assert "cc.head@example.org" not in addresses  # invited, no delegation
    assert "sec.clerk@example.org" not in addresses


def test_a_meeting_of_an_edition_without_delegations_waits_for_one(
    conference: ConferenceWorld,
) -> None:
    conference.later(3 * 24 * 60)
    second = conference.charter.forum.act(
        lambda: actions.create(
            AA_HEAD,
            series="first-conference",
            series_title="Conference for Dialogue",
            title="Second Conference",
            city="Minsk",
            time_zone="Europe/Minsk",
            starts_on="2025-11-03",
            ends_on="2025-11-03",
            chair="AA",
            languages=["en"],
        )
    ).index
    meeting = conference.charter.forum.act(
        lambda: actions.add_meeting(
            AA_HEAD,
            second,
            title="Plenary",
            starts_at="2025-11-03T07:00:00Z",
            ends_at="2025-11-03T09:00:00Z",
            room="Room A",
            languages=["en"],
        )
    ).index
    assert _round(conference) == []
    assert _reminders(meeting) == []
    conference.charter.forum.act(
        lambda: actions.name_delegation(
            AA_HEAD, second, [{"handle": "aa.head", "function": "head", "level": "minister"}]
        )
    )
    assert _round(conference) == ["Reminded the delegations of 1 meeting starting within a day."]
    assert sorted(message.payload["to"] for message in _reminders(meeting)) == DELEGATES


def test_a_reminder_links_the_meeting_at_the_sites_own_address(
    conference: ConferenceWorld, settings: SettingsWrapper
) -> None:
    settings.SITE_URL = "https://forum.example.org/"
    assert _round(conference) == ["Reminded the delegations of 1 meeting starting within a day."]
    body = _reminders(conference.working)[0].payload["body"]
    assert body.rstrip().endswith(
        f"https://forum.example.org/conference/meetings/{conference.working}"
    )
