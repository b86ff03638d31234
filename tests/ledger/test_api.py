"""POST /api/v1/statements and GET /api/v1/parties/<code>/next-seq."""

import base64
import json

from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.ledger.models import Entry, Refusal
from accord.tlog import note
from tests.ledger.world import A_KEY, LOG_KEY, World


def _post(client: Client, body: bytes) -> tuple[int, dict[str, object]]:
    response = client.post("/api/v1/statements", body, content_type="application/json")
    return response.status_code, response.json()


def test_next_seq(client: Client, world: World) -> None:
    assert client.get("/api/v1/parties/AA/next-seq").json() == {
        "forum": "forum.example/log",
        "party": "AA",
        "next_seq": 1,
    }
    world.submit(world.communique(seq=1))
    assert client.get("/api/v1/parties/AA/next-seq").json()["next_seq"] == 2
    assert client.get("/api/v1/parties/secretariat/next-seq").json()["next_seq"] == 5
    assert client.get("/api/v1/parties/ZZ/next-seq").status_code == 404


def test_a_signed_statement_gets_a_receipt(client: Client, world: World) -> None:
    body = json.dumps(world.communique(seq=1).signed.to_json()).encode()
    status, answer = _post(client, body)
    assert status == 201
    assert answer["index"] == Entry.objects.count() - 1
    assert note.open(str(answer["receipt"]), [note.Verifier(LOG_KEY.vkey)])


def test_refusals_of_signed_statements_carry_a_signed_note(client: Client, world: World) -> None:
    world.submit(world.communique(seq=1))
    replayed = json.dumps(world.communique(seq=1).signed.to_json()).encode()
    skipped = json.dumps(world.communique(seq=3).signed.to_json()).encode()
    for body in (replayed, skipped):
        status, answer = _post(client, body)
        assert (status, answer["code"]) == (409, "bad_seq"), answer
        assert note.open(str(answer["refusal"]), [note.Verifier(LOG_KEY.vkey)])
    assert Refusal.objects.count() == 2


def test_input_nobody_signed_is_refused_without_a_note_or_a_row(
    client: Client, world: World
) -> None:
    good = world.communique(seq=1).signed.to_json()
    stranger = note.Signer(note.generate_key("stranger.example")[0])
    unknown = world.signed(stranger, {"title": "t", "text": "x"}, seq=1).to_json()
    cases = [
        (json.dumps(good).replace('"seq": 1', '"seq": 1.5').encode(), 400, "float"),
        (json.dumps({**good, "signature": "A" * 86 + "=="}).encode(), 403, "bad_signature"),
        (json.dumps(unknown).encode(), 403, "unknown_key"),
        (b"not json", 400, "not_json"),
    ]
    for body, expected_status, code in cases:
        status, answer = _post(client, body)
        assert (status, answer["code"], answer["refusal"]) == (expected_status, code, None)
        assert answer["reason"]
    assert Refusal.objects.count() == 0
    assert Entry.objects.count() == 4


def test_a_too_large_blob_is_refused_before_its_signature_is_checked(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.ACCORD_MAX_BLOB_BYTES = 10
    body = {
        **world.communique(seq=1).signed.to_json(),
        "blob": base64.b64encode(b"x" * 11).decode(),
    }
    status, answer = _post(client, json.dumps(body).encode())
    assert (status, answer["code"]) == (400, "too_large")
    assert "at most 10" in str(answer["reason"])


def test_a_statement_the_actor_may_not_make_is_422(client: Client, world: World) -> None:
    body = {"party": "DD", "name": "D", "vkey": A_KEY.vkey, "custody": "own"}
    signed = world.signed(A_KEY, body, kind="ledger.party.registered", seq=1)
    status, answer = _post(client, json.dumps(signed.to_json()).encode())
    assert (status, answer["code"]) == (422, "not_secretariat")
