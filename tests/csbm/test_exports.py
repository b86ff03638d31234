"""The compliance exports: public, named files that parse and say what ``report()`` says."""

import csv
import io
import json
from functools import partial

from django.test import Client
from django.urls import reverse

from accord.csbm import actions
from accord.csbm.compliance import COLUMNS, as_json, report
from accord.forum.models import ForumParty
from tests.csbm.world import AA_HEAD, BB_HEAD, CsbmWorld


def _sent(csbm: CsbmWorld) -> int:
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    csbm.act(partial(actions.acknowledge, BB_HEAD, entry))
    return csbm.today().year


def test_the_csv_parses_to_the_reports_rows(csbm: CsbmWorld, client: Client) -> None:
    year = _sent(csbm)
    response = client.get(reverse("csbm-compliance-csv", args=[year]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="csbm-compliance-{year}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))
    expected = report(year, language="en").rows
    assert [tuple(row) for row in rows] == [COLUMNS] * len(expected)
    assert [row["party"] for row in rows] == [row.party for row in expected]
    for got, want in zip(rows, expected, strict=True):
        assert int(got["sent_on_time"]) == want.sent_on_time
        assert int(got["acknowledged_on_time"]) == want.acknowledged_on_time
    assert [int(row["acknowledged"]) for row in rows] == [0, 1, 0]


def test_the_json_matches_the_report(csbm: CsbmWorld, client: Client) -> None:
    year = _sent(csbm)
    response = client.get(reverse("csbm-compliance-json", args=[year]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="csbm-compliance-{year}.json"'
    data = json.loads(response.content)
    assert data == json.loads(json.dumps(as_json(report(year, language="en"))))
    assert data["parties"][0]["sent"] == 1
    assert data["profile_version"] >= 1


def test_names_follow_the_pages_language_and_bad_years_are_not_found(
    csbm: CsbmWorld, client: Client
) -> None:
    year = _sent(csbm)
    ForumParty.objects.create(
        code="HU", name="Hungary", category="state", status="participating", since=0
    )
    russian = client.get(reverse("csbm-compliance-json", args=[year]), HTTP_ACCEPT_LANGUAGE="ru")
    names = {row["party"]: row["name"] for row in json.loads(russian.content)["parties"]}
    assert names["HU"] == "Венгрия"
    assert names["AA"] == "State A"
    assert client.get(reverse("csbm-compliance-json", args=[12])).status_code == 404
    assert client.post(reverse("csbm-compliance-csv", args=[year])).status_code == 405
    head = client.head(reverse("csbm-compliance-csv", args=[year]))
    assert head.status_code == 200
    assert "filename=" in head["Content-Disposition"]
