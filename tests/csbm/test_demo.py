"""The demo holds the forum's first CSBM year (2026): the regime adopted by amendment, every
party's exchange and calendar, five notified exercises and a correction, a consultation and an
inspection, acknowledgements given, late and missing, all between the charter's drafting and
the conference, and the whole log replays to its digests."""

from datetime import UTC, datetime

import pytest

from accord.csbm import demo as csbm_demo
from accord.csbm.models import Case, Delivery, Missed, Notification, Sealed
from accord.csbm.rules import csbm_rules
from accord.forum import demo
from accord.forum.models import ForumParty
from accord.ledger.digest import digest
from accord.ledger.models import Entry
from accord.ledger.replay import replay

pytestmark = pytest.mark.django_db

PRESENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _texts(payload: object) -> list[str]:
    """The longer free texts of a payload, which a restricted entry must not carry."""
    if isinstance(payload, dict):
        return [text for value in payload.values() for text in _texts(value)]
    if isinstance(payload, list):
        return [text for value in payload for text in _texts(value)]
    return [payload] if isinstance(payload, str) and len(payload) > 12 else []


@pytest.fixture
def built(db: None) -> None:
    assert demo.build(present=PRESENT) is True


def test_the_forum_adopted_the_regime_by_amending_its_rules(built: None) -> None:
    version, rules = csbm_rules()
    assert version == 6  # founded, to describe, witnesses, the charter, the regime, the conference
    assert rules.regime == "VD2011"
    assert {row.profile_version for row in Notification.objects.all()} == {5}


def test_the_year_has_its_notifications_by_format(built: None) -> None:
    formats = list(Notification.objects.values_list("format", flat=True))
    assert len(formats) == 26
    counts = {name: formats.count(name) for name in set(formats)}
    assert counts == {
        "annual-exchange": 5,
        "annual-calendar": 5,
        "general-communication": 4,
        "prior-notification": 6,
        "clarification-request": 1,
        "clarification-reply": 1,
        "bilateral-meeting-request": 1,
        "inspection-request": 1,
        "inspection-reply": 1,
        "inspection-report": 1,
    }
    assert set(Notification.objects.values_list("sender", flat=True)) == set(csbm_demo.PARTIES)
    senders = Notification.objects.filter(format__in=("annual-exchange", "annual-calendar"))
    assert sorted(senders.values_list("sender", flat=True)) == sorted(csbm_demo.PARTIES * 2)


def test_notifications_are_restricted_but_the_two_points_of_contact(built: None) -> None:
    public = Notification.objects.filter(distribution="public")
    assert sorted(public.values_list("sender", flat=True)) == ["BY", "RU"]
    assert {row.format for row in public} == {"general-communication"}
    restricted = Notification.objects.filter(distribution="restricted").count()
    assert restricted == 24
    for row in Notification.objects.filter(distribution="restricted"):
        content = Entry.objects.get(index=row.content)
        sealed = Sealed.objects.get(entry_index=row.content)
        assert sealed.payload is not None
        assert b'"payload"' not in bytes(content.leaf)
        for text in _texts(sealed.payload):
            assert text.encode() not in bytes(content.leaf)


def test_acknowledgements_some_late_and_a_few_missing_were_recorded(built: None) -> None:
    deliveries = Delivery.objects.all()
    assert deliveries.count() == 95
    late = deliveries.filter(ack_on_time=False)
    missing = deliveries.filter(ack_entry__isnull=True)
    assert late.count() == 13
    assert missing.count() == 4
    assert deliveries.filter(ack_on_time=True).count() == 95 - 13 - 4
    missed = Missed.objects.all()
    assert missed.count() == 17
    assert {row.what for row in missed} == {"acknowledgement"}
    # Each late acknowledgement came after the scheduler recorded its miss, as it runs every
    # round; every delivery still owed has its miss recorded, so `accord serve` finds none.
    recorded = {(row.notification, row.party) for row in missed}
    assert len(recorded) == 17
    assert {(row.notification, row.recipient) for row in late} <= recorded
    assert {(row.notification, row.recipient) for row in missing} <= recorded
    assert all(row.overdue_entry is not None for row in (*late, *missing))


def test_one_consultation_closed_after_a_bilateral_meeting(built: None) -> None:
    (case,) = Case.objects.filter(kind="consultation")
    assert (case.initiator, case.counterpart, case.state) == ("HU", "BY", "closed")
    assert case.reply_on_time is True
    assert case.meeting_due != ""
    assert case.closed_entry is not None
    closing = Entry.objects.get(index=case.closed_entry)
    assert closing.kind == "csbm.case.closed"
    (meeting,) = Notification.objects.filter(format="bilateral-meeting-request")
    assert meeting.recipients == ["BY"]


def test_one_inspection_within_quota_accepted_and_reported(built: None) -> None:
    (case,) = Case.objects.filter(kind="inspection")
    assert (case.initiator, case.counterpart, case.state) == ("KZ", "RU", "reported")
    assert case.counted is True
    assert case.reply_on_time is True
    (report,) = Notification.objects.filter(format="inspection-report")
    assert sorted(report.recipients) == ["BY", "CN", "HU", "RU"]


def test_a_correction_supersedes_the_notification_it_corrects(built: None) -> None:
    (corrected,) = Notification.objects.filter(superseded_by__isnull=False)
    assert corrected.superseded_by is not None
    correction = Notification.objects.get(entry_index=corrected.superseded_by)
    assert (corrected.sender, corrected.format) == ("BY", "prior-notification")
    assert correction.supersedes == corrected.entry_index
    assert correction.on_time is True
    assert correction.in_calendar is True


def test_prior_notifications_are_judged_against_the_profile(built: None) -> None:
    priors = Notification.objects.filter(format="prior-notification")
    assert {row.on_time for row in priors} == {True, None}  # Hungary's is voluntary
    (voluntary,) = priors.filter(on_time=None)
    assert voluntary.sender == "HU"
    assert voluntary.in_calendar is False
    observable = [row for row in priors if row.assessment and row.assessment["observable"]]
    assert [row.sender for row in observable] == ["RU"]
    # The first exchanges and calendars came after the profile's days of 2025.
    annual = Notification.objects.filter(format__in=("annual-exchange", "annual-calendar"))
    assert {row.on_time for row in annual} == {False}


def test_the_demo_names_its_parties_as_the_forum_does_in_english_and_russian(
    built: None,
) -> None:
    names = dict(ForumParty.objects.values_list("code", "name"))
    assert {code: english for code, (english, _russian) in csbm_demo.NAMES.items()} == {
        code: names[code] for code in csbm_demo.PARTIES
    }
    written = " ".join(str(row.payload) for row in Sealed.objects.all())
    for code in ("BY", "RU"):
        assert csbm_demo.NAMES[code][1] in written  # their points of contact are in Russian
    for code in ("HU", "KZ", "CN"):
        assert csbm_demo.NAMES[code][0] in written


def test_the_year_lies_between_the_charter_and_the_conference_in_time_and_order(
    built: None,
) -> None:
    entries = list(Entry.objects.order_by("index"))
    kinds = [entry.kind for entry in entries]
    csbm = [entry for entry in entries if entry.kind.startswith("csbm.")]
    last_revision = max(i for i, kind in enumerate(kinds) if kind == "charter.revision.issued")
    conference = kinds.index("dialogue.edition.created")
    assert last_revision < csbm[0].index
    assert csbm[-1].index < conference
    assert csbm[0].logged_at.startswith("2026-01")
    assert csbm[-1].logged_at.startswith("2026-09")
    times = [entry.logged_at for entry in entries]
    assert times == sorted(times)
    assert entries[-1].kind == "charter.silence.opened"


def test_the_demo_with_its_csbm_year_replays_to_the_live_digests(built: None) -> None:
    live = (digest(full=False), digest(full=True))
    result = replay()
    assert (result.public_digest, result.full_digest) == live
    assert replay(full=False).public_digest == live[0]
