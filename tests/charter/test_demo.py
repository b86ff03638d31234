"""The demo holds the draft Eurasian Charter: introduced in English and given in Russian,
amended by four parties, revised twice, and under silence still open when the demo is served.
"""

from datetime import UTC, datetime, timedelta

import pytest

from accord.charter import actions, queries
from accord.charter import demo as charter_demo
from accord.charter.models import Amendment, Document, SilenceProcedure
from accord.charter.rules import charter_rules
from accord.forum import demo
from accord.forum import queries as forum_queries
from accord.ledger.envelope import parse_time
from accord.ledger.models import Entry
from accord.lib import clock

pytestmark = pytest.mark.django_db

PRESENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def charter_document(db: None) -> Document:
    assert demo.build(present=PRESENT) is True
    return Document.objects.get(title=charter_demo.TITLE)


def test_the_demo_charter_is_the_chairs_draft_under_silence_at_rev_2(
    charter_document: Document,
) -> None:
    assert charter_document.title == charter_demo.TITLE
    assert charter_document.symbol == "FDSE.L/1/25"
    assert charter_document.current_symbol == "FDSE.L/1/25/Rev.2"
    assert charter_document.introduced_by == "BY"
    assert charter_document.language == "en"
    assert charter_document.status == "under_silence"
    assert [r.number for r in queries.revisions(charter_document)] == [1, 2]


def test_the_forum_gained_the_charter_by_amending_its_rules(charter_document: Document) -> None:
    found = forum_queries.profile()
    assert found is not None
    version, profile = found
    assert version == 6  # founded, to describe, for the witnesses, the charter, the CSBM
    # regime, the conference
    assert profile.sections["charter"] == {"interpretation_hours": 72}
    assert charter_rules().interpretation_hours == 72
    assert "chair:head" in profile.may["charter.revision.issued"]
    founding = Entry.objects.get(index=0)
    assert b"charter." not in founding.leaf


def test_its_amendments_end_incorporated_dropped_or_withdrawn(charter_document: Document) -> None:
    statuses = dict(
        Amendment.objects.filter(document=charter_document.entry_index).values_list(
            "sponsor", "status"
        )
    )
    assert set(statuses) == {"KZ", "HU", "CN", "RU"}
    by_status: dict[str, int] = {}
    for status in Amendment.objects.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    assert by_status == {"incorporated": 4, "dropped": 1, "withdrawn": 2}
    first, second = queries.revisions(charter_document)
    assert first.brackets == 1  # the two alternatives on confidence-building
    assert len(first.incorporated) == 2
    assert len(first.dropped) == 1
    assert second.brackets == 0
    assert queries.convergence(charter_document) == [
        ("FDSE.L/1/25", 5),
        ("Rev.1", 1),
        ("Rev.2", 0),
    ]


def test_its_text_holds_the_inserted_article_and_every_russian_version(
    charter_document: Document,
) -> None:
    provisions = {p.eid: p for p in queries.text_of(charter_document)}
    assert provisions["chp_2__art_6bis"].num == "6 bis"
    assert provisions["chp_2__art_5"].text == charter_demo.NOTIFICATION
    assert provisions["chp_1__art_3"].text == charter_demo.CHARTER[7].text  # dropped change
    rows = queries.side_by_side(charter_document, ["en", "ru"])
    assert len(rows) == len(charter_demo.CHARTER) + 1
    assert {versions["ru"].status for _provision, versions in rows} == {"current"}
    russian = queries.compilation(charter_document, language="ru")
    assert russian.provisions[5].provision.heading == "Суверенное равенство"


def test_positions_were_changed_and_objections_held(charter_document: Document) -> None:
    dialogue = Amendment.objects.get(eid="chp_2__art_4")
    stances = [p.stance for p in queries.history(dialogue.entry_index) if p.party == "RU"]
    assert stances == ["reserve", "accept"]
    dropped = Amendment.objects.get(status="dropped")
    view = queries.amendment(dropped.entry_index)
    assert view is not None
    assert view.tally["object"] == 2
    assert not view.agreeable


def test_its_silence_is_open_four_weeks_past_the_present(charter_document: Document) -> None:
    (procedure,) = SilenceProcedure.objects.all()
    assert procedure.status == "open"
    assert procedure.revision == 2
    assert parse_time(procedure.opened_at) >= PRESENT
    until = parse_time(procedure.until)
    assert timedelta(days=27) < until - PRESENT < timedelta(days=29)
    before = Entry.objects.count()
    assert actions.conclude_due(PRESENT + timedelta(days=1)) == []
    assert Entry.objects.count() == before
    with clock.simulated(lambda: until + timedelta(minutes=1)):
        done = actions.conclude_due(until + timedelta(minutes=1))
    assert len(done) == 1
    assert "Concluded" in done[0]
    # DEC/1/26 is the Minsk conference's adopted agenda, DEC/2/26 its decision at a meeting
    assert queries.decision("FDSE.DEC/3/26") is not None


def test_silence_opens_at_the_present_and_the_drafting_ends_in_2025(db: None) -> None:
    late = PRESENT + timedelta(days=900)
    assert demo.build(present=late) is True
    entries = list(Entry.objects.order_by("index"))
    assert entries[-1].kind == "charter.silence.opened"
    assert entries[-1].logged_at.startswith(late.date().isoformat())
    revised = [entry for entry in entries if entry.kind == "charter.revision.issued"]
    assert revised[-1].logged_at.startswith("2025-12-22")
    assert entries[-2].logged_at.startswith("2026-10-16")  # the Minsk conference came between
