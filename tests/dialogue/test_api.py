"""The conference's JSON API: acts with a personal token answer 201 with receipts or the
refusal's code, and a restricted text reaches only the readers entitled to it."""

import json
from typing import Any

import pytest
from django.test import Client

from accord.dialogue import actions
from accord.forum import actions as forum_actions
from accord.ledger.models import Entry, LogState
from accord.lib import clock
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.dialogue.world import AA_HEAD, BB_HEAD, ConferenceWorld

pytestmark = pytest.mark.django_db


def token(handle: str) -> str:
    person = Person.objects.get(handle=handle)
    return people_actions.issue_api_token(person, "tests", second_factor=True)


def post(w: ConferenceWorld, path: str, body: dict[str, Any], handle: str) -> Any:
    headers = {"authorization": f"Bearer {token(handle)}"}
    with clock.simulated(w.forum.ticking):
        return Client().post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
        )


def get(w: ConferenceWorld, path: str, handle: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token(handle)}"} if handle else {}
    with clock.simulated(w.forum.ticking):
        return Client().get(f"/api/v1{path}", headers=headers)


def test_a_list_runs_through_the_api_and_the_order_is_the_logs(
    conference: ConferenceWorld,
) -> None:
    m = conference.opening
    opened = post(conference, f"/conference/meetings/{m}/lists", {"item": "2"}, "aa.head")
    assert opened.status_code == 201, opened.content
    for handle in ("aa.head", "bb.head"):
        body = {"item": "2", "speaker": handle}
        answer = post(conference, f"/conference/meetings/{m}/inscriptions", body, handle)
        assert answer.status_code == 201, answer.content
    waiting = get(conference, f"/conference/meetings/{m}/speakers?item=2").json()["waiting"]
    assert [row["party"] for row in waiting] == ["BB", "AA"]  # head of government first
    given = post(conference, f"/conference/meetings/{m}/floor", {"item": "2"}, "aa.head")
    (receipt,) = given.json()["receipts"]
    assert Entry.objects.get(index=receipt["index"]).kind == "dialogue.floor.given"
    speakers = get(conference, f"/conference/meetings/{m}/speakers?item=2").json()
    assert speakers["floor"]["party"] == "BB"
    assert [row["party"] for row in speakers["waiting"]] == ["AA"]


def test_refusals_come_back_with_their_code_and_the_log_unchanged(
    conference: ConferenceWorld,
) -> None:
    size = LogState.objects.get().size
    not_chair = post(
        conference, f"/conference/meetings/{conference.opening}/lists", {"item": "2"}, "bb.head"
    )
    assert not_chair.status_code in (403, 422)
    assert not_chair.json()["code"] in ("not_chair", "not_permitted")
    no_item = post(
        conference, f"/conference/meetings/{conference.opening}/lists", {"item": "9"}, "aa.head"
    )
    assert (no_item.status_code, no_item.json()["code"]) == (422, "no_item")
    assert LogState.objects.get().size == size


def test_a_restricted_text_is_read_by_participants_only(conference: ConferenceWorld) -> None:
    m = conference.opening
    with clock.simulated(conference.forum.ticking):
        actions.open_list(AA_HEAD, m, "2")
        made = actions.circulate_and_deliver(
            BB_HEAD,
            m,
            "2",
            title="Closed",
            language="en",
            text="Only for us.",
            distribution="restricted",
        )
    statement = made[-1].index
    public = get(conference, f"/conference/statements/{statement}").json()
    assert (public["restricted"], public["text"]) == (True, None)
    guest = get(conference, f"/conference/statements/{statement}", "cc.head").json()
    assert guest["text"] is None
    member = get(conference, f"/conference/statements/{statement}", "aa.head").json()
    assert member["text"] == "Only for us."
    shown = get(conference, f"/conference/meetings/{m}").json()
    assert [s["text"] for s in shown["statements"]] == [None]


def test_an_edition_and_its_journal_are_read(conference: ConferenceWorld) -> None:
    edition = get(conference, f"/conference/editions/{conference.edition}").json()
    assert [i["number"] for i in edition["agenda"]] == ["1", "2", "2.1"]
    assert {d["party"] for d in edition["delegations"]} == {"AA", "BB"}
    journal = get(conference, f"/conference/meetings/{conference.opening}/journal").json()
    assert len(journal["sha256"]) == 64
    assert journal["issued"] is None
    assert get(conference, "/conference/editions/999").status_code == 404


def test_each_outcome_says_on_whose_authority_it_stands(conference: ConferenceWorld) -> None:
    """A chair's summary is the chair's; a decision is agreed only once adopted by consensus,
    so a tool reading the API never shows unagreed text as agreed."""
    w, m = conference, conference.opening
    with clock.simulated(w.forum.ticking):
        actions.issue_summary(AA_HEAD, w.edition, title="Summary", language="en", text="Said.")
        asked = actions.ask(AA_HEAD, m, "2", document=w.document, revision=0)
    edition = get(w, f"/conference/editions/{w.edition}").json()
    assert [s["authority"] for s in edition["summaries"]] == ["chair"]
    before = get(w, f"/conference/meetings/{m}").json()["questions"]
    assert [(q["status"], q["authority"]) for q in before] == [("asked", None)]
    w.later(11)
    with clock.simulated(w.forum.ticking):
        actions.declare(AA_HEAD, asked.index)
    after = get(w, f"/conference/meetings/{m}").json()["questions"]
    assert [(q["status"], q["authority"]) for q in after] == [("adopted", "agreed")]


def test_a_token_reads_for_the_accreditation_in_force_not_the_account(
    conference: ConferenceWorld,
) -> None:
    """An account the secretariat added for AA but AA never accredited, and a delegate AA
    withdrew, read a restricted text as the public does, whatever party their account names."""
    w, m = conference, conference.opening
    with clock.simulated(w.forum.ticking):
        actions.open_list(AA_HEAD, m, "2")
        made = actions.circulate_and_deliver(
            BB_HEAD,
            m,
            "2",
            title="Closed",
            language="en",
            text="Only for us.",
            distribution="restricted",
        )
        forum_actions.add_person("aa.stranger", party="AA", role="delegate", email="s@example.org")
    path = f"/conference/statements/{made[-1].index}"
    assert get(w, path, "aa.stranger").json()["text"] is None
    delegate = token("aa.delegate")
    headers = {"authorization": f"Bearer {delegate}"}
    with clock.simulated(w.forum.ticking):
        assert Client().get(f"/api/v1{path}", headers=headers).json()["text"] == "Only for us."
        forum_actions.withdraw(AA_HEAD, "aa.delegate")
        assert Client().get(f"/api/v1{path}", headers=headers).json()["text"] is None
