"""Reminders the conference owes the delegations, queued in the outbox by the scheduler.

The day before a meeting starts, every accredited person of every party that named a
delegation to its edition receives one e-mail about it: a link to the meeting's page, its
title, its time in the edition's own time zone and its room. Nothing restricted goes out: a
meeting's title, time and room are public on its page. Each meeting is reminded once: the
outbox rows the first round leaves (``about``) are how the next round knows; a meeting whose
edition has no delegation yet is reminded by a later round, once one is named.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from accord.dialogue.models import Delegation, Edition, Meeting
from accord.dialogue.statements import moment_of
from accord.forum import queries as forum_queries
from accord.ledger import outbox

REMINDER_BEFORE = timedelta(days=1)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _addresses(edition: int) -> list[str]:
    """Every accredited person of the parties with a delegation to ``edition``; three queries."""
    parties = set(Delegation.objects.filter(edition=edition).values_list("party", flat=True))
    handles = {
        accreditation.handle
        for accreditation in forum_queries.accreditations()
        if accreditation.party in parties
    }
    return sorted({person.email for person in forum_queries.accounts() if person.handle in handles})


def link(meeting: int) -> str:
    base = str(settings.SITE_URL or "").rstrip("/")
    return f"{base}/conference/meetings/{meeting}"


def when(meeting: Meeting, edition: Edition) -> str:
    """The meeting's day and hours as people write them, in the edition's time zone:
    "15 October 2026, 10:00 to 13:00 (Europe/Minsk)"."""
    zone = ZoneInfo(edition.time_zone)
    starts = moment_of(meeting.starts_at).astimezone(zone)
    ends = moment_of(meeting.ends_at).astimezone(zone)
    day = f"{starts.day} {MONTHS[starts.month - 1]} {starts.year}"
    if ends.date() != starts.date():
        until = f"{ends.day} {MONTHS[ends.month - 1]} {ends.year}, {ends:%H:%M}"
    else:
        until = f"{ends:%H:%M}"
    return f"{day}, {starts:%H:%M} to {until} ({edition.time_zone})"


def about(meeting: int) -> str:
    return f"dialogue.meeting.reminder:{meeting}"


def remind(now: datetime) -> int:
    """Queue the day-before reminder of each meeting starting within a day, once; returns how
    many meetings were reminded. A few queries per meeting."""
    reminded = 0
    for meeting in Meeting.objects.order_by("entry_index"):
        starts = moment_of(meeting.starts_at)
        if not now < starts <= now + REMINDER_BEFORE:
            continue
        if outbox.queued_about(about(meeting.entry_index)):
            continue
        edition = Edition.objects.get(entry_index=meeting.edition)
        addresses = _addresses(edition.entry_index)
        if not addresses:
            continue
        subject = f"Tomorrow: {meeting.title}, {edition.title}"
        body = (
            f"{meeting.title} (meeting {meeting.number} of {edition.title}, {edition.city})\n"
            f"When: {when(meeting, edition)}\n"
            f"Room: {meeting.room}\n\n"
            f"{link(meeting.entry_index)}\n"
        )
        for address in addresses:
            outbox.queue_email(
                address,
                subject,
                body,
                entry_index=meeting.entry_index,
                about=about(meeting.entry_index),
            )
        reminded += 1
    return reminded


def reminders(now: datetime) -> list[str]:
    """The scheduler's job (``dialogue.reminders``): the day-before reminders of meetings."""
    reminded = remind(now)
    if not reminded:
        return []
    meetings = "meeting" if reminded == 1 else "meetings"
    return [f"Reminded the delegations of {reminded} {meetings} starting within a day."]
