"""The charter's JSON API: public reads, and every act with a personal token for one's own
party, answered with receipts or with the refusal's sentence and the log left as it was."""

import json
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.charter import actions
from accord.charter.models import Amendment, Document, Position, SilenceBreak
from accord.charter.statements import text_sha256
from accord.charter.text import Provision as Plain
from accord.ledger.digest import digest
from accord.ledger.envelope import format_time
from accord.ledger.models import Entry, LogState
from accord.lib import clock
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.charter.world import AA_HEAD, BB_HEAD, SECRETARIAT, CharterWorld

pytestmark = pytest.mark.django_db


def token(handle: str) -> str:
    person = Person.objects.get(handle=handle)
    return people_actions.issue_api_token(person, "tests", second_factor=True)


def post(charter: CharterWorld, path: str, body: dict[str, Any], handle: str) -> Any:
    """POST as ``handle`` on the world's clock."""
    headers = {"authorization": f"Bearer {token(handle)}"}
    with clock.simulated(charter.forum.ticking):
        return Client().post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
        )


def accepted(answer: Any, kind: str) -> int:
    assert answer.status_code == 201, answer.content
    (receipt,) = answer.json()["receipts"]
    assert receipt["kind"] == kind
    assert Entry.objects.get(index=receipt["index"]).kind == kind
    return int(receipt["index"])


def unchanged_after(charter: CharterWorld, status: int, code: str, call: Any) -> dict[str, Any]:
    """Make the call; it must be refused with ``status`` and ``code`` and leave the log as it
    was. Returns the refusal."""
    size, before = LogState.objects.get().size, digest(full=True)
    answer = call()
    assert answer.status_code == status, answer.content
    refusal = answer.json()
    assert refusal["code"] == code
    assert len(refusal["reason"].split()) > 3
    assert LogState.objects.get().size == size
    assert digest(full=True) == before
    return dict(refusal)


def test_documents_are_listed_and_found_by_entry_or_symbol(
    charter: CharterWorld, client: Client
) -> None:
    listed = client.get("/api/v1/charter/documents").json()
    assert [(d["entry_index"], d["symbol"]) for d in listed] == [(charter.document, "FD.L/1/25")]
    one = client.get(f"/api/v1/charter/documents/{charter.document}").json()
    assert (one["title"], one["status"], one["brackets"], one["revisions"]) == (
        "Draft Charter",
        "draft",
        0,
        [],
    )
    by_symbol = client.get("/api/v1/charter/documents/0?symbol=FD.L/1/25").json()
    assert by_symbol["entry_index"] == charter.document
    assert client.get("/api/v1/charter/documents/0?symbol=FD.L/9/25").status_code == 404
    assert client.get("/api/v1/charter/documents/999").status_code == 404


def test_an_amendment_by_token_is_an_entry_and_shows_in_brackets(
    charter: CharterWorld, client: Client
) -> None:
    path = f"/charter/documents/{charter.document}/amendments"
    body = {"provision": "chp_1__art_2", "action": "replace", "text": "Each Party should."}
    amendment = accepted(post(charter, path, body, "bb.head"), "charter.amendment.proposed")
    assert Amendment.objects.get(entry_index=amendment).sponsor == "BB"
    entry = json.loads(bytes(Entry.objects.get(index=amendment).leaf))
    assert (entry["statement"]["actor"], entry["statement"]["by"]) == ("BB", "bb.head")
    compiled = client.get(f"/api/v1/charter/documents/{charter.document}/compilation").json()
    assert compiled["brackets"] == 1
    bracketed = {p["eid"]: p["options"] for p in compiled["provisions"]}["chp_1__art_2"]
    assert [(o["amendment"], o["text"], o["sponsors"]) for o in bracketed] == [
        (amendment, "Each Party should.", ["State B"])
    ]
    shown = client.get(f"/api/v1/charter/amendments/{amendment}").json()
    assert (shown["sponsor"], shown["status"], shown["provision"]) == ("BB", "open", "chp_1__art_2")


def test_a_refused_amendment_answers_its_sentence_and_leaves_the_log_unchanged(
    charter: CharterWorld,
) -> None:
    path = f"/charter/documents/{charter.document}/amendments"
    body = {"provision": "chp_9", "action": "replace", "text": "Nothing."}
    refusal = unchanged_after(
        charter, 422, "no_provision", lambda: post(charter, path, body, "bb.head")
    )
    assert "chp_9" in refusal["reason"]
    assert refusal["refusal"] is not None  # the log signs what it refused
    unchanged_after(charter, 403, "not_permitted", lambda: post(charter, path, body, "cc.head"))


def test_acting_needs_a_token_and_a_body_that_fits_the_schema(
    charter: CharterWorld, client: Client
) -> None:
    path = f"/api/v1/charter/documents/{charter.document}/amendments"
    body = json.dumps({"provision": "chp_1__art_2", "action": "replace", "text": "X."})
    assert client.post(path, body, content_type="application/json").status_code == 401
    wrong = {"provision": "chp_1__art_2", "action": "rewrite"}
    unchanged_after(
        charter, 422, "malformed_request", lambda: post(charter, path[7:], wrong, "bb.head")
    )


def test_positions_cosponsors_and_withdrawal_by_token(
    charter: CharterWorld, client: Client
) -> None:
    act = charter.forum.act
    amendment = act(
        partial(actions.amend, AA_HEAD, charter.document, "chp_1__art_2", "delete")
    ).index
    base = f"/charter/amendments/{amendment}"
    stated = post(charter, f"{base}/positions", {"stance": "object", "note": "no"}, "bb.head")
    accepted(stated, "charter.position.stated")
    changed = post(charter, f"{base}/positions", {"stance": "reserve"}, "bb.head")
    accepted(changed, "charter.position.stated")
    assert Position.objects.get(amendment=amendment, current=True).stance == "reserve"
    unchanged_after(
        charter,
        422,
        "unchanged",
        lambda: post(charter, f"{base}/positions", {"stance": "reserve"}, "bb.head"),
    )
    accepted(post(charter, f"{base}/cosponsor", {}, "bb.head"), "charter.amendment.cosponsored")
    shown = client.get(f"/api/v1{base}").json()
    assert shown["cosponsors"] == ["BB"]
    assert [(p["stance"], p["current"]) for p in shown["positions"]] == [
        ("object", False),
        ("reserve", True),
    ]
    matrix = client.get(f"/api/v1/charter/documents/{charter.document}/positions").json()
    assert [row["stances"] for row in matrix["amendments"]] == [{"AA": "", "BB": "reserve"}]
    assert matrix["objections"] == {}
    unchanged_after(
        charter, 422, "not_sponsor", lambda: post(charter, f"{base}/withdraw", {}, "bb.head")
    )
    accepted(post(charter, f"{base}/withdraw", {}, "aa.head"), "charter.amendment.withdrawn")
    assert Amendment.objects.get(entry_index=amendment).status == "withdrawn"


def test_next_revision_gives_the_whole_body_the_chair_signs(
    charter: CharterWorld, client: Client
) -> None:
    act = charter.forum.act
    doc = charter.document
    added = act(partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "insert_after", text="New."))
    other = act(partial(actions.amend, BB_HEAD, doc, "recs__rec_1", "replace", text="Recalling."))
    body = client.get(
        f"/api/v1/charter/documents/{doc}/next-revision?incorporate={added.index}&drop={other.index}"
    ).json()
    assert (body["document"], body["number"], body["incorporate"], body["drop"]) == (
        doc,
        1,
        [added.index],
        [other.index],
    )
    provisions = [Plain(**p) for p in body["provisions"]]
    assert body["sha256"] == text_sha256(provisions)
    assert [p.eid for p in provisions][-1] == "chp_1__art_2bis"
    both = client.get(
        f"/api/v1/charter/documents/{doc}/next-revision?incorporate={added.index}&drop={added.index}"
    )
    assert (both.status_code, both.json()["code"]) == (422, "bad_choice")
    revised = post(
        charter,
        f"/charter/documents/{doc}/revisions",
        {"incorporate": [added.index], "drop": [other.index], "number": 7},
        "aa.head",
    )
    accepted(revised, "charter.revision.issued")
    assert Document.objects.get(entry_index=doc).revision == 1
    compiled = client.get(f"/api/v1/charter/documents/{doc}/compilation?revision=0").json()
    assert compiled["symbol"] == "FD.L/1/25"
    assert client.get(f"/api/v1/charter/documents/{doc}/compilation?revision=5").status_code == 404


def test_a_revision_by_a_non_chair_is_refused(charter: CharterWorld) -> None:
    path = f"/charter/documents/{charter.document}/revisions"
    unchanged_after(charter, 403, "not_permitted", lambda: post(charter, path, {}, "bb.head"))


def test_silence_break_conclusion_decision_and_interpretation_by_token(
    charter: CharterWorld, client: Client
) -> None:
    doc = charter.document
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    too_soon = format_time(charter.forum.ticking.moment + timedelta(hours=1))
    path = f"/charter/documents/{doc}/silence"
    unchanged_after(
        charter,
        422,
        "out_of_bounds",
        lambda: post(charter, path, {"revision": 0, "until": too_soon}, "aa.head"),
    )
    procedure = accepted(
        post(charter, path, {"revision": 0, "until": until}, "aa.head"), "charter.silence.opened"
    )
    assert client.get(f"/api/v1/charter/silence/{procedure}").json()["status"] == "open"
    charter.later(49)
    conclusion = accepted(
        post(charter, f"/charter/silence/{procedure}/conclude", {}, "sec.clerk"),
        "charter.silence.concluded",
    )
    decided = client.get("/api/v1/charter/decisions").json()
    assert [(d["entry_index"], d["symbol"]) for d in decided] == [(conclusion, "FD.DEC/1/25")]
    interpreted = post(
        charter, f"/charter/decisions/{conclusion}/interpretations", {"text": "We read…"}, "aa.head"
    )
    accepted(interpreted, "charter.interpretation.attached")
    shown = client.get("/api/v1/charter/decisions/0?symbol=FD.DEC/1/25").json()
    assert (shown["document_symbol"], [i["party"] for i in shown["interpretations"]]) == (
        "FD.L/1/25",
        ["AA"],
    )
    charter.later(24 * 30)
    unchanged_after(
        charter,
        422,
        "window_closed",
        lambda: post(
            charter, f"/charter/decisions/{conclusion}/interpretations", {"text": "X"}, "bb.head"
        ),
    )


def test_silence_broken_by_token_and_not_twice(charter: CharterWorld, client: Client) -> None:
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    procedure = charter.forum.act(
        partial(actions.open_silence, AA_HEAD, charter.document, 0, until)
    ).index
    path = f"/charter/silence/{procedure}/break"
    reason = {"reason": "Article 2 needs work.", "counter_proposal": "Each Party should."}
    accepted(post(charter, path, reason, "bb.head"), "charter.silence.broken")
    assert SilenceBreak.objects.get(procedure=procedure).party == "BB"
    unchanged_after(charter, 422, "broken_already", lambda: post(charter, path, reason, "bb.head"))
    breaks = client.get(f"/api/v1/charter/silence/{procedure}").json()["breaks"]
    assert [(b["party"], b["counter_proposal"]) for b in breaks] == [("BB", "Each Party should.")]


def test_introduce_and_import_by_token(charter: CharterWorld, client: Client) -> None:
    provisions = [{"eid": "art_1", "element": "article", "num": "1", "heading": "", "text": "One."}]
    body = {"title": "Second", "language": "en", "provisions": provisions}
    introduced = accepted(
        post(charter, "/charter/documents", body, "bb.head"), "charter.document.introduced"
    )
    assert Document.objects.get(entry_index=introduced).symbol == "FD.L/2/25"
    markdown = (
        b"# Third Charter\n\n## Article 1\n\nThe Parties agree.\n\n## Article 2\n\nSo it is.\n"
    )
    upload = SimpleUploadedFile("third.md", markdown, content_type="text/markdown")
    with clock.simulated(charter.forum.ticking):
        answer = Client().post(
            "/api/v1/charter/documents/import",
            {"file": upload, "title": "Third", "language": "en"},
            headers={"authorization": f"Bearer {token('bb.head')}"},
        )
    imported = accepted(answer, "charter.document.introduced")
    shown = client.get(f"/api/v1/charter/documents/{imported}/compilation").json()
    assert shown["title"] == "Third"
    assert "The Parties agree." in [p["text"] for p in shown["provisions"]]
    hostile = SimpleUploadedFile(
        "bad.xml", b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>"
    )
    size = LogState.objects.get().size
    with clock.simulated(charter.forum.ticking):
        refused = Client().post(
            "/api/v1/charter/documents/import",
            {"file": hostile, "title": "Bad"},
            headers={"authorization": f"Bearer {token('bb.head')}"},
        )
    assert (refused.status_code, refused.json()["code"]) == (422, "bad_file")
    assert LogState.objects.get().size == size


def test_exports_answer_bytes_with_their_content_type(
    charter: CharterWorld, client: Client
) -> None:
    base = f"/api/v1/charter/documents/{charter.document}/export"
    text = client.get(f"{base}?format=md")
    assert text["Content-Type"].startswith("text/markdown")
    assert b"Each Party shall respect the indivisibility of security." in text.content
    word = client.get(f"{base}?format=docx&brackets=true")
    assert word["Content-Type"].endswith("wordprocessingml.document")
    assert word.content[:2] == b"PK"
    assert 'filename="FD_L-1-25.docx"' in word["Content-Disposition"]
    akn = client.get(f"{base}?format=akn")
    assert b"akomaNtoso" in akn.content
    assert client.get(f"{base}?format=rtf").status_code == 422


def test_the_secretariat_concludes_only_after_the_deadline(charter: CharterWorld) -> None:
    until = format_time(charter.forum.ticking.moment + timedelta(hours=48))
    procedure = charter.forum.act(
        partial(actions.open_silence, AA_HEAD, charter.document, 0, until)
    ).index
    path = f"/charter/silence/{procedure}/conclude"
    unchanged_after(charter, 422, "not_yet", lambda: post(charter, path, {}, "sec.clerk"))
    assert SECRETARIAT.party == "secretariat"
