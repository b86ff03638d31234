"""The forum's JSON API: reads for anyone, acts with a personal token for one's own party."""

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.forum import actions
from accord.forum.models import ForumParty
from accord.forum.profile import standard
from accord.ledger import outbox
from accord.ledger.models import Entry, LogState, OutboxMessage
from accord.people import actions as people_actions
from accord.people.models import ApiToken, Person
from tests.forum.world import ForumWorld

pytestmark = pytest.mark.django_db


def token(handle: str, *, second_factor: bool = True) -> str:
    person = Person.objects.get(handle=handle)
    return people_actions.issue_api_token(person, "tests", second_factor=second_factor)


def post(client: Client, path: str, body: dict[str, Any], bearer: str | None) -> Any:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    return client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_forum_is_public(forum: ForumWorld, client: Client) -> None:
    answer = client.get("/api/v1/forum").json()
    assert answer["chair"] == "AA"
    assert {p["code"]: p["status"] for p in answer["parties"]} == {
        "AA": "participating",
        "BB": "participating",
        "CC": "invited",
    }


def test_the_forum_before_founding_is_404(db: None, client: Client) -> None:
    assert client.get("/api/v1/forum").status_code == 404
    assert client.get("/api/v1/forum/profile").status_code == 404


def test_a_party_shows_history_delegation_and_keys(forum: ForumWorld, client: Client) -> None:
    answer = client.get("/api/v1/forum/parties/AA").json()
    assert [row["status"] for row in answer["history"]] == ["invited", "participating"]
    assert [row["handle"] for row in answer["delegation"]] == [
        "aa.head",
        "aa.delegate",
        "aa.adviser",
    ]
    assert answer["keys"][0]["custody"] == "hosted"
    assert "email" not in json.dumps(answer)
    assert client.get("/api/v1/forum/parties/ZZ").status_code == 404


def test_people_are_served_by_handle_and_role_only(forum: ForumWorld, client: Client) -> None:
    rows = client.get("/api/v1/forum/people?party=AA").json()
    assert {row["handle"] for row in rows} == {"aa.head", "aa.delegate", "aa.adviser"}
    assert "example.org" not in json.dumps(rows)


def test_invitations_and_the_profile_are_listed(forum: ForumWorld, client: Client) -> None:
    rows = client.get("/api/v1/forum/invitations?party=CC").json()
    assert [row["entry_index"] for row in rows] == [forum.invitation_to_cc]
    assert "forum.invitation.sent" in client.get("/api/v1/forum/profile").json()["may"]


def test_acting_needs_a_token(forum: ForumWorld, client: Client) -> None:
    response = post(client, "/forum/invitations/answer", {"answer": "accepted"}, None)
    assert response.status_code == 401
    response = post(client, "/forum/invitations/answer", {"answer": "accepted"}, "acc_wrong")
    assert response.status_code == 401
    assert ForumParty.objects.get(code="CC").status == "invited"


def test_a_revoked_token_no_longer_acts(forum: ForumWorld, client: Client) -> None:
    bearer = token("cc.head")
    ApiToken.objects.update(revoked_at="2025-02-01T00:00:00Z")
    assert (
        post(client, "/forum/invitations/answer", {"answer": "accepted"}, bearer).status_code == 401
    )


def test_a_person_answers_for_their_party_with_a_token(forum: ForumWorld, client: Client) -> None:
    bearer = token("cc.head")
    response = forum.act(
        lambda: post(client, "/forum/invitations/answer", {"answer": "interested"}, bearer)
    )
    assert response.status_code == 201
    (receipt,) = response.json()["receipts"]
    assert receipt["kind"] == "forum.invitation.answered"
    leaf = json.loads(bytes(Entry.objects.get(index=receipt["index"]).leaf))
    assert leaf["statement"]["by"] == "cc.head"
    assert ForumParty.objects.get(code="CC").status == "interested"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_refusal_is_4xx_with_its_code_and_nothing_written(
    forum: ForumWorld, client: Client
) -> None:
    size = LogState.objects.get().size
    response = post(client, "/forum/leave", {"reason": ""}, token("cc.head"))
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    response = post(client, "/forum/chair", {"to": "CC"}, token("aa.head"))
    assert (response.status_code, response.json()["code"]) == (422, "not_participating")
    assert LogState.objects.get().size == size


def test_a_malformed_body_is_422_from_the_schema(forum: ForumWorld, client: Client) -> None:
    response = post(client, "/forum/invitations/answer", {"answer": "perhaps"}, token("cc.head"))
    assert response.status_code == 422


def test_wrong_method_is_405(forum: ForumWorld, client: Client) -> None:
    assert client.get("/api/v1/forum/join").status_code == 405
    assert client.delete("/api/v1/forum").status_code == 405


def test_an_invitation_through_the_api(forum: ForumWorld, client: Client) -> None:
    body = {"party": "DD", "name": "State D", "capacity": "observer"}
    response = forum.act(lambda: post(client, "/forum/invitations", body, token("aa.head")))
    assert response.status_code == 201
    kinds = [r["kind"] for r in response.json()["receipts"]]
    assert kinds == ["forum.invitation.sent", "ledger.party.registered"]


def test_join_leave_and_chair_through_the_api(forum: ForumWorld, client: Client) -> None:
    assert post(client, "/forum/join", {}, token("aa.head")).json()["code"] == "already_joined"
    response = forum.act(lambda: post(client, "/forum/chair", {"to": "BB"}, token("aa.head")))
    assert response.status_code == 201
    response = forum.act(lambda: post(client, "/forum/leave", {"reason": "x"}, token("aa.head")))
    assert response.status_code == 201
    assert ForumParty.objects.get(code="AA").status == "left"


def test_only_secretariat_staff_add_people(forum: ForumWorld, client: Client) -> None:
    body = {"handle": "bb.second", "party": "BB", "role": "delegate", "email": "b@example.org"}
    response = post(client, "/forum/people", body, token("bb.head"))
    assert (response.status_code, response.json()["code"]) == (403, "not_secretariat")
    size = LogState.objects.get().size
    response = forum.act(lambda: post(client, "/forum/people", body, token("sec.clerk")))
    assert response.status_code == 201
    assert response.json()["link_sent_to"] == "b@example.org"
    assert "/sign-in/link/" not in response.content.decode()  # the staff member never sees it
    # The secretariat signs nothing for BB: only its own binding of the handle to BB.
    assert LogState.objects.get().size == size + 1
    added = Entry.objects.get(index=size)
    assert (added.kind, added.actor) == ("forum.person.added", "secretariat")
    assert b"b@example.org" not in bytes(added.leaf)
    assert outbox.deliver() == 1
    (message,) = mail.outbox
    assert message.to == ["b@example.org"]
    path = re.search(r"/sign-in/link/\S+", str(message.body))
    assert path is not None
    assert Client().post(path.group(0)).status_code == 302
    response = post(client, "/forum/people", body, token("sec.clerk"))
    assert (response.status_code, response.json()["code"]) == (422, "handle_taken")


def test_staff_withdrawn_in_the_log_add_no_one(forum: ForumWorld, client: Client) -> None:
    bearer = token("sec.clerk")
    forum.act(lambda: actions.withdraw(actions.Actor("secretariat"), "sec.clerk"))
    body = {"handle": "bb.second", "party": "BB", "role": "delegate", "email": "b@example.org"}
    response = post(client, "/forum/people", body, bearer)
    assert (response.status_code, response.json()["code"]) == (403, "not_secretariat")
    assert not Person.objects.filter(handle="bb.second").exists()


def test_a_token_made_without_the_second_factor_does_not_act_for_a_head(
    forum: ForumWorld, client: Client
) -> None:
    # cc.head's token was made while cc.head was a delegate, before the second factor applied.
    bearer = token("cc.head", second_factor=False)
    response = post(client, "/forum/invitations/answer", {"answer": "accepted"}, bearer)
    assert response.status_code == 401
    delegate = token("aa.delegate", second_factor=False)
    assert client.get("/api/v1/forum").status_code == 200
    response = post(client, "/forum/leave", {"reason": ""}, delegate)
    assert response.json()["code"] == "not_permitted"  # authenticated, then judged


def test_a_head_withdraws_through_the_api(forum: ForumWorld, client: Client) -> None:
    response = forum.act(
        lambda: post(client, "/forum/people/aa.adviser/withdraw", {}, token("aa.head"))
    )
    assert response.status_code == 201
    response = post(client, "/forum/people/aa.adviser/withdraw", {}, token("bb.head"))
    assert response.json()["code"] == "not_accredited"


def test_a_head_accredits_through_the_api(forum: ForumWorld, client: Client) -> None:
    body = {"handle": "aa.second", "role": "delegate"}
    response = forum.act(lambda: post(client, "/forum/accreditations", body, token("aa.head")))
    assert response.status_code == 201
    assert Person.objects.filter(handle="aa.second").count() == 0  # the log only; no account
    response = post(client, "/forum/accreditations", body, token("aa.delegate"))
    assert (response.status_code, response.json()["code"]) == (403, "not_permitted")


def test_the_rules_profile_is_amended_through_the_api(forum: ForumWorld, client: Client) -> None:
    changed = standard(version=2).model_dump(mode="json")
    response = forum.act(
        lambda: post(client, "/forum/profile/proposals", {"profile": changed}, token("aa.head"))
    )
    assert response.status_code == 201
    entry = response.json()["receipts"][0]["index"]
    agree = f"/forum/profile/proposals/{entry}/agree"
    assert forum.act(lambda: post(client, agree, {}, token("aa.head"))).status_code == 201
    assert forum.act(lambda: post(client, agree, {}, token("bb.head"))).status_code == 201
    response = post(client, f"/forum/profile/proposals/{entry}/adopt", {}, token("bb.head"))
    assert response.status_code == 403
    adopted = forum.act(
        lambda: post(client, f"/forum/profile/proposals/{entry}/adopt", {}, token("aa.head"))
    )
    assert adopted.status_code == 201
    assert client.get("/api/v1/forum").json()["profile_version"] == 2


def test_a_signed_in_browser_session_alone_cannot_act_through_the_api(
    forum: ForumWorld, client: Client
) -> None:
    # The API authenticates by token only, so a page on another site cannot ride on a
    # delegate's session cookie (no CSRF hole).
    client.force_login(Person.objects.get(handle="cc.head").user)
    response = post(client, "/forum/invitations/answer", {"answer": "accepted"}, None)
    assert response.status_code == 401
    assert ForumParty.objects.get(code="CC").status == "invited"


def test_the_api_lists_whom_the_party_has_not_accredited_yet(
    forum: ForumWorld, client: Client
) -> None:
    actions.add_person("aa.new", party="AA", role="delegate", email="new@aa.example")
    headers = {"authorization": f"Bearer {token('aa.head')}"}
    rows = client.get("/api/v1/forum/people/awaiting", headers=headers).json()
    assert [(row["handle"], row["party"], row["email"]) for row in rows] == [
        ("aa.new", "AA", "new@aa.example")
    ]
    headers = {"authorization": f"Bearer {token('bb.head')}"}
    assert client.get("/api/v1/forum/people/awaiting", headers=headers).json() == []
    headers = {"authorization": f"Bearer {token('aa.delegate')}"}
    assert client.get("/api/v1/forum/people/awaiting", headers=headers).status_code == 403
    assert client.get("/api/v1/forum/people/awaiting").status_code == 401


@pytest.mark.parametrize(
    "field",
    [
        {"email": "x@y.example\nBcc: a@b.example"},
        {"email": "not an address"},
        {"handle": "Not A Handle"},
        {"handle": "x" * 41},
        {"party": "1A"},
    ],
)
def test_adding_a_person_validates_every_field(
    forum: ForumWorld, client: Client, field: dict[str, str]
) -> None:
    body = {"handle": "bb.x", "party": "BB", "role": "delegate", "email": "b@example.org", **field}
    response = post(client, "/forum/people", body, token("sec.clerk"))
    assert response.status_code == 422
    assert not Person.objects.filter(party="BB", handle__startswith="bb.x").exists()
    assert not OutboxMessage.objects.exists()


def test_links_in_email_use_the_configured_site_address(
    forum: ForumWorld, client: Client, settings: SettingsWrapper
) -> None:
    settings.SITE_URL = "https://forum.example/"
    body = {"handle": "bb.x", "party": "BB", "role": "delegate", "email": "b@example.org"}
    response = post(client, "/forum/people", body, token("sec.clerk"))
    assert response.status_code == 201
    assert "https://forum.example/sign-in/link/" in OutboxMessage.objects.get().payload["body"]


def test_a_receipt_has_one_shape_on_the_forum_and_the_ledger_api(
    forum: ForumWorld, client: Client
) -> None:
    import base64  # noqa: PLC0415

    bearer = token("aa.head")
    response = forum.act(
        lambda: post(client, "/forum/invitations", {"party": "DD", "name": "State D"}, bearer)
    )
    assert response.status_code == 201
    receipt = response.json()["receipts"][0]
    entry = Entry.objects.get(index=receipt["index"])
    assert base64.b64decode(receipt["leaf_hash"]) == bytes(entry.leaf_hash)
    assert receipt["entry_url"] == f"/explorer/{entry.index}"
    assert receipt["kind"] == "forum.invitation.sent"
    assert receipt["receipt"].startswith("accord-receipt/v1\nforum.example/forum\n")
    assert f"leaf {receipt['leaf_hash']}\n" in receipt["receipt"]  # the same encoding
    document = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(receipt) == set(document["Receipt"]["properties"])


def test_a_body_that_does_not_fit_answers_422_as_its_openapi_document_says(
    forum: ForumWorld, client: Client
) -> None:
    size = LogState.objects.get().size
    response = post(client, "/forum/invitations/answer", {"answer": "perhaps"}, token("cc.head"))
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "malformed_request"
    assert "answer" in answer["reason"]
    assert answer["refusal"] is None
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/forum/invitations/answer"]["post"]
    schema = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert set(answer) == set(
        document["components"]["schemas"][schema.rsplit("/", 1)[1]]["properties"]
    )
    assert LogState.objects.get().size == size


def test_a_refusal_carries_the_status_its_class_names(forum: ForumWorld, client: Client) -> None:
    denied = forum.act(lambda: post(client, "/forum/chair", {"to": "BB"}, token("bb.head")))
    assert (denied.status_code, denied.json()["code"]) == (403, "not_permitted")
    assert denied.json()["refusal"]  # the log signed its refusal note
    refused = forum.act(lambda: post(client, "/forum/chair", {"to": "CC"}, token("aa.head")))
    assert (refused.status_code, refused.json()["code"]) == (422, "not_participating")


def test_the_open_invitation_of_a_party_is_served_for_own_key_tools(
    forum: ForumWorld, client: Client
) -> None:
    answer = client.get("/api/v1/forum/invitations/open?party=CC")
    assert answer.json()["entry_index"] == forum.invitation_to_cc
    assert client.get("/api/v1/forum/invitations/open?party=BB").status_code == 404


def test_a_key_names_the_party_it_is_registered_to_and_the_entry_that_did(
    forum: ForumWorld, client: Client
) -> None:
    from accord.ledger.models import PartyKey  # noqa: PLC0415

    key = PartyKey.objects.filter(party="AA").first()
    assert key is not None
    answer = client.get("/api/v1/keys", {"vkey": key.vkey}).json()
    assert (answer["party"], answer["added_at"]) == ("AA", key.added_at)
    assert Entry.objects.get(index=key.added_at).kind == "ledger.party.registered"
    assert client.get("/api/v1/keys", {"vkey": "nobody+00000000+AAAA"}).status_code == 404
