"""The demo holds the first Minsk Conference on Eurasian Security (October 2026), run through
the real actions from its agenda to its journals, and a second edition after the present;
the charter's silence stays the demo's last act, and the whole log replays to its digest."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accord.charter.models import Decision, Document, Interpretation
from accord.dialogue import demo as dialogue_demo
from accord.dialogue.models import (
    AgendaItem,
    Credentials,
    Delegation,
    DeliveredStatement,
    Edition,
    FollowUp,
    Inscription,
    Journal,
    Meeting,
    Question,
    Summary,
)
from accord.dialogue.rules import dialogue_rules
from accord.forum import demo
from accord.forum import queries as forum_queries
from accord.ledger.digest import digest
from accord.ledger.models import Entry
from accord.ledger.replay import replay

pytestmark = pytest.mark.django_db

PRESENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def built(db: None) -> None:
    assert demo.build(present=PRESENT) is True


def _first() -> Edition:
    return Edition.objects.get(series=dialogue_demo.SERIES, number=1)


def test_the_forum_gained_the_conference_by_amending_its_rules(built: None) -> None:
    found = forum_queries.profile()
    assert found is not None
    version, profile = found
    assert version == 6  # founded, to describe, for the witnesses, the charter, the CSBM
    # regime, the conference
    assert profile.sections["dialogue"] == dialogue_rules().model_dump()
    assert "chair:head" in profile.may["dialogue.edition.created"]
    assert b"dialogue." not in Entry.objects.get(index=0).leaf


def test_the_minsk_edition_adopted_its_agenda_and_accepted_credentials(built: None) -> None:
    edition = _first()
    assert edition.title == "Minsk Conference on Eurasian Security"
    assert edition.series_title == "Minsk Eurasian security conference"
    assert (edition.city, edition.time_zone, edition.chair) == ("Minsk", "Europe/Minsk", "BY")
    assert (edition.starts_on, edition.ends_on) == ("2026-10-15", "2026-10-16")
    assert edition.languages == ["en", "ru"]
    assert edition.agenda_adopted is not None
    meetings = list(Meeting.objects.filter(edition=edition.entry_index).order_by("number"))
    assert [m.title for m in meetings] == [
        "Opening plenary",
        "Working group on confidence-building",
        "Closing plenary",
    ]
    assert {tuple(m.interpretation) for m in meetings} == {("en-ru",)}
    assert meetings[0].starts_at == "2026-10-15T07:00:00Z"  # 10:00 in Minsk
    charter = Document.objects.get(title="Eurasian Charter of Diversity and Multipolarity")
    linked = AgendaItem.objects.get(edition=edition.entry_index, number="3")
    assert linked.documents == [charter.entry_index]
    delegations = {
        d.party: d.members for d in Delegation.objects.filter(edition=edition.entry_index)
    }
    assert set(delegations) == {"BY", "RU", "HU", "KZ", "CN"}
    assert delegations["HU"][0]["level"] == "minister"
    assert delegations["HU"][0]["function"] == "head"
    statuses = set(
        Credentials.objects.filter(edition=edition.entry_index).values_list("status", flat=True)
    )
    assert statuses == {"accepted"}


def test_the_general_debate_ran_in_order_with_a_reply_in_russian_and_restricted(
    built: None,
) -> None:
    opening = Meeting.objects.get(edition=_first().entry_index, number=1)
    spoken = list(
        Inscription.objects.filter(meeting=opening.entry_index, item="2").order_by("floor")
    )
    assert [(row.party, row.kind) for row in spoken] == [
        ("BY", "statement"),
        ("RU", "statement"),
        ("HU", "statement"),
        ("KZ", "statement"),
        ("CN", "statement"),
        ("RU", "reply"),
    ]
    assert all(row.floor is not None for row in spoken)
    delivered = DeliveredStatement.objects.filter(meeting=opening.entry_index).order_by(
        "entry_index"
    )
    assert [(row.party, row.language) for row in delivered] == [
        ("BY", "en"),
        ("RU", "ru"),
        ("HU", "en"),
        ("KZ", "en"),
        ("CN", "en"),
        ("RU", "en"),  # the right of reply
    ]
    (restricted,) = DeliveredStatement.objects.filter(distribution="restricted")
    assert restricted.party == "KZ"
    assert restricted.derestricted_by is None


def test_the_closing_plenary_adopted_a_decision_by_consensus(built: None) -> None:
    (question,) = Question.objects.all()
    assert question.status == "adopted"
    closing = Meeting.objects.get(entry_index=question.meeting)
    assert closing.title == "Closing plenary"
    assert question.decision is not None
    decision = Decision.objects.get(entry_index=question.decision)
    assert decision.path == "meeting"
    document = Document.objects.get(entry_index=decision.document)
    assert document.title == "Decision on the second Minsk conference"
    assert document.status == "adopted"
    (interpretation,) = Interpretation.objects.filter(decision=decision.entry_index)
    assert interpretation.party == "HU"
    assert Summary.objects.get().chair == "BY"
    journals = set(Journal.objects.values_list("meeting", flat=True))
    first = set(
        Meeting.objects.filter(edition=_first().entry_index).values_list("entry_index", flat=True)
    )
    assert journals == first
    assert FollowUp.objects.filter(edition=_first().entry_index).count() == 2


def test_a_second_edition_is_scheduled_after_the_present_and_reviews_the_first(
    built: None,
) -> None:
    second = Edition.objects.get(series=dialogue_demo.SERIES, number=2)
    assert second.starts_on == "2027-10-15"
    assert date.fromisoformat(second.starts_on) > PRESENT.date()
    (meeting,) = Meeting.objects.filter(edition=second.entry_index)
    assert meeting.starts_at > PRESENT.isoformat()
    reviewing = AgendaItem.objects.get(edition=second.entry_index, number="2")
    (followup,) = FollowUp.objects.filter(entry_index__in=reviewing.followups)
    assert followup.edition == _first().entry_index
    assert second.agenda_adopted is None


def test_the_second_edition_follows_the_present(db: None) -> None:
    assert dialogue_demo.second_first_day(datetime(2027, 10, 15, 8, tzinfo=UTC)) == date(
        2028, 10, 15
    )
    assert dialogue_demo.second_first_day(datetime(2027, 10, 14, 8, tzinfo=UTC)) == date(
        2027, 10, 15
    )


def test_the_conference_comes_between_the_drafting_and_the_silence(built: None) -> None:
    entries = list(Entry.objects.order_by("index"))
    assert entries[-1].kind == "charter.silence.opened"
    assert entries[-1].logged_at.startswith("2026-12-01T12:00")
    kinds = [entry.kind for entry in entries]
    first_conference = kinds.index("dialogue.edition.created")
    assert "charter.revision.issued" in kinds[:first_conference]
    assert entries[-2].logged_at.startswith("2026-10-16")
    times = [entry.logged_at for entry in entries]
    assert times == sorted(times)


def test_the_demo_replays_to_the_same_full_digest(built: None) -> None:
    assert replay().full_digest == digest(full=True)
    assert demo.build(present=PRESENT + timedelta(days=1)) is False
