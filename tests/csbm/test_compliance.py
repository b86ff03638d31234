"""The compliance picture: each count from the log's public projections, a constant number
of queries whatever the traffic, and its text, CSV, JSON and SVG forms."""

import csv
import io
import json
from functools import partial
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accord.csbm import actions
from accord.csbm.compliance import COLUMNS, QUERIES, PartyYear, as_csv, as_json, as_text, report
from accord.csbm.compliance import charts_svg as charts
from tests.csbm.world import AA_HEAD, BB_HEAD, DD_HEAD, CsbmWorld

SVG = "{http://www.w3.org/2000/svg}"


def _rows(year: int) -> dict[str, PartyYear]:
    return {row.party: row for row in report(year).rows}


def _traffic(csbm: CsbmWorld, notifications: int) -> None:
    """``notifications`` general communications from AA, each acknowledged by BB."""
    for _n in range(notifications):
        entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
        csbm.act(partial(actions.acknowledge, BB_HEAD, entry))


def _year(csbm: CsbmWorld) -> int:
    """A year of every kind of count: an exchange of 61 units, a prior notification on time
    and one late, a consultation replied late, an inspection accepted, an evaluation visit,
    acknowledgements on time, late, overdue and open."""
    csbm.notify(BB_HEAD, "annual-exchange", csbm.exchange())
    on_time = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    csbm.notify(
        AA_HEAD,
        "prior-notification",
        csbm.prior(designation="Late", starts_on=csbm.day(30), ends_on=csbm.day(35)),
    )
    csbm.act(lambda: actions.acknowledge(BB_HEAD, on_time))
    request = csbm.notify(
        DD_HEAD,
        "clarification-request",
        {"requested_state": "AA", "activity": "Exercise", "location": "North", "reasons": "?"},
    )
    inspection = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    csbm.notify(BB_HEAD, "inspection-reply", {"in_reply_to": inspection, "accepted": True})
    csbm.notify(
        AA_HEAD,
        "evaluation-request",
        {"receiving_state": "BB", "unit": "Brigade 7", "requested_on": csbm.day(7), "team_size": 3},
    )
    csbm.later(24 * 7)
    csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    csbm.notify(AA_HEAD, "clarification-reply", {"in_reply_to": request, "reply": "Planned."})
    csbm.act(lambda: actions.acknowledge(DD_HEAD, on_time))
    return csbm.today().year


def test_each_party_is_counted_from_the_public_projections(csbm: CsbmWorld) -> None:
    year = _year(csbm)
    found = report(year)
    assert [row.party for row in found.rows] == ["AA", "BB", "DD"]
    assert found.profile_version >= 1
    assert found.regime
    assert found.log_size > 0
    aa, bb, dd = (_rows(year)[code] for code in ("AA", "BB", "DD"))
    assert aa.name == "State A"
    # AA: two prior notifications (one late), two requests (not judged), a late reply.
    assert (aa.sent, aa.sent_with_deadline, aa.sent_on_time, aa.sent_late) == (5, 3, 1, 2)
    assert (aa.replies_owed, aa.replied_on_time, aa.replied_late, aa.replies_missed) == (1, 0, 1, 1)
    assert (aa.inspections_made, aa.evaluations_made) == (1, 1)
    # BB acknowledged the first prior notification on time and nothing else.
    assert (bb.acknowledged, bb.acknowledged_on_time, bb.acknowledged_late) == (1, 1, 0)
    assert bb.received == 6
    assert bb.unacknowledged == 5
    assert bb.acknowledgements_overdue == 4 == bb.overdue_unacknowledged  # one sent since
    assert (bb.inspections_received, bb.evaluations_received) == (1, 1)
    assert bb.inspection_quota == 3
    assert bb.evaluation_quota == 2  # 61 units: one visit per 60 or part (VD2011 §107)
    assert dd.evaluation_quota == 0  # no exchange of information sent
    # DD acknowledged the first prior notification after it was recorded overdue.
    assert (dd.acknowledged, dd.acknowledged_late, dd.acknowledgements_overdue) == (1, 1, 3)
    assert dd.overdue_unacknowledged == 2
    assert report(year + 1).rows[0].sent == 0


def test_the_report_costs_the_same_queries_at_any_traffic(csbm: CsbmWorld) -> None:
    year = csbm.today().year
    counts = []
    for more in (1, 6):
        _traffic(csbm, more)
        with CaptureQueriesContext(connection) as queries:
            found = report(year)
        counts.append(len(queries))
        assert _rows(year)["BB"].acknowledged == found.rows[1].acknowledged
    assert counts == [QUERIES, QUERIES]
    assert _rows(year)["AA"].sent == 7
    assert _rows(year)["BB"].acknowledged == 7


def test_the_report_never_reads_restricted_columns(csbm: CsbmWorld) -> None:
    _year(csbm)
    with CaptureQueriesContext(connection) as queries:
        report(csbm.today().year)
    sql = " ".join(query["sql"] for query in queries).lower()
    assert "assessment" not in sql
    assert "in_calendar" not in sql
    assert "csbm_sealed" not in sql


def test_parties_are_named_in_the_readers_language(csbm: CsbmWorld) -> None:
    from accord.forum.models import ForumParty  # noqa: PLC0415

    # A party registered under its common name is shown under CLDR's name for the reader.
    ForumParty.objects.create(
        code="HU", name="Hungary", category="state", status="participating", since=0
    )
    year = csbm.today().year
    assert [row.name for row in report(year, language="ru").rows if row.party == "HU"] == [
        "Венгрия"
    ]
    with translation.override("ru"):
        assert "Венгрия" in [row.name for row in report(year).rows]
    assert "Hungary" in [row.name for row in report(year, language="en").rows]


def test_csv_json_and_text_carry_every_row(csbm: CsbmWorld) -> None:
    year = _year(csbm)
    found = report(year)
    text = as_csv(found)
    assert text.endswith("\r\n")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert tuple(parsed[0]) == COLUMNS
    assert [row["party"] for row in parsed] == ["AA", "BB", "DD"]
    assert int(parsed[1]["acknowledgements_overdue"]) == found.rows[1].acknowledgements_overdue
    data = json.loads(json.dumps(as_json(found)))
    assert data["profile_version"] == found.profile_version
    assert data["regime"] == found.regime
    assert [row["sent_late"] for row in data["parties"]] == [row.sent_late for row in found.rows]
    table = as_text(found)
    assert "State A (AA)" in table
    assert f"Compliance {year}" in table
    assert "1/3" in table  # BB's inspections against its quota
    assert "No party took part." not in table


def test_charts_are_self_contained_accessible_and_deterministic(csbm: CsbmWorld) -> None:
    found = report(_year(csbm))
    drawn = charts(found)
    assert drawn == charts(report(found.year))
    assert len(drawn) == 3
    for svg in drawn:
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title") is not None
        assert root.find(f"{SVG}desc") is not None
        labels = {node.text for node in root.iter(f"{SVG}text")}
        assert {"State A", "State B", "State D"} <= labels
        assert "href" not in svg
        assert "<script" not in svg
        assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    sent = ET.fromstring(drawn[0])
    figures = [node.text for node in sent.iter(f"{SVG}title")]
    assert "State A: late 2" in figures


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_empty_year_still_draws(csbm: CsbmWorld, language: str) -> None:
    with translation.override(language):
        found = report(1990)
        assert all(row.sent == 0 for row in found.rows)
        assert len(charts(found)) == 3
        assert "State A (AA)" in as_text(found)
